"""Incremental analysis: stored embeddings, feedback signals, claims, topic models, materialised KPIs, reports

Revision ID: 0005_analysis
Revises: 0004_service
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_analysis"
down_revision = "0004_service"
branch_labels = None
depends_on = None



def _provenance() -> list[sa.Column]:
    return [
        sa.Column("stage", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("model_revision", sa.String(length=80), nullable=True),
        sa.Column("config_hash", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "post_embeddings",
        sa.Column("post_pk", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["post_pk"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_pk"),
    )
    op.create_table(
        "feedback_signals",
        *_provenance(),
        sa.Column("response_id", sa.String(length=256), nullable=False),
        sa.Column("sentiment_label", sa.String(length=10), nullable=False),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column("sentiment_scores", sa.JSON(), nullable=False),
        sa.Column("emotion", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["response_id"], ["feedback_answers.response_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id"),
    )
    op.create_index("ix_feedback_signals_run_id", "feedback_signals", ["run_id"])
    op.create_table(
        "analysis_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("post_pk", sa.Integer(), nullable=True),
        sa.Column("response_id", sa.String(length=256), nullable=True),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("post_pk"),
        sa.UniqueConstraint("response_id"),
    )
    op.create_index("ix_analysis_claims_owner", "analysis_claims", ["owner"])
    op.create_table(
        "topic_models",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("arrays", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_topic_models_run_id", "topic_models", ["run_id"])
    op.create_table(
        "kpi_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kpi_id", sa.String(length=80), nullable=False),
        sa.Column("cohort", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("ci_low", sa.Float(), nullable=True),
        sa.Column("ci_high", sa.Float(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "kpi_id", "cohort", name="uq_kpi_values"),
    )
    op.create_index("ix_kpi_values_period", "kpi_values", ["period"])
    op.create_table(
        "materialised_reports",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("fmt", sa.String(length=8), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period", "fmt"),
    )


def downgrade() -> None:
    op.drop_table("materialised_reports")
    op.drop_index("ix_kpi_values_period", table_name="kpi_values")
    op.drop_table("kpi_values")
    op.drop_index("ix_topic_models_run_id", table_name="topic_models")
    op.drop_table("topic_models")
    op.drop_index("ix_analysis_claims_owner", table_name="analysis_claims")
    op.drop_table("analysis_claims")
    op.drop_index("ix_feedback_signals_run_id", table_name="feedback_signals")
    op.drop_table("feedback_signals")
    op.drop_table("post_embeddings")

"""HTTP service: scoring jobs for webhook posts (leased, done once per post) and hashed API keys

Revision ID: 0004_service
Revises: 0003_stories
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_service"
down_revision = "0003_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scoring_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("post_id", sa.String(length=256), nullable=False),
        sa.Column("fmt", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("post_pk", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "post_id", name="uq_scoring_jobs_platform_post_id"),
    )
    with op.batch_alter_table("scoring_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_scoring_jobs_status_lease", ["status", "lease_until"], unique=False)

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_keys")
    with op.batch_alter_table("scoring_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_scoring_jobs_status_lease")
    op.drop_table("scoring_jobs")

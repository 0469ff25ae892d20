"""triage queue: one item per thread with a status, and the append-only audit of its actions

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "triage_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("thread_key", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("needs_attention", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("raised_reasons", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("evidence_post_ids", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attention_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("model_revision", sa.String(length=80), nullable=True),
        sa.Column("config_hash", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["thread_key"], ["threads.thread_key"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("thread_key", name="uq_triage_queue_thread_key"),
    )
    with op.batch_alter_table("triage_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_triage_queue_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_triage_queue_status"), ["status"], unique=False)

    op.create_table(
        "triage_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("thread_key", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["triage_queue.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("triage_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_triage_actions_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_triage_actions_thread_key"), ["thread_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("triage_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triage_actions_thread_key"))
        batch_op.drop_index(batch_op.f("ix_triage_actions_item_id"))
    op.drop_table("triage_actions")
    with op.batch_alter_table("triage_queue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triage_queue_status"))
        batch_op.drop_index(batch_op.f("ix_triage_queue_run_id"))
    op.drop_table("triage_queue")

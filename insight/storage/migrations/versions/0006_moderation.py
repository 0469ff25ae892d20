"""The moderators' working day: queue state (assignee, snooze), notes, undoable changes

Revision ID: 0006_moderation
Revises: 0005_analysis
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_moderation"
down_revision = "0005_analysis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_state",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("assignee", sa.String(length=120), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snooze_evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["triage_queue.id"]),
        sa.PrimaryKeyConstraint("item_id"),
    )
    op.create_index("ix_queue_state_assignee", "queue_state", ["assignee"])
    op.create_index("ix_queue_state_snoozed_until", "queue_state", ["snoozed_until"])
    op.create_table(
        "queue_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["triage_queue.id"]),
        sa.ForeignKeyConstraint(["action_id"], ["triage_actions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_queue_notes_item_id", "queue_notes", ["item_id"])
    op.create_table(
        "queue_changes",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["triage_actions.id"]),
        sa.ForeignKeyConstraint(["item_id"], ["triage_queue.id"]),
        sa.PrimaryKeyConstraint("action_id"),
    )
    op.create_index("ix_queue_changes_item_id", "queue_changes", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_queue_changes_item_id", table_name="queue_changes")
    op.drop_table("queue_changes")
    op.drop_index("ix_queue_notes_item_id", table_name="queue_notes")
    op.drop_table("queue_notes")
    op.drop_index("ix_queue_state_snoozed_until", table_name="queue_state")
    op.drop_index("ix_queue_state_assignee", table_name="queue_state")
    op.drop_table("queue_state")

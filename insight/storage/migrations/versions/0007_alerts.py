"""Alerts: new queue items waiting to be sent to a webhook or Slack (issue 18)

Revision ID: 0007_alerts
Revises: 0006_moderation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_alerts"
down_revision = "0006_moderation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("destination", sa.String(length=20), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("delivery_id", sa.String(length=40), nullable=False),
        sa.Column("queue_item_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("delivery_id"),
        sa.UniqueConstraint("destination", "dedupe_key", name="uq_alert_jobs_destination_key"),
    )
    op.create_index("ix_alert_jobs_status_due", "alert_jobs", ["status", "next_attempt_at"])
    op.create_index("ix_alert_jobs_queue_item_id", "alert_jobs", ["queue_item_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_jobs_queue_item_id", table_name="alert_jobs")
    op.drop_index("ix_alert_jobs_status_due", table_name="alert_jobs")
    op.drop_table("alert_jobs")

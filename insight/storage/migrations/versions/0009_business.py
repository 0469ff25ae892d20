"""Business data for community influence: accounts, account links, touchpoints, outcomes, support costs

Revision ID: 0009_business
Revises: 0008_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_business"
down_revision = "0008_privacy"
branch_labels = None
depends_on = None


def _run_id() -> sa.Column:
    return sa.Column("run_id", sa.String(length=40), nullable=False)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("account_id", sa.String(length=256), nullable=False),
        sa.Column("segment", sa.String(length=80), nullable=True),
        sa.Column("plan", sa.String(length=80), nullable=True),
        sa.Column("region", sa.String(length=80), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        _run_id(),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_index("ix_accounts_run_id", "accounts", ["run_id"])
    op.create_table(
        "account_links",
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=256), nullable=False),
        _run_id(),
        sa.PrimaryKeyConstraint("author_id", "account_id"),
    )
    op.create_index("ix_account_links_account_id", "account_links", ["account_id"])
    op.create_index("ix_account_links_run_id", "account_links", ["run_id"])
    op.create_table(
        "touchpoints",
        sa.Column("touchpoint_id", sa.String(length=256), nullable=False),
        sa.Column("account_id", sa.String(length=256), nullable=True),
        sa.Column("author_id", sa.String(length=64), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=256), nullable=True),
        sa.Column("source_id", sa.String(length=256), nullable=True),
        _run_id(),
        sa.PrimaryKeyConstraint("touchpoint_id"),
    )
    for column in ("account_id", "author_id", "run_id"):
        op.create_index(f"ix_touchpoints_{column}", "touchpoints", [column])
    op.create_table(
        "outcomes",
        sa.Column("outcome_id", sa.String(length=256), nullable=False),
        sa.Column("account_id", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        _run_id(),
        sa.PrimaryKeyConstraint("outcome_id"),
    )
    op.create_index("ix_outcomes_account_id", "outcomes", ["account_id"])
    op.create_index("ix_outcomes_run_id", "outcomes", ["run_id"])
    op.create_table(
        "support_costs",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("cost_per_ticket", sa.Float(), nullable=False),
        _run_id(),
        sa.PrimaryKeyConstraint("period"),
    )
    op.create_index("ix_support_costs_run_id", "support_costs", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_support_costs_run_id", table_name="support_costs")
    op.drop_table("support_costs")
    op.drop_index("ix_outcomes_run_id", table_name="outcomes")
    op.drop_index("ix_outcomes_account_id", table_name="outcomes")
    op.drop_table("outcomes")
    for column in ("account_id", "author_id", "run_id"):
        op.drop_index(f"ix_touchpoints_{column}", table_name="touchpoints")
    op.drop_table("touchpoints")
    op.drop_index("ix_account_links_run_id", table_name="account_links")
    op.drop_index("ix_account_links_account_id", table_name="account_links")
    op.drop_table("account_links")
    op.drop_index("ix_accounts_run_id", table_name="accounts")
    op.drop_table("accounts")

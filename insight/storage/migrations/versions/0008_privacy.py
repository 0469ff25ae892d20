"""Member privacy: identity hashes, persons, consent history, erasures, privacy audit chain

Revision ID: 0008_privacy
Revises: 0007_alerts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_privacy"
down_revision = "0007_alerts"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "member_identities",
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("username_hash", sa.String(length=64), nullable=True),
        sa.Column("name_tokens", sa.JSON(), nullable=False),
        sa.Column("link_accounts", sa.Boolean(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("author_id"),
    )
    op.create_index("ix_member_identities_email_hash", "member_identities", ["email_hash"])
    op.create_index("ix_member_identities_username_hash", "member_identities", ["username_hash"])
    op.create_table(
        "person_accounts",
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("linked_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("author_id"),
    )
    op.create_index("ix_person_accounts_person_id", "person_accounts", ["person_id"])
    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("flag", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=True),
        sa.Column("previous", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_events_author_id", "consent_events", ["author_id"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_erasures_subject", "erasures", ["subject"])
    op.create_table(
        "privacy_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("note_digest", sa.String(length=64), nullable=False),
        sa.Column("tombstoned", sa.Boolean(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_privacy_audit_subject", "privacy_audit", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_privacy_audit_subject", table_name="privacy_audit")
    op.drop_table("privacy_audit")
    op.drop_index("ix_erasures_subject", table_name="erasures")
    op.drop_table("erasures")
    op.drop_index("ix_consent_events_author_id", table_name="consent_events")
    op.drop_table("consent_events")
    op.drop_index("ix_person_accounts_person_id", table_name="person_accounts")
    op.drop_table("person_accounts")
    op.drop_index("ix_member_identities_username_hash", table_name="member_identities")
    op.drop_index("ix_member_identities_email_hash", table_name="member_identities")
    op.drop_table("member_identities")

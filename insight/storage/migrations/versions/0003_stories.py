"""member stories: taxonomy versions and tag mappings, seed examples, stories, tag suggestions,
review decisions, story-KPI and story-cohort links, and the append-only story audit trail

Revision ID: 0003_stories
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_stories"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("story_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("thread_key", sa.String(length=300), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=True),
        sa.Column("text_redacted", sa.Text(), nullable=False),
        sa.Column("story_score", sa.Float(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("model_revision", sa.String(length=80), nullable=True),
        sa.Column("config_hash", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("story_id"),
    )
    op.create_index(op.f("ix_stories_author_id"), "stories", ["author_id"], unique=False)
    op.create_index(op.f("ix_stories_run_id"), "stories", ["run_id"], unique=False)
    op.create_table(
        "story_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("story_id", sa.String(length=40), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("link_id", sa.String(length=40), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=True),
        sa.Column("taxonomy_version", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("model_revision", sa.String(length=80), nullable=True),
        sa.Column("source_ids", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_story_audit_link_id"), "story_audit", ["link_id"], unique=False)
    op.create_index(op.f("ix_story_audit_story_id"), "story_audit", ["story_id"], unique=False)
    op.create_table(
        "story_examples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("taxonomy_version", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "tag_mappings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_version", sa.String(length=80), nullable=False),
        sa.Column("from_tag", sa.String(length=80), nullable=False),
        sa.Column("to_version", sa.String(length=80), nullable=False),
        sa.Column("to_tag", sa.String(length=80), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_tag_mappings_from_version"), "tag_mappings", ["from_version"], unique=False)
    op.create_table(
        "taxonomy_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=80), nullable=False),
        sa.Column("previous_version", sa.String(length=80), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("retired", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version"),
    )
    op.create_table(
        "tag_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_id", sa.String(length=40), nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=False),
        sa.Column("taxonomy_version", sa.String(length=80), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("highlights", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("model_revision", sa.String(length=80), nullable=True),
        sa.Column("config_hash", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.story_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_tag_suggestions_run_id"), "tag_suggestions", ["run_id"], unique=False)
    op.create_index(op.f("ix_tag_suggestions_status"), "tag_suggestions", ["status"], unique=False)
    op.create_index(op.f("ix_tag_suggestions_story_id"), "tag_suggestions", ["story_id"], unique=False)
    op.create_index(op.f("ix_tag_suggestions_taxonomy_version"), "tag_suggestions", ["taxonomy_version"], unique=False)
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.String(length=40), nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("new_tag", sa.String(length=80), nullable=True),
        sa.Column("taxonomy_version", sa.String(length=80), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["tag_suggestions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_review_decisions_story_id"), "review_decisions", ["story_id"], unique=False)
    op.create_index(op.f("ix_review_decisions_suggestion_id"), "review_decisions", ["suggestion_id"], unique=False)
    op.create_table(
        "story_links",
        sa.Column("link_id", sa.String(length=40), nullable=False),
        sa.Column("story_id", sa.String(length=40), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=False),
        sa.Column("taxonomy_version", sa.String(length=80), nullable=False),
        sa.Column("tagger", sa.String(length=200), nullable=False),
        sa.Column("tag_score", sa.Float(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.story_id"],
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["tag_suggestions.id"],
        ),
        sa.PrimaryKeyConstraint("link_id"),
    )
    op.create_index(op.f("ix_story_links_story_id"), "story_links", ["story_id"], unique=False)
    op.create_index(op.f("ix_story_links_suggestion_id"), "story_links", ["suggestion_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_story_links_suggestion_id"), table_name="story_links")
    op.drop_index(op.f("ix_story_links_story_id"), table_name="story_links")
    op.drop_table("story_links")
    op.drop_index(op.f("ix_review_decisions_suggestion_id"), table_name="review_decisions")
    op.drop_index(op.f("ix_review_decisions_story_id"), table_name="review_decisions")
    op.drop_table("review_decisions")
    op.drop_index(op.f("ix_tag_suggestions_taxonomy_version"), table_name="tag_suggestions")
    op.drop_index(op.f("ix_tag_suggestions_story_id"), table_name="tag_suggestions")
    op.drop_index(op.f("ix_tag_suggestions_status"), table_name="tag_suggestions")
    op.drop_index(op.f("ix_tag_suggestions_run_id"), table_name="tag_suggestions")
    op.drop_table("tag_suggestions")
    op.drop_table("taxonomy_versions")
    op.drop_index(op.f("ix_tag_mappings_from_version"), table_name="tag_mappings")
    op.drop_table("tag_mappings")
    op.drop_table("story_examples")
    op.drop_index(op.f("ix_story_audit_story_id"), table_name="story_audit")
    op.drop_index(op.f("ix_story_audit_link_id"), table_name="story_audit")
    op.drop_table("story_audit")
    op.drop_index(op.f("ix_stories_run_id"), table_name="stories")
    op.drop_index(op.f("ix_stories_author_id"), table_name="stories")
    op.drop_table("stories")

"""An index on posts (platform, parent_id): the contribution index counts the replies to each of a
month's posts, and without it each post's replies were a scan of every post of its platform (hours at
a million posts)

Revision ID: 0011_posts_parent_index
Revises: 0010_posts_created_index
"""

from __future__ import annotations

from alembic import op

revision = "0011_posts_parent_index"
down_revision = "0010_posts_created_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_posts_platform_parent", "posts", ["platform", "parent_id"])


def downgrade() -> None:
    op.drop_index("ix_posts_platform_parent", table_name="posts")

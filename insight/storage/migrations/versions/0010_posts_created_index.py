"""An index on posts.created_at: every read for a month (does it hold posts, which posts, the first and
last post) was a scan of all posts, 50 ms a request at 100,000 posts on PostgreSQL

Revision ID: 0010_posts_created_index
Revises: 0009_business
"""

from __future__ import annotations

from alembic import op

revision = "0010_posts_created_index"
down_revision = "0009_business"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_posts_created_at", "posts", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_posts_created_at", table_name="posts")

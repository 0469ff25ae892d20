"""initial schema

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('feedback_answers',
    sa.Column('response_id', sa.String(length=256), nullable=False),
    sa.Column('prompt_id', sa.String(length=256), nullable=False),
    sa.Column('moment', sa.String(length=40), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_redacted', sa.Text(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('response_id')
    )
    with op.batch_alter_table('feedback_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_answers_author_id'), ['author_id'], unique=False)

    op.create_table('kpi_observations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kpi_id', sa.String(length=80), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cohort', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kpi_id', 'period_start', 'period_end', 'cohort', name='uq_kpi_obs')
    )
    op.create_table('members',
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('motivation', sa.String(length=20), nullable=False),
    sa.Column('segment', sa.String(length=80), nullable=True),
    sa.Column('region', sa.String(length=80), nullable=True),
    sa.Column('plan', sa.String(length=80), nullable=True),
    sa.Column('consent_analytics', sa.Boolean(), nullable=True),
    sa.Column('consent_quotes', sa.Boolean(), nullable=True),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('author_id')
    )
    op.create_table('runs',
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.Column('command', sa.String(length=80), nullable=False),
    sa.Column('config_hash', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('run_id')
    )
    op.create_table('threads',
    sa.Column('thread_key', sa.String(length=300), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('thread_id', sa.String(length=256), nullable=False),
    sa.Column('channel', sa.String(length=200), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('thread_key')
    )
    op.create_table('topics',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.Integer(), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=80), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('model_revision', sa.String(length=80), nullable=True),
    sa.Column('config_hash', sa.String(length=32), nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'topic', name='uq_topics_run_topic')
    )
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topics_run_id'), ['run_id'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('post_id', sa.String(length=256), nullable=False),
    sa.Column('thread_key', sa.String(length=300), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_redacted', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=200), nullable=True),
    sa.Column('parent_id', sa.String(length=256), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('accepted_answer', sa.Boolean(), nullable=False),
    sa.Column('reactions', sa.Integer(), nullable=False),
    sa.Column('helpful_votes', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['thread_key'], ['threads.thread_key'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'post_id', name='uq_posts_platform_post_id')
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_posts_thread_created', ['thread_key', 'created_at'], unique=False)

    op.create_table('triage_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('thread_key', sa.String(length=300), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('needs_attention', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('evidence_post_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=80), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('model_revision', sa.String(length=80), nullable=True),
    sa.Column('config_hash', sa.String(length=32), nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['thread_key'], ['threads.thread_key'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_items_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_triage_items_thread_key'), ['thread_key'], unique=False)

    op.create_table('signals',
    sa.Column('post_pk', sa.Integer(), nullable=False),
    sa.Column('sentiment_label', sa.String(length=10), nullable=False),
    sa.Column('sentiment_score', sa.Float(), nullable=False),
    sa.Column('sentiment_scores', sa.JSON(), nullable=False),
    sa.Column('emotion', sa.JSON(), nullable=True),
    sa.Column('safety_label', sa.String(length=10), nullable=False),
    sa.Column('safety_category', sa.String(length=40), nullable=True),
    sa.Column('safety_score', sa.Float(), nullable=False),
    sa.Column('safety_evidence', sa.Text(), nullable=True),
    sa.Column('stage', sa.String(length=80), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('model_revision', sa.String(length=80), nullable=True),
    sa.Column('config_hash', sa.String(length=32), nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['post_pk'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_pk')
    )
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signals_run_id'), ['run_id'], unique=False)

    op.create_table('topic_assignments',
    sa.Column('post_pk', sa.Integer(), nullable=False),
    sa.Column('topic', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('stage', sa.String(length=80), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('model_revision', sa.String(length=80), nullable=True),
    sa.Column('config_hash', sa.String(length=32), nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['post_pk'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_pk')
    )
    with op.batch_alter_table('topic_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_assignments_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_topic_assignments_topic'), ['topic'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('topic_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_assignments_topic'))
        batch_op.drop_index(batch_op.f('ix_topic_assignments_run_id'))

    op.drop_table('topic_assignments')
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signals_run_id'))

    op.drop_table('signals')
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_items_thread_key'))
        batch_op.drop_index(batch_op.f('ix_triage_items_run_id'))

    op.drop_table('triage_items')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_thread_created')
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))

    op.drop_table('posts')
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topics_run_id'))

    op.drop_table('topics')
    op.drop_table('threads')
    op.drop_table('runs')
    op.drop_table('members')
    op.drop_table('kpi_observations')
    with op.batch_alter_table('feedback_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_answers_author_id'))

    op.drop_table('feedback_answers')


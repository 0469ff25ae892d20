"""ORM tables. ORM objects never leave ``insight.storage``; callers get records or dicts.

Schema changes go through a migration in ``insight/storage/migrations/versions`` and
``tests/storage/test_migrations.py`` checks that the migrations build exactly these tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class ProvenanceColumns:
    """Stage, model, revision, config hash and run id: carried by every output row."""

    stage: Mapped[str] = mapped_column(String(80))
    model: Mapped[str | None] = mapped_column(String(200))
    model_revision: Mapped[str | None] = mapped_column(String(80))
    config_hash: Mapped[str] = mapped_column(String(32))
    run_id: Mapped[str] = mapped_column(String(40), index=True)


class Run(Base):
    __tablename__ = "runs"
    run_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    command: Mapped[str] = mapped_column(String(80))
    config_hash: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MemberRow(Base):
    __tablename__ = "members"
    author_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime | None]
    motivation: Mapped[str] = mapped_column(String(20))
    segment: Mapped[str | None] = mapped_column(String(80))
    region: Mapped[str | None] = mapped_column(String(80))
    plan: Mapped[str | None] = mapped_column(String(80))
    consent_analytics: Mapped[bool | None] = mapped_column(Boolean)  # None: unknown
    consent_quotes: Mapped[bool | None] = mapped_column(Boolean)
    run_id: Mapped[str] = mapped_column(String(40))


class ThreadRow(Base):
    __tablename__ = "threads"
    thread_key: Mapped[str] = mapped_column(String(300), primary_key=True)  # "platform:thread_id"
    platform: Mapped[str] = mapped_column(String(20))
    thread_id: Mapped[str] = mapped_column(String(256))
    channel: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("platform", "post_id", name="uq_posts_platform_post_id"),
        Index("ix_posts_thread_created", "thread_key", "created_at"),
        Index("ix_posts_created_at", "created_at"),  # month reads: 0010_posts_created_index
        Index("ix_posts_platform_parent", "platform", "parent_id"),  # replies to a post: 0011_posts_parent_index
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(20))
    post_id: Mapped[str] = mapped_column(String(256))
    thread_key: Mapped[str] = mapped_column(ForeignKey("threads.thread_key"))
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    # Raw text feeds the models (the safety rules need to see a posted phone number);
    # text_redacted is the only text ever shown or exported.
    text: Mapped[str] = mapped_column(Text)
    text_redacted: Mapped[str] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(String(256))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))
    accepted_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    helpful_votes: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[str] = mapped_column(String(40))


class FeedbackRow(Base):
    __tablename__ = "feedback_answers"
    response_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    prompt_id: Mapped[str] = mapped_column(String(256))
    moment: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    text_redacted: Mapped[str] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[str] = mapped_column(String(40))


class KpiObservationRow(Base):
    __tablename__ = "kpi_observations"
    __table_args__ = (UniqueConstraint("kpi_id", "period_start", "period_end", "cohort", name="uq_kpi_obs"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kpi_id: Mapped[str] = mapped_column(String(80))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    cohort: Mapped[str] = mapped_column(String(120))
    value: Mapped[float] = mapped_column(Float)
    n: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[str] = mapped_column(String(40))


class SignalRow(ProvenanceColumns, Base):
    """The latest signals for one post (re-scoring replaces the row)."""

    __tablename__ = "signals"
    post_pk: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    sentiment_label: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Float)  # positive minus negative, -1..1
    sentiment_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    emotion: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    safety_label: Mapped[str] = mapped_column(String(10))
    safety_category: Mapped[str | None] = mapped_column(String(40))
    safety_score: Mapped[float] = mapped_column(Float)
    safety_evidence: Mapped[str | None] = mapped_column(Text)


class TopicRow(ProvenanceColumns, Base):
    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("run_id", "topic", name="uq_topics_run_topic"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    words: Mapped[list[Any]] = mapped_column(default=list)
    size: Mapped[int] = mapped_column(Integer)


class TopicAssignmentRow(ProvenanceColumns, Base):
    __tablename__ = "topic_assignments"
    post_pk: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[int] = mapped_column(Integer, index=True)
    probability: Mapped[float] = mapped_column(Float)


class TriageItemRow(ProvenanceColumns, Base):
    __tablename__ = "triage_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_key: Mapped[str] = mapped_column(ForeignKey("threads.thread_key"), index=True)
    as_of: Mapped[datetime]
    needs_attention: Mapped[bool] = mapped_column(Boolean)
    priority: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    explanation: Mapped[str] = mapped_column(Text)
    evidence_post_ids: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")


class TriageQueueRow(ProvenanceColumns, Base):
    """The moderator queue: one item per thread, updated in place by ranking runs (history in triage_actions)."""

    __tablename__ = "triage_queue"
    __table_args__ = (UniqueConstraint("thread_key", name="uq_triage_queue_thread_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_key: Mapped[str] = mapped_column(ForeignKey("threads.thread_key"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    priority: Mapped[float] = mapped_column(Float)
    needs_attention: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    raised_reasons: Mapped[list[Any]] = mapped_column(default=list)  # every reason raised in this episode
    explanation: Mapped[str] = mapped_column(Text)
    evidence_post_ids: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[list[Any]] = mapped_column(default=list)  # per signal: score, trigger time, spans
    channel: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime]
    ranked_at: Mapped[datetime]
    status_changed_at: Mapped[datetime]
    attention_at: Mapped[datetime]  # the last ranking that said the thread needs attention


class TriageActionRow(Base):
    """Append-only audit of the queue: every open, reopen, clear and moderator action; labelled data."""

    __tablename__ = "triage_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("triage_queue.id"), index=True)
    thread_key: Mapped[str] = mapped_column(String(300), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # the item's reasons when it happened
    priority: Mapped[float] = mapped_column(Float)


# --- HTTP service (issue 7): background scoring of webhook posts, API keys ----------------


class ScoringJobRow(Base):
    """One webhook post waiting to be stored and scored: queued, claimed with a lease, done once.

    One row per (platform, post_id), so a redelivered webhook queues nothing new. ``row`` holds
    the adapter's canonical row (raw text, raw author id) only until the job is done; then it is
    emptied, so raw text lives on only in ``posts`` under the usual consent rules.
    """

    __tablename__ = "scoring_jobs"
    __table_args__ = (
        UniqueConstraint("platform", "post_id", name="uq_scoring_jobs_platform_post_id"),
        Index("ix_scoring_jobs_status_lease", "status", "lease_until"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(20))
    post_id: Mapped[str] = mapped_column(String(256))
    fmt: Mapped[str] = mapped_column(String(20))  # the reader's format: author pseudonyms depend on it
    source: Mapped[str] = mapped_column(String(300))
    row: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20))  # queued | running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))  # scored | already_scored | not_stored
    post_pk: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class ApiKeyRow(Base):
    """An API key: only its SHA-256 is stored; ``prefix`` names it in lists and logs."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
# --- member stories (issue 5): taxonomy versions, stories, suggestions, reviews, links, audit ------


class TaxonomyVersionRow(Base):
    """One stored version of the researcher's story taxonomy; versions never change once stored."""

    __tablename__ = "taxonomy_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(80), unique=True)
    previous_version: Mapped[str | None] = mapped_column(String(80))
    tags: Mapped[list[Any]] = mapped_column(default=list)  # [{id, name, description, kpis, replaces}]
    retired: Mapped[list[Any]] = mapped_column(default=list)  # [{id, reason}]
    content_hash: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(120))
    loaded_at: Mapped[datetime]


class TagMappingRow(Base):
    """How a tag of one taxonomy version carries over to the next: keep, rename, merge, split or retire."""

    __tablename__ = "tag_mappings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_version: Mapped[str] = mapped_column(String(80), index=True)
    from_tag: Mapped[str] = mapped_column(String(80))
    to_version: Mapped[str] = mapped_column(String(80))
    to_tag: Mapped[str | None] = mapped_column(String(80))  # None: retired
    kind: Mapped[str] = mapped_column(String(20))


class StoryExampleRow(Base):
    """A seed example the researcher wrote: text and tags (empty tags: a non-story)."""

    __tablename__ = "story_examples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    taxonomy_version: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime]


class StoryRow(ProvenanceColumns, Base):
    """A detected story: one post, a short run of one author's posts in a thread, or a feedback answer."""

    __tablename__ = "stories"
    story_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # post, thread_run, feedback
    thread_key: Mapped[str | None] = mapped_column(String(300))
    source_ids: Mapped[list[Any]] = mapped_column(default=list)  # post ids, or "feedback:<response_id>"
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    told_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(200))
    text_redacted: Mapped[str] = mapped_column(Text)
    story_score: Mapped[float] = mapped_column(Float)
    detected_at: Mapped[datetime]


class TagSuggestionRow(ProvenanceColumns, Base):
    """A tag on a story under one taxonomy version: the tagger's suggestion, then the researcher's verdict."""

    __tablename__ = "tag_suggestions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.story_id"), index=True)
    tag: Mapped[str] = mapped_column(String(80))
    taxonomy_version: Mapped[str] = mapped_column(String(80), index=True)
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    highlights: Mapped[list[Any]] = mapped_column(default=list)  # [[start, end], ...] into the story text
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, confirmed, rejected, retagged, superseded
    origin: Mapped[str] = mapped_column(String(20))  # model, person, mapping
    created_at: Mapped[datetime]


class ReviewDecisionRow(Base):
    """Append-only: every confirm, reject and retag with who and when; the next training round reads these."""

    __tablename__ = "review_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("tag_suggestions.id"), index=True)
    story_id: Mapped[str] = mapped_column(String(40), index=True)
    tag: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(20))
    new_tag: Mapped[str | None] = mapped_column(String(80))
    taxonomy_version: Mapped[str] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(Float)  # the suggestion's score when it was decided
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]


class StoryLinkRow(Base):
    """A confirmed story linked to a KPI its tag names (kind kpi) or to its member's cohort then (kind cohort)."""

    __tablename__ = "story_links"
    link_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.story_id"), index=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("tag_suggestions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(120))  # a KPI id, or a cohort such as motivation=learn
    tag: Mapped[str] = mapped_column(String(80))
    taxonomy_version: Mapped[str] = mapped_column(String(80))
    tagger: Mapped[str] = mapped_column(String(200))  # person:<actor> or model:<id>@<revision>
    tag_score: Mapped[float] = mapped_column(Float)
    linked_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once a newer taxonomy version remapped it


class StoryAuditRow(Base):
    """Append-only audit trail of stories: suggestions, decisions, links and remappings, with their sources."""

    __tablename__ = "story_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(20))  # suggested, confirmed, rejected, retagged, linked, remapped
    story_id: Mapped[str] = mapped_column(String(40), index=True)
    suggestion_id: Mapped[int | None] = mapped_column(Integer)
    link_id: Mapped[str | None] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(200))  # who did it: person:<actor> or model:<id>@<revision>
    tag: Mapped[str | None] = mapped_column(String(80))
    taxonomy_version: Mapped[str] = mapped_column(String(80))
    model: Mapped[str | None] = mapped_column(String(200))
    model_revision: Mapped[str | None] = mapped_column(String(80))
    source_ids: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

"""Domain records: frozen dataclasses passed between ingest, stages, storage and reports.

These are the data contracts of ``../shared/docs/PRODUCT.md`` in Python. ORM tables live in
``insight.storage.tables`` and HTTP schemas (later) in ``insight.api.schemas``; records never
import either.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, overload

Platform = Literal["discourse", "slack", "discord", "github", "generic"]
PostKind = Literal["question", "answer", "reply", "comment", "message"]
Moment = Literal["solution_accepted", "event_attended", "resource_finished", "onboarding", "other"]
Motivation = Literal["learn", "lead", "build", "other"]

PLATFORMS: tuple[str, ...] = ("discourse", "slack", "discord", "github", "generic")
POST_KINDS: tuple[str, ...] = ("question", "answer", "reply", "comment", "message")
MOMENTS: tuple[str, ...] = ("solution_accepted", "event_attended", "resource_finished", "onboarding", "other")
MOTIVATIONS: tuple[str, ...] = ("learn", "lead", "build", "other")


@dataclass(frozen=True)
class Provenance:
    """Where an output came from: which stage, model and config, in which run."""

    stage: str
    model: str | None
    model_revision: str | None
    config_hash: str
    run_id: str

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Post:
    """One canonical post. ``author_id`` is already pseudonymised once it leaves ingest."""

    post_id: str
    thread_id: str
    author_id: str
    created_at: datetime
    text: str
    platform: str = "generic"
    channel: str | None = None
    parent_id: str | None = None
    title: str | None = None
    kind: str | None = None
    accepted_answer: bool = False
    reactions: int = 0
    helpful_votes: int = 0
    views: int = 0
    url: str | None = None


@dataclass(frozen=True)
class FeedbackAnswer:
    """An answer to a short feedback prompt asked after a key moment."""

    response_id: str
    prompt_id: str
    moment: str
    author_id: str
    created_at: datetime
    text: str
    rating: int | None = None


@dataclass(frozen=True)
class Member:
    """A community member with cohort fields and consent flags."""

    author_id: str
    platform: str = "generic"
    joined_at: datetime | None = None
    motivation: str = "other"
    segment: str | None = None
    region: str | None = None
    plan: str | None = None
    # None: unknown (a platform user list says nothing about consent); the
    # ingest.unknown_members setting decides, and a later explicit answer wins.
    consent_analytics: bool | None = None
    consent_quotes: bool | None = None


@dataclass(frozen=True)
class KpiObservation:
    """A KPI value computed elsewhere, for one cohort and period."""

    kpi_id: str
    period_start: datetime
    period_end: datetime
    cohort: str
    value: float
    n: int | None = None


@dataclass(frozen=True)
class Sentiment:
    label: Literal["negative", "neutral", "positive"]
    scores: dict[str, float]


@dataclass(frozen=True)
class Safety:
    label: Literal["unsafe", "safe"]
    category: str | None
    score: float
    evidence: str | None = None


@dataclass(frozen=True)
class Doc:
    """What flows through the pipeline: one text plus whatever stages have assigned.

    Stages declare the fields they read (``requires``) and write (``assigns``) by these
    attribute names, for example ``"doc.embedding"``.
    """

    id: str
    text: str
    post: Post | None = None
    redacted: str | None = None  # text with PII replaced; what embeddings and displays use
    embedding: Any = None  # numpy vector, L2-normalised
    sentiment: Sentiment | None = None
    emotion: dict[str, float] | None = None
    toxicity: dict[str, float] | None = None  # offensive and hate probabilities
    safety: Safety | None = None
    topic: int | None = None
    topic_probability: float | None = None
    provenance: tuple[Provenance, ...] = field(default_factory=tuple)

    def with_(self, stage_provenance: Provenance | None = None, **changes: Any) -> Doc:
        """A copy with ``changes`` applied and, if given, one more provenance entry."""
        if stage_provenance is not None:
            changes["provenance"] = (*self.provenance, stage_provenance)
        return dataclasses.replace(self, **changes)


TriageReason = Literal["rising_frustration", "safety_concern", "unanswered_question", "amplify_excitement"]
TRIAGE_REASONS: tuple[str, ...] = (
    "safety_concern",
    "rising_frustration",
    "unanswered_question",
    "amplify_excitement",
)


@dataclass(frozen=True)
class TriageItem:
    """One thread in the moderator queue, with why it is there."""

    thread_id: str
    needs_attention: bool
    priority: float
    reasons: tuple[str, ...]
    explanation: str
    evidence_post_ids: tuple[str, ...] = ()
    channel: str | None = None
    title: str | None = None
    provenance: Provenance | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "thread_id": self.thread_id,
            "needs_attention": self.needs_attention,
            "priority": round(self.priority, 4),
            "reasons": list(self.reasons),
            "explanation": self.explanation,
            "evidence_post_ids": list(self.evidence_post_ids),
            "channel": self.channel,
            "title": self.title,
            "provenance": self.provenance.as_dict() if self.provenance else None,
        }


@dataclass(frozen=True)
class StoryMetricPair:
    """A KPI value for a cohort and period beside one confirmed story that illustrates it.

    The contract between stories (which produce pairs), reports and the API (which show them).
    ``quote`` is redacted text, and None when the story's member did not consent to quotes:
    reporting roles and reports then show the tag and the numbers, never the words.
    Every pair traces back through ``link_id`` to the append-only audit trail: its source
    posts, its tagger (model and revision, or a person) and the taxonomy version.
    """

    kpi_id: str
    cohort: str  # "all", "join_month=2026-03", "motivation=learn", "segment=..."
    period: str  # YYYY-MM
    value: float | None
    n: int
    story_id: str
    link_id: str
    tag: str
    tag_score: float  # the tagger's confidence in the tag that names this KPI (1.0 once a person confirmed it)
    quote: str | None
    source_post_ids: tuple[str, ...]
    tagger: str  # "model:<id>@<revision>" or "person:<actor>"
    taxonomy_version: str
    linked_at: datetime
    thread_id: str | None = None
    channel: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["source_post_ids"] = list(self.source_post_ids)
        out["linked_at"] = self.linked_at.isoformat()
        return out


@dataclass(frozen=True)
class StoredPost:
    """A stored post: its primary key, the canonical post (raw text) and the redacted text shown."""

    pk: int
    post: Post
    text_redacted: str


@dataclass(frozen=True)
class QueueItem:
    """One thread in the moderator queue, as stored."""

    id: int | None
    thread_key: str
    status: str
    priority: float
    needs_attention: bool
    reasons: tuple[str, ...]
    raised_reasons: tuple[str, ...]
    explanation: str
    evidence_post_ids: tuple[str, ...]
    details: tuple[dict[str, Any], ...]
    channel: str | None
    title: str | None
    opened_at: datetime
    ranked_at: datetime
    status_changed_at: datetime
    attention_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "thread_id": self.thread_key, "status": self.status, "priority": round(self.priority, 4),
            "needs_attention": self.needs_attention, "reasons": list(self.reasons),
            "raised_reasons": list(self.raised_reasons), "explanation": self.explanation,
            "evidence_post_ids": list(self.evidence_post_ids), "details": list(self.details),
            "channel": self.channel, "title": self.title, "opened_at": self.opened_at.isoformat(),
            "ranked_at": self.ranked_at.isoformat(), "status_changed_at": self.status_changed_at.isoformat(),
            "attention_at": self.attention_at.isoformat(),
        }


@dataclass(frozen=True)
class QueueAction:
    """One audit row: who did what to which item, when and why (append-only)."""

    item_id: int
    thread_key: str
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: datetime
    reason: str | None = None
    reasons: tuple[str, ...] = ()
    priority: float = 0.0
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "item_id": self.item_id, "thread_id": self.thread_key, "action": self.action,
                "from_status": self.from_status, "to_status": self.to_status, "actor": self.actor,
                "at": self.at.isoformat(), "reason": self.reason, "reasons": list(self.reasons),
                "priority": round(self.priority, 4)}


@overload
def utc(value: datetime) -> datetime: ...


@overload
def utc(value: None) -> None: ...


def utc(value: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC (SQLite returns them naive; every stored time is UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# --- business data: accounts, member links, touchpoints, outcomes, support costs (issue 20) ---------

# Touchpoints in the community (posts become the first three automatically) and outside it.
COMMUNITY_TOUCHPOINTS: tuple[str, ...] = ("thread_question", "thread_answer", "accepted_solution", "event_attended",
                                          "office_hours", "roundtable", "guide_viewed")
OTHER_TOUCHPOINTS: tuple[str, ...] = ("sales_meeting", "demo_call", "marketing_email", "webinar", "ad_click",
                                      "trial_signup", "other")
TOUCHPOINT_KINDS: tuple[str, ...] = COMMUNITY_TOUCHPOINTS + OTHER_TOUCHPOINTS
OUTCOME_KINDS: tuple[str, ...] = ("opportunity", "closed_won", "closed_lost", "renewal", "expansion", "churn")


@dataclass(frozen=True)
class Account:
    """A customer or prospect account; ``size`` in employees, ``started_at`` when it became one (tenure)."""

    account_id: str
    segment: str | None = None
    plan: str | None = None
    region: str | None = None
    size: int | None = None
    started_at: datetime | None = None


@dataclass(frozen=True)
class AccountLink:
    """A member (pseudonymised ``author_id``, as posts store it) who belongs to an account."""

    author_id: str
    account_id: str


@dataclass(frozen=True)
class Touchpoint:
    """A contact between an account (or a member of it) and the company; ``community`` by kind."""

    touchpoint_id: str
    occurred_at: datetime
    kind: str
    account_id: str | None = None
    author_id: str | None = None
    channel: str | None = None
    source_id: str | None = None  # the post or event id

    @property
    def community(self) -> bool:
        return self.kind in COMMUNITY_TOUCHPOINTS


@dataclass(frozen=True)
class Outcome:
    """A business outcome of an account: an opportunity opened, a deal won or lost, a renewal, churn."""

    outcome_id: str
    account_id: str
    kind: str
    occurred_at: datetime
    amount: float = 0.0


@dataclass(frozen=True)
class SupportCost:
    """A month's support tickets and their cost per ticket (the basis of deflection savings)."""

    period: str  # YYYY-MM
    tickets: int
    cost_per_ticket: float

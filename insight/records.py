"""Domain records: frozen dataclasses passed between ingest, stages, storage and reports.

These are the data contracts of ``../shared/docs/PRODUCT.md`` in Python. ORM tables live in
``insight.storage.tables`` and HTTP schemas (later) in ``insight.api.schemas``; records never
import either.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

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

"""Request bodies of the API (responses are the services' dicts, documented per route)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TriageActionIn(_Body):
    action: Literal["acknowledge", "resolve", "escalate", "dismiss", "reopen"]
    reason: str | None = Field(None, max_length=2000, description="Why; required to dismiss.")


class RefreshIn(_Body):
    as_of: datetime | None = Field(None, description="Rank as of this instant (UTC); default now.")


class ReviewIn(_Body):
    decision: Literal["confirm", "reject", "retag"]
    new_tag: str | None = Field(None, max_length=80, description="The tag to use instead; required to retag.")


class KeyIn(_Body):
    role: Literal["moderator", "researcher", "reporter", "admin"]
    name: str = Field("", max_length=120, description="Who or what uses the key; names the actor in audits.")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable error code (insight/errors.py): E4xx storage, E6xx input, E7xx HTTP.")
    message: str = Field(description="What went wrong, where, and how to fix it.")


class ErrorOut(BaseModel):
    """Every coded error answer."""

    error: ErrorBody


# --- answers (documentation of the services' dicts; hot routes send the dicts as they are) ---------


class EvidencePost(BaseModel):
    post_id: str
    created_at: str
    text: str = Field(description="Redacted text: the only text ever shown.")
    url: str | None = None
    highlights: list[list[int]] = Field([], description="[start, end] of what a signal flagged, in `text`.")


class QueueItemOut(BaseModel):
    id: int
    thread_id: str = Field(description="platform:thread_id")
    status: Literal["open", "acknowledged", "escalated", "resolved", "dismissed"]
    priority: float
    needs_attention: bool
    reasons: list[str]
    raised_reasons: list[str]
    explanation: str
    evidence_post_ids: list[str]
    details: list[dict] = Field(description="Per signal: reason, score, evidence, trigger time, spans.")  # type: ignore[type-arg]
    channel: str | None
    title: str | None
    opened_at: str
    ranked_at: str
    status_changed_at: str
    attention_at: str
    evidence: list[EvidencePost] = []


class QueuePage(BaseModel):
    total: int = Field(description="Items matching the filters, over all pages.")
    offset: int
    limit: int
    items: list[QueueItemOut]


class QueueActionOut(BaseModel):
    id: int | None
    item_id: int
    thread_id: str
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: str
    reason: str | None
    reasons: list[str]
    priority: float


class ActedOut(BaseModel):
    item: QueueItemOut
    action: QueueActionOut


class KeyOut(BaseModel):
    id: int
    prefix: str = Field(description="Names the key in lists and logs; not a secret.")
    role: str
    name: str
    created_at: str | None
    revoked_at: str | None


class KeyCreated(KeyOut):
    key: str = Field(description="The secret: shown in this answer only, stored as its SHA-256.")


class JobStats(BaseModel):
    by_status: dict[str, int]
    by_outcome: dict[str, int]
    oldest_queued_seconds: float | None


class WebhookAnswer(BaseModel):
    queued: int | None = Field(None, description="Posts queued for scoring (absent for a handshake).")
    duplicates: int | None = Field(None, description="Posts already queued before (redeliveries).")
    rejected: int | None = None
    rejects: list[dict] | None = None  # type: ignore[type-arg]
    challenge: str | None = Field(None, description="Slack url_verification answer.")
    pong: bool | None = None
    ok: bool | None = None

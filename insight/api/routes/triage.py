"""The moderator queue: list with filters (evidence inline), one item, act on it, refresh the ranking."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from insight.api import deps
from insight.api.errors import KEYED
from insight.api.schemas import ActedOut, QueuePage, RefreshIn, TriageActionIn
from insight.api.team_schemas import AssignIn, BulkDismissIn, BulkIn, NoteIn, SnoozeIn, UndoIn
from insight.config import Settings
from insight.records import TRIAGE_REASONS
from insight.services import moderation, queue_view, triage
from insight.services.auth import Principal
from insight.triage.queue import STATUSES

router = APIRouter(prefix="/api/v1/triage", tags=["triage"], responses=KEYED)
Moderator = Annotated[Principal, Depends(deps.role("moderator"))]
EngineDep = Annotated[Engine, Depends(deps.engine)]


@router.get("/queue", response_model=QueuePage,
            summary="Queue items, highest priority first, with their evidence posts (redacted)")
def queue(who: Moderator, engine: EngineDep, settings: Annotated[Settings, Depends(deps.settings)],
          status: Annotated[Literal[(*queue_view.VIEWS, *STATUSES)],  # type: ignore[valid-type]
                            Query(description="active (open, acknowledged, escalated; not snoozed), snoozed, "
                                              "mine (active, assigned to you), all, or one status")]
          = "active",
          reason: Annotated[Literal[TRIAGE_REASONS] | None, Query()] = None,  # type: ignore[valid-type]
          channel: Annotated[str | None, Query(max_length=200)] = None,
          limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0) -> JSONResponse:
    # Sent as the service built it (already JSON types): no per-field re-validation on the hot path.
    return JSONResponse(queue_view.queue_page(engine, status=status, reason=reason, channel=channel, limit=limit,
                                              offset=offset, settings=settings.triage, actor=who.actor))


@router.get("/items/{item_id}", summary="One item with its evidence and its audit trail")
def item(item_id: deps.RowId, _who: Moderator, engine: EngineDep,
         settings: Annotated[Settings, Depends(deps.settings)]) -> dict[str, Any]:
    return queue_view.item_view(engine, item_id, settings.triage)


@router.post("/items/{item_id}/actions", response_model=ActedOut,
             summary="Acknowledge, resolve, escalate, dismiss or reopen; audited")
def act(item_id: deps.RowId, body: TriageActionIn, who: Moderator, engine: EngineDep) -> dict[str, Any]:
    return triage.act(engine, item_id, body.action, who.actor, body.reason)


@router.post("/refresh", summary="Rank stored threads and bring the queue up to date")
def refresh(body: RefreshIn, _who: Moderator, engine: EngineDep,
            settings: Annotated[Settings, Depends(deps.settings)]) -> dict[str, Any]:
    as_of = body.as_of or datetime.now(UTC)
    return triage.refresh_queue(engine, settings, as_of=as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC))


# --- a team's working day: assign, note, snooze, bulk, undo ---------------------------------------


@router.post("/items/{item_id}/assign", summary="Claim (assign to yourself) or assign to a named moderator")
def assign(item_id: deps.RowId, body: AssignIn, who: Moderator, engine: EngineDep) -> dict[str, Any]:
    return moderation.assign(engine, item_id, who.actor if body.claim else body.assignee, who.actor)


@router.post("/items/{item_id}/notes", summary="Add a note (redacted) to an item; audited")
def note(item_id: deps.RowId, body: NoteIn, who: Moderator, engine: EngineDep) -> dict[str, Any]:
    return moderation.add_note(engine, item_id, body.text, who.actor)


@router.post("/items/{item_id}/snooze", summary="Hide an active item until a time, or until new evidence")
def snooze(item_id: deps.RowId, body: SnoozeIn, who: Moderator, engine: EngineDep) -> dict[str, Any]:
    until = body.until if body.until.tzinfo else body.until.replace(tzinfo=UTC)
    return moderation.snooze(engine, item_id, until, who.actor)


@router.post("/bulk", summary="One action on many items; items it does not apply to are skipped and named")
def bulk(body: BulkIn | BulkDismissIn, who: Moderator, engine: EngineDep) -> dict[str, Any]:
    return moderation.bulk_act(engine, body.item_ids, body.action, who.actor, body.reason)


@router.post("/undo", summary="Undo actions (each the latest on its item): status and state are restored")
def undo(body: UndoIn, who: Moderator, engine: EngineDep) -> dict[str, Any]:
    return moderation.undo(engine, body.action_ids, who.actor)

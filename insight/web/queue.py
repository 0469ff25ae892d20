"""The triage queue page and its forms: status actions, claim/assign, notes, snooze, bulk, undo.

Each form posts, then redirects back to the list with the filters kept; ``sel`` names the item to
select (the acted one while it is still listed, else the one after it: no jump to the top) and
``undo`` the audit rows the confirmation's Undo button reverts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from insight.errors import InsightError
from insight.records import TRIAGE_REASONS
from insight.services import moderation, queue_view, triage
from insight.services.auth import Principal
from insight.triage.queue import ALLOWED, STATUSES
from insight.web.page import back, posted, render, segments, user

router = APIRouter(include_in_schema=False)
QUEUE_ACTIONS = (("acknowledge", "a"), ("resolve", "r"), ("escalate", "e"), ("dismiss", "d"), ("reopen", "o"))
BULK_ACTIONS = ("dismiss", "resolve", "acknowledge", "escalate")
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=2000)]
Short = Annotated[str, Form(max_length=200)]


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, status: str = "active", reason: str = "", channel: str = "", msg: str = "",
               error: str = "", undo: str = "") -> Response:
    who = user(request, ("moderator",))
    if isinstance(who, Response):
        return who
    engine = request.app.state.engine
    try:
        page = queue_view.queue_page(engine, status=status, reason=reason or None, channel=channel or None,
                                     limit=200, settings=request.app.state.settings.triage, actor=who.actor)
    except InsightError as exc:
        page, error = {"items": [], "total": 0}, exc.message
    for item in page["items"]:
        for post in item["evidence"]:
            post["segments"] = segments(post["text"], post["highlights"])
    fresh = [i for i in page["items"] if not i["faded"]]
    faded = [i for i in page["items"] if i["faded"]]
    return render(request, "queue.html", who, page=page, fresh=fresh, faded=faded, status=status, reason=reason,
                  channel=channel, statuses=(*queue_view.VIEWS, *STATUSES), reasons=TRIAGE_REASONS,
                  channels=queue_view.channels(engine), actions=QUEUE_ACTIONS, bulk_actions=BULK_ACTIONS,
                  allowed=ALLOWED, msg=msg, error=error, undo=undo,
                  fade_days=request.app.state.settings.triage.fade_unanswered_after_days, now=datetime.now(UTC))


def _posted(request: Request, csrf: str) -> Principal | Response:
    """The moderator behind a form post, or the answer that refuses it."""
    return posted(request, ("moderator",), csrf)


def _back(filters: dict[str, str], item_id: int | None, next_id: str, engine: Any, *, msg: str = "",
          error: str = "", undo: str = "") -> Response:
    """Back to the list: the acted item stays selected while it is listed, else the next one is."""
    still = False
    if item_id is not None and not error:
        try:
            still = any(i.id == item_id for i in triage.list_queue(engine, status=_stored(filters["status"]),
                                                                   reason=filters["filter_reason"] or None,
                                                                   channel=filters["channel"] or None))
        except InsightError:
            still = False
    sel = item_id if (still or error) else (next_id or None)
    return back("/queue", {"status": filters["status"], "reason": filters["filter_reason"],
                           "channel": filters["channel"], "msg": msg, "error": error, "undo": undo, "sel": sel})


def _stored(view: str) -> str:
    return "active" if view in queue_view.VIEWS[:3] else view


def _filters(status: str, filter_reason: str, channel: str) -> dict[str, str]:
    return {"status": status, "filter_reason": filter_reason, "channel": channel}


@router.post("/queue/{item_id}/act")
def queue_act(request: Request, item_id: ItemId, action: Annotated[str, Form(max_length=40)], reason: Text = "",
              status: Short = "", filter_reason: Short = "", channel: Short = "", csrf: Short = "",
              next: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    filters, engine = _filters(status, filter_reason, channel), request.app.state.engine
    try:
        done = triage.act(engine, item_id, action, who.actor, reason or None)
    except InsightError as exc:
        return _back(filters, item_id, next, engine, error=exc.message)
    item = done["item"]
    return _back(filters, item_id, next, engine, undo=str(done["action"]["id"]),
                 msg=f"Item {item_id} ({item['title'] or item['thread_id']}): {action} → {item['status']}")


@router.post("/queue/{item_id}/assign")
def queue_assign(request: Request, item_id: ItemId, assignee: Short = "", claim: Short = "", status: Short = "",
                 filter_reason: Short = "", channel: Short = "", csrf: Short = "", next: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    filters, engine = _filters(status, filter_reason, channel), request.app.state.engine
    try:
        done = moderation.assign(engine, item_id, who.actor if claim else assignee, who.actor)
    except InsightError as exc:
        return _back(filters, item_id, next, engine, error=exc.message)
    said = f"assigned to {done['assignee']}" if done["assignee"] else "unassigned"
    return _back(filters, item_id, next, engine, msg=f"Item {item_id}: {said}", undo=str(done["action"]["id"]))


@router.post("/queue/{item_id}/note")
def queue_note(request: Request, item_id: ItemId, text: Text = "", status: Short = "", filter_reason: Short = "",
               channel: Short = "", csrf: Short = "", next: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    filters, engine = _filters(status, filter_reason, channel), request.app.state.engine
    try:
        moderation.add_note(engine, item_id, text, who.actor)
    except InsightError as exc:
        return _back(filters, item_id, next, engine, error=exc.message)
    return _back(filters, item_id, next, engine, msg=f"Item {item_id}: note added")


@router.post("/queue/{item_id}/snooze")
def queue_snooze(request: Request, item_id: ItemId, until: Short = "", hours: Short = "", status: Short = "",
                 filter_reason: Short = "", channel: Short = "", csrf: Short = "", next: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    filters, engine = _filters(status, filter_reason, channel), request.app.state.engine
    try:
        when = _until(until, hours)
        done = moderation.snooze(engine, item_id, when, who.actor)
    except InsightError as exc:
        return _back(filters, item_id, next, engine, error=exc.message)
    return _back(filters, item_id, next, engine, undo=str(done["action"]["id"]),
                 msg=f"Item {item_id}: snoozed until {done['snoozed_until'][:16].replace('T', ' ')} UTC")


def _until(until: str, hours: str) -> datetime:
    """The snooze end from the form: a UTC date-time (``datetime-local``), or hours from now."""
    if until.strip():
        text = until.strip()
        return triage.parse_as_of(text if "+" in text or text.endswith("Z") else text + "Z", "until")
    try:
        return datetime.now(UTC) + timedelta(hours=float(hours))
    except ValueError:
        return triage.parse_as_of(hours or "(empty)", "until")


@router.post("/queue/bulk")
def queue_bulk(request: Request, action: Annotated[str, Form(max_length=40)],
               item_ids: Annotated[list[int], Form(max_length=500)] = [],  # noqa: B006 (FastAPI reads it, never mutates)
               reason: Text = "", status: Short = "", filter_reason: Short = "", channel: Short = "",
               csrf: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    filters, engine = _filters(status, filter_reason, channel), request.app.state.engine
    try:
        done = moderation.bulk_act(engine, item_ids, action, who.actor, reason or None)
    except InsightError as exc:
        return _back(filters, None, "", engine, error=exc.message)
    skipped = f"; {len(done['skipped'])} skipped" if done["skipped"] else ""
    return _back(filters, None, "", engine, msg=f"{action}: {done['done']} item(s){skipped}",
                 undo=",".join(str(i) for i in done["action_ids"]))


@router.post("/queue/undo")
def queue_undo(request: Request, action_ids: Short, status: Short = "", filter_reason: Short = "",
               channel: Short = "", csrf: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    filters, engine = _filters(status, filter_reason, channel), request.app.state.engine
    try:
        ids = [int(a) for a in action_ids.split(",") if a.strip()]
        done = moderation.undo(engine, ids, who.actor)
    except ValueError:
        return _back(filters, None, "", engine, error="Nothing to undo.")
    except InsightError as exc:
        return _back(filters, None, "", engine, error=exc.message)
    first = done["actions"][0]["item_id"] if done["actions"] else None
    return _back(filters, first, "", engine, msg=f"Undone: {done['undone']} action(s)")

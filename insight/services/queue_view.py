"""The triage queue as moderators see it in the API and the pages: a page of items, evidence inline.

Items come from ``insight.services.triage.list_queue`` (the CLI's listing); this adds the
redacted text of each item's evidence posts, so a moderator decides without opening the
thread. Author ids are never part of it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.config import TriageSettings
from insight.errors import StorageError
from insight.records import QueueItem
from insight.services import triage
from insight.storage import moderation, posts, queue
from insight.storage.db import session_scope
from insight.triage.marks import evidence_reasons, faded, priority_words, reason_marks
from insight.triage.queue import ACTIVE

# Pseudo-statuses of the list beside the stored ones: active items not snoozed, and those snoozed.
VIEWS = ("active", "snoozed", "mine", "all")


def _highlights(item: QueueItem) -> dict[str, list[list[int]]]:
    """post id -> [start, end] of what a signal flagged in it (offsets into the redacted text shown)."""
    out: dict[str, list[list[int]]] = defaultdict(list)
    for detail in item.details:
        for span in detail.get("spans", []) if isinstance(detail, dict) else []:
            if "start" in span and "end" in span:
                out[span["post_id"]].append([span["start"], span["end"]])
    return out


def evidence(session: Session, items: list[QueueItem]) -> dict[int, list[dict[str, Any]]]:
    """item id -> its evidence posts (post id, time, redacted text, url, highlights), in the item's order."""
    # Posts are looked up per platform (their unique key is platform and post id); thread keys are "platform:thread_id".
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        wanted[item.thread_key.split(":", 1)[0]].update(item.evidence_post_ids)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for platform, post_ids in wanted.items():
        for row in posts.redacted_posts(session, platform, post_ids):
            found[(row["thread_key"], row["post_id"])] = {
                "post_id": row["post_id"], "created_at": row["created_at"].isoformat(),
                "text": row["text_redacted"], "url": row["url"]}
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        marks = _highlights(item)
        by_post = evidence_reasons(item.details)  # type: ignore[arg-type]
        shown = [p for p in item.evidence_post_ids if (item.thread_key, p) in found]
        words = reason_marks(by_post, {p: found[(item.thread_key, p)]["text"] for p in shown})
        out[item.id] = [{**found[(item.thread_key, p)], "highlights": marks.get(p, []) + words.get(p, []),  # type: ignore[index]
                         "reasons": by_post.get(p, [])} for p in shown]
    return out


def queue_page(engine: Engine, *, status: str | None = None, reason: str | None = None, channel: str | None = None,
               limit: int = 50, offset: int = 0, settings: TriageSettings | None = None, actor: str | None = None,
               now: datetime | None = None) -> dict[str, Any]:
    """One page of the queue, highest priority first, with evidence and what a team needs on each card.

    ``status``: active (not snoozed), snoozed, mine (active items assigned to ``actor``), all, or a
    stored status. Each item carries its thread's link and start, the moderation state (assignee,
    snooze, notes), its last action, its dismiss reason, the priority in words and ``faded``.
    """
    now = now or datetime.now(UTC)
    view = status or "active"
    statuses = ACTIVE if view in ("active", "snoozed", "mine") else view
    filters: dict[str, Any] = {"status": statuses, "reason": reason, "channel": channel}
    extra: dict[str, Any] = {"snoozed": view == "snoozed" if view in ("active", "snoozed") else None, "at": now,
                             "assignee": (actor or "") if view == "mine" else None}
    triage.check_filters(**filters)
    # One session (one connection checkout) for the page and its cards: the queue page is the
    # service's hottest read, and per-read overhead is most of its time.
    with session_scope(engine) as session:
        page, total = queue.queue_page(session, statuses=triage.statuses(statuses), reason=reason, channel=channel,
                                       limit=limit, offset=offset, **extra)
        return {"total": total, "offset": offset, "limit": limit,
                "items": cards(session, page, settings or TriageSettings(), now)}


def cards(session: Session, items: list[QueueItem], settings: TriageSettings, now: datetime) -> list[dict[str, Any]]:
    """Queue items as the API and the page show them (see ``queue_page``)."""
    inline = evidence(session, items)
    ids = [i.id for i in items]
    states = moderation.states(session, ids)  # type: ignore[arg-type]
    notes = moderation.notes(session, ids)  # type: ignore[arg-type]
    last, dismissed = moderation.latest_actions(session, ids, "dismiss")  # type: ignore[arg-type]
    starts = moderation.thread_starts(session, [i.thread_key for i in items])
    out = []
    for i in items:
        state, start = states[i.id], starts.get(i.thread_key, {})  # type: ignore[index]
        snoozed = state["snoozed_until"] is not None and state["snoozed_until"] > now
        out.append({
            **i.as_dict(), "evidence": inline.get(i.id, []),  # type: ignore[arg-type]
            "thread_url": start.get("url"), "started_at": _iso(start.get("created_at")),
            "flagged_hours": round((now - i.opened_at).total_seconds() / 3600, 1),
            "assignee": state["assignee"], "snoozed_until": _iso(state["snoozed_until"]) if snoozed else None,
            "notes": [{"actor": n["actor"], "text": n["text"], "at": n["at"].isoformat()} for n in notes[i.id]],  # type: ignore[index]
            "last_action": last[i.id].as_dict() if i.id in last else None,
            "dismiss_reason": dismissed[i.id].reason if i.id in dismissed else None,
            "priority_words": priority_words(i.details, i.priority, settings),  # type: ignore[arg-type]
            "faded": faded(i.reasons, i.details, settings),  # type: ignore[arg-type]
        })
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def item_view(engine: Engine, item_id: int, settings: TriageSettings | None = None) -> dict[str, Any]:
    """One item with its evidence and its audit trail.

    Raises:
        StorageError: E421 when there is no item ``item_id``.
    """
    with session_scope(engine) as session:
        item = queue.queue_item(session, item_id)
        if item is None:
            raise StorageError("E421", item_id=item_id)
        card = cards(session, [item], settings or TriageSettings(), datetime.now(UTC))[0]
    return {**card, "history": [a.as_dict() for a in triage.queue_history(engine, item_id)]}


def channels(engine: Engine) -> list[str]:
    """Channels that have queue items, for the filter."""
    with session_scope(engine) as session:
        return queue.queue_channels(session)

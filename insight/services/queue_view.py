"""The triage queue as moderators see it in the API and the pages: a page of items, evidence inline.

Items come from ``insight.services.triage.list_queue`` (the CLI's listing); this adds the
redacted text of each item's evidence posts, so a moderator decides without opening the
thread. Author ids are never part of it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine

from insight.errors import StorageError
from insight.records import QueueItem
from insight.services import triage
from insight.storage import posts, queue
from insight.storage.db import session_scope


def _highlights(item: QueueItem) -> dict[str, list[list[int]]]:
    """post id -> [start, end] of what a signal flagged in it (offsets into the redacted text shown)."""
    out: dict[str, list[list[int]]] = defaultdict(list)
    for detail in item.details:
        for span in detail.get("spans", []) if isinstance(detail, dict) else []:
            if "start" in span and "end" in span:
                out[span["post_id"]].append([span["start"], span["end"]])
    return out


def evidence(engine: Engine, items: list[QueueItem]) -> dict[int, list[dict[str, Any]]]:
    """item id -> its evidence posts (post id, time, redacted text, url, highlights), in the item's order."""
    # Posts are looked up per platform (their unique key is platform and post id); thread keys are "platform:thread_id".
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        wanted[item.thread_key.split(":", 1)[0]].update(item.evidence_post_ids)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    with session_scope(engine) as session:
        for platform, post_ids in wanted.items():
            for row in posts.redacted_posts(session, platform, post_ids):
                found[(row["thread_key"], row["post_id"])] = {
                    "post_id": row["post_id"], "created_at": row["created_at"].isoformat(),
                    "text": row["text_redacted"], "url": row["url"]}
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        marks = _highlights(item)
        out[item.id] = [{**found[(item.thread_key, p)], "highlights": marks.get(p, [])}  # type: ignore[index]
                        for p in item.evidence_post_ids if (item.thread_key, p) in found]
    return out


def queue_page(engine: Engine, *, status: str | None = None, reason: str | None = None, channel: str | None = None,
               limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """One page of the queue, highest priority first, with evidence and the channels to filter by."""
    page = triage.list_queue(engine, status=status, reason=reason, channel=channel, limit=limit, offset=offset)
    total = triage.count_queue(engine, status=status, reason=reason, channel=channel)
    inline = evidence(engine, page)
    return {"total": total, "offset": offset, "limit": limit,
            "items": [{**i.as_dict(), "evidence": inline.get(i.id, [])} for i in page]}  # type: ignore[arg-type]


def item_view(engine: Engine, item_id: int) -> dict[str, Any]:
    """One item with its evidence and its audit trail.

    Raises:
        StorageError: E421 when there is no item ``item_id``.
    """
    with session_scope(engine) as session:
        item = queue.queue_item(session, item_id)
    if item is None:
        raise StorageError("E421", item_id=item_id)
    return {**item.as_dict(), "evidence": evidence(engine, [item]).get(item_id, []),
            "history": [a.as_dict() for a in triage.queue_history(engine, item_id)]}


def channels(engine: Engine) -> list[str]:
    """Channels that have queue items, for the filter."""
    with session_scope(engine) as session:
        return queue.queue_channels(session)

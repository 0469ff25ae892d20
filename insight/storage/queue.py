"""Triage: ranking history (``triage_items``), the moderator queue (one item per thread, updated in
place) and the queue's append-only audit of actions (``triage_actions``, the labelled history).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from insight.records import Provenance, QueueAction, QueueItem, TriageItem, utc
from insight.storage.moderation_tables import QueueStateRow
from insight.storage.rows import provenance, stage_models
from insight.storage.tables import ThreadRow, TriageActionRow, TriageItemRow, TriageQueueRow

# --- ranking history ------------------------------------------------------------------------


def save_triage(session: Session, items: Sequence[TriageItem], as_of: datetime, prov: Provenance) -> None:
    for item in items:
        session.add(TriageItemRow(
            thread_key=item.thread_id, as_of=as_of, needs_attention=item.needs_attention, priority=item.priority,
            reasons=list(item.reasons), explanation=item.explanation, evidence_post_ids=list(item.evidence_post_ids),
            status="open", **provenance(prov),
        ))


def last_triage_run(session: Session) -> str | None:
    """The run id of the newest stored ranking."""
    return session.scalar(select(TriageItemRow.run_id).order_by(TriageItemRow.id.desc()).limit(1))


def attention_items(session: Session, run_id: str, limit: int) -> list[dict[str, Any]]:
    """The threads run ``run_id`` said need attention, highest priority first, with their title and channel."""
    rows = session.execute(
        select(TriageItemRow, ThreadRow.title, ThreadRow.channel)
        .join(ThreadRow, ThreadRow.thread_key == TriageItemRow.thread_key)
        .where(TriageItemRow.run_id == run_id, TriageItemRow.needs_attention.is_(True))
        .order_by(TriageItemRow.priority.desc(), TriageItemRow.thread_key).limit(limit)
    ).all()
    return [{"thread_id": r.thread_key, "title": title, "channel": channel, "priority": r.priority,
             "reasons": r.reasons, "explanation": r.explanation} for r, title, channel in rows]


def triage_snapshot_rows(session: Session, run_id: str | None) -> list[tuple[Any, ...]]:
    """(thread key, needs attention, priority, reasons, explanation) of run ``run_id``, by thread key."""
    return [tuple(r) for r in session.execute(
        select(TriageItemRow.thread_key, TriageItemRow.needs_attention, TriageItemRow.priority,
               TriageItemRow.reasons, TriageItemRow.explanation)
        .where(TriageItemRow.run_id == run_id).order_by(TriageItemRow.thread_key))]


def triage_models(session: Session, run_id: str | None) -> set[tuple[str, str | None, str | None]]:
    """Distinct (stage, model, model_revision) of a ranking run (of every run when ``run_id`` is None)."""
    return stage_models(session, TriageItemRow, run_id)


# --- the queue (items updated in place) -----------------------------------------------------


def _queue_filters(stmt: Any, statuses: Sequence[str] | None = None, reason: str | None = None,
                   channel: str | None = None, snoozed: bool | None = None, at: datetime | None = None,
                   assignee: str | None = None) -> Any:
    if snoozed is not None or assignee is not None:
        # The item's moderation state (``moderation_tables``): snoozed past ``at``, and its assignee.
        stmt = stmt.outerjoin(QueueStateRow, QueueStateRow.item_id == TriageQueueRow.id)
        if snoozed is True:
            stmt = stmt.where(QueueStateRow.snoozed_until > at)
        elif snoozed is False:
            stmt = stmt.where(or_(QueueStateRow.snoozed_until.is_(None), QueueStateRow.snoozed_until <= at))
        if assignee is not None:
            stmt = stmt.where(QueueStateRow.assignee == assignee)
    if statuses:
        stmt = stmt.where(TriageQueueRow.status.in_(list(statuses)))
    if channel is not None:
        stmt = stmt.where(TriageQueueRow.channel == channel)
    if reason is not None:
        # JSON containment differs between SQLite and PostgreSQL; the JSON text of the list is the
        # same on both, and reasons are fixed words without quotes, so '"reason"' matches exactly.
        stmt = stmt.where(cast(TriageQueueRow.reasons, String).like(f'%"{reason}"%'))
    return stmt


# The columns a QueueItem holds: a page reads rows of these, not ORM objects (no identity map, no
# provenance columns).
_ITEM_COLUMNS = (TriageQueueRow.id, TriageQueueRow.thread_key, TriageQueueRow.status, TriageQueueRow.priority,
                 TriageQueueRow.needs_attention, TriageQueueRow.reasons, TriageQueueRow.raised_reasons,
                 TriageQueueRow.explanation, TriageQueueRow.evidence_post_ids, TriageQueueRow.details,
                 TriageQueueRow.channel, TriageQueueRow.title, TriageQueueRow.opened_at, TriageQueueRow.ranked_at,
                 TriageQueueRow.status_changed_at, TriageQueueRow.attention_at)
_PRIORITY_ORDER = (TriageQueueRow.priority.desc(), TriageQueueRow.thread_key)  # ties by thread: a stable page


def queue_items(session: Session, *, statuses: Sequence[str] | None = None, reason: str | None = None,
                channel: str | None = None, limit: int | None = None, offset: int = 0, snoozed: bool | None = None,
                at: datetime | None = None, assignee: str | None = None) -> list[QueueItem]:
    """Queue items, highest priority first; ``reason`` matches any current reason; ``limit``/``offset`` page;
    ``snoozed`` True/False keeps the items snoozed/not snoozed at ``at``; ``assignee`` one person's items."""
    stmt = _queue_filters(select(*_ITEM_COLUMNS), statuses, reason, channel, snoozed, at, assignee)
    stmt = stmt.order_by(*_PRIORITY_ORDER).offset(offset).limit(limit)
    return [_queue_item(row) for row in session.execute(stmt)]


def queue_page(session: Session, *, limit: int, offset: int = 0, **filters: Any) -> tuple[list[QueueItem], int]:
    """One page of ``queue_items`` (same filters) and how many items match in all, in one query: the
    total rides on each row as a window count (a page past the end asks for it on its own)."""
    stmt = _queue_filters(select(*_ITEM_COLUMNS, func.count().over().label("total")), **filters)
    stmt = stmt.order_by(*_PRIORITY_ORDER).offset(offset).limit(limit)
    rows = session.execute(stmt).all()
    if not rows:
        return [], count_queue_items(session, **filters) if offset else 0
    return [_queue_item(row) for row in rows], int(rows[0].total)


def count_queue_items(session: Session, *, statuses: Sequence[str] | None = None, reason: str | None = None,
                      channel: str | None = None, snoozed: bool | None = None, at: datetime | None = None,
                      assignee: str | None = None) -> int:
    stmt = _queue_filters(select(func.count()).select_from(TriageQueueRow), statuses, reason, channel, snoozed, at,
                          assignee)
    return int(session.scalar(stmt) or 0)


def queue_channels(session: Session) -> list[str]:
    """Channels that have queue items (for the queue page's filter)."""
    stmt = select(TriageQueueRow.channel).where(TriageQueueRow.channel.is_not(None)).distinct()
    return sorted(session.scalars(stmt))


def queue_item(session: Session, item_id: int) -> QueueItem | None:
    row = session.get(TriageQueueRow, item_id)
    return None if row is None else _queue_item(row)


def save_queue_item(session: Session, item: QueueItem, prov: Provenance) -> int:
    """Insert a new item (``item.id`` None) or update the thread's item in place; returns its id."""
    values = {
        "status": item.status, "priority": item.priority, "needs_attention": item.needs_attention,
        "reasons": list(item.reasons), "raised_reasons": list(item.raised_reasons), "explanation": item.explanation,
        "evidence_post_ids": list(item.evidence_post_ids), "details": list(item.details), "channel": item.channel,
        "title": item.title, "opened_at": item.opened_at, "ranked_at": item.ranked_at,
        "status_changed_at": item.status_changed_at, "attention_at": item.attention_at, **provenance(prov),
    }
    row = session.get(TriageQueueRow, item.id) if item.id is not None else None
    if row is None:
        row = TriageQueueRow(thread_key=item.thread_key, **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()
    return row.id


def set_queue_status(session: Session, item_id: int, status: str, at: datetime) -> None:
    row = session.get(TriageQueueRow, item_id)
    if row is not None:
        row.status, row.status_changed_at = status, at


def _queue_item(row: Any) -> QueueItem:
    """A QueueItem from a queue row: an ORM object or a row of ``_ITEM_COLUMNS``."""
    return QueueItem(id=row.id, thread_key=row.thread_key, status=row.status, priority=row.priority,
                     needs_attention=row.needs_attention, reasons=tuple(row.reasons),
                     raised_reasons=tuple(row.raised_reasons), explanation=row.explanation,
                     evidence_post_ids=tuple(row.evidence_post_ids), details=tuple(row.details),
                     channel=row.channel, title=row.title, opened_at=utc(row.opened_at),  # type: ignore[arg-type]
                     ranked_at=utc(row.ranked_at), status_changed_at=utc(row.status_changed_at),  # type: ignore[arg-type]
                     attention_at=utc(row.attention_at))  # type: ignore[arg-type]


# --- the audit (append-only) ----------------------------------------------------------------


def add_queue_action(session: Session, action: QueueAction) -> int:
    """Append one audit row. There is no update or delete: the audit is the labelled history."""
    row = TriageActionRow(item_id=action.item_id, thread_key=action.thread_key, action=action.action,
                          from_status=action.from_status, to_status=action.to_status, actor=action.actor,
                          reason=action.reason, at=action.at, reasons=list(action.reasons), priority=action.priority)
    session.add(row)
    session.flush()
    return row.id


def queue_actions(session: Session, item_id: int | None = None) -> list[QueueAction]:
    stmt = select(TriageActionRow).order_by(TriageActionRow.at, TriageActionRow.id)
    if item_id is not None:
        stmt = stmt.where(TriageActionRow.item_id == item_id)
    return [QueueAction(item_id=r.item_id, thread_key=r.thread_key, action=r.action, from_status=r.from_status,
                        to_status=r.to_status, actor=r.actor, at=utc(r.at), reason=r.reason,  # type: ignore[arg-type]
                        reasons=tuple(r.reasons), priority=r.priority, id=r.id) for r in session.scalars(stmt)]

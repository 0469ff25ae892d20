"""Reads and writes of the moderators' working day: assignee and snooze per item, notes, what each
action changed (for undo), the newest audit row per item, and where each thread starts.

ORM rows stay here; callers get plain dicts (times in UTC) or ``QueueAction`` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from insight.records import QueueAction, utc
from insight.storage.moderation_tables import QueueChangeRow, QueueNoteRow, QueueStateRow
from insight.storage.rows import chunks, values
from insight.storage.tables import PostRow, TriageActionRow

EMPTY_STATE: dict[str, Any] = {"assignee": None, "assigned_at": None, "snoozed_until": None, "snoozed_at": None,
                               "snooze_evidence": []}


# --- state: assignee and snooze ---------------------------------------------------------------


def states(session: Session, item_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """item id -> its state (items never assigned nor snoozed get the empty state)."""
    out = {i: dict(EMPTY_STATE) for i in item_ids}
    for chunk in chunks(sorted(set(item_ids))):
        for row in session.scalars(select(QueueStateRow).where(QueueStateRow.item_id.in_(list(chunk)))):
            out[row.item_id] = {k: v for k, v in values(row).items() if k != "item_id"}
    return out


def set_state(session: Session, item_id: int, **changes: Any) -> None:
    """Change an item's state (a row is created on the first change)."""
    row = session.get(QueueStateRow, item_id)
    if row is None:
        row = QueueStateRow(item_id=item_id, **{**EMPTY_STATE, "snooze_evidence": []})
        session.add(row)
    for key, value in changes.items():
        setattr(row, key, value)
    session.flush()


def snoozed_items(session: Session, at: datetime) -> list[dict[str, Any]]:
    """Items snoozed past ``at``, with their snooze evidence (a refresh wakes those with new evidence)."""
    stmt = select(QueueStateRow).where(QueueStateRow.snoozed_until > at)
    return [values(r) for r in session.scalars(stmt)]


# --- notes --------------------------------------------------------------------------------------


def add_note(session: Session, item_id: int, actor: str, text: str, at: datetime, action_id: int) -> int:
    row = QueueNoteRow(item_id=item_id, actor=actor, text=text, at=at, action_id=action_id)
    session.add(row)
    session.flush()
    return row.id


def notes(session: Session, item_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """item id -> its notes, oldest first."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in item_ids}
    for chunk in chunks(sorted(set(item_ids))):
        stmt = select(QueueNoteRow).where(QueueNoteRow.item_id.in_(list(chunk))).order_by(QueueNoteRow.id)
        for row in session.scalars(stmt):
            out[row.item_id].append(values(row))
    return out


# --- changes (undo) -----------------------------------------------------------------------------


def add_change(session: Session, action_id: int, item_id: int, before: dict[str, Any]) -> None:
    session.add(QueueChangeRow(action_id=action_id, item_id=item_id, before=before, undone_by=None))
    session.flush()


def change(session: Session, action_id: int) -> dict[str, Any] | None:
    row = session.get(QueueChangeRow, action_id)
    return None if row is None else values(row)


def mark_undone(session: Session, action_id: int, undo_action_id: int) -> None:
    row = session.get(QueueChangeRow, action_id)
    if row is not None:
        row.undone_by = undo_action_id


# --- the audit, newest per item -----------------------------------------------------------------


def _action(r: TriageActionRow) -> QueueAction:
    return QueueAction(item_id=r.item_id, thread_key=r.thread_key, action=r.action, from_status=r.from_status,
                       to_status=r.to_status, actor=r.actor, at=utc(r.at), reason=r.reason,  # type: ignore[arg-type]
                       reasons=tuple(r.reasons), priority=r.priority, id=r.id)


def latest_actions(session: Session, item_ids: Sequence[int],
                   kind: str) -> tuple[dict[int, QueueAction], dict[int, QueueAction]]:
    """item id -> its newest audit row, and item id -> its newest row of action ``kind``, in one query;
    items without one are left out."""
    latest: dict[int, QueueAction] = {}
    of_kind: dict[int, QueueAction] = {}
    for chunk in chunks(sorted(set(item_ids))):
        newest = (select(func.max(TriageActionRow.id)).where(TriageActionRow.item_id.in_(list(chunk)))
                  .group_by(TriageActionRow.item_id))
        newest_of_kind = newest.where(TriageActionRow.action == kind)
        wanted = or_(TriageActionRow.id.in_(newest), TriageActionRow.id.in_(newest_of_kind))
        stmt = select(TriageActionRow).where(wanted).order_by(TriageActionRow.id)
        for row in session.scalars(stmt):  # oldest first: the newest of each item is the one kept
            latest[row.item_id] = _action(row)
            if row.action == kind:
                of_kind[row.item_id] = latest[row.item_id]
    return latest, of_kind


def queue_action(session: Session, action_id: int) -> QueueAction | None:
    row = session.get(TriageActionRow, action_id)
    return None if row is None else _action(row)


# --- threads: where each starts -------------------------------------------------------------------


def thread_starts(session: Session, thread_keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """thread key -> its first stored post's id, time and url (the thread's link and its start)."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(thread_keys))):
        first = (select(PostRow.thread_key, func.min(PostRow.created_at).label("first"))
                 .where(PostRow.thread_key.in_(list(chunk))).group_by(PostRow.thread_key).subquery())
        rows = session.execute(
            select(PostRow.thread_key, PostRow.post_id, PostRow.created_at, PostRow.url)
            .join(first, (first.c.thread_key == PostRow.thread_key) & (first.c.first == PostRow.created_at))
            .order_by(PostRow.id))
        for key, post_id, created_at, url in rows:
            out.setdefault(key, {"post_id": post_id, "created_at": utc(created_at), "url": url})
    return out

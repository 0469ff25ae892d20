"""A moderation team's use-cases on the queue beside the status actions (``services.triage.act``):
claim and assign, notes, snooze, bulk actions on a selection, and undo of the last action.

Every one is audited in ``triage_actions`` like a status action (who, when, what, why); what an
action changed is kept beside its audit row (``queue_changes``), so ``undo`` restores it and is
audited in turn (``undo:<action>``): the audit only ever grows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.errors import InputError, StorageError
from insight.privacy.shown import shown
from insight.records import QueueAction, QueueItem, utc
from insight.storage import moderation, queue
from insight.storage.db import session_scope
from insight.triage.queue import ACTIONS, ACTIVE, SYSTEM_ACTOR

MAX_NOTE = 2000
MAX_NAME = 120
MAX_BULK = 500
# Audit rows that change nothing undoable (notes stay; an undo is not undone, it is redone).
NOT_UNDOABLE = ("note", "open", "reopen", "wake")


def _now(at: datetime | None) -> datetime:
    return utc(at) if at is not None else datetime.now(UTC)


def _item(session: Session, item_id: int) -> QueueItem:
    item = queue.queue_item(session, item_id)
    if item is None:
        raise StorageError("E421", item_id=item_id)
    return item


def _state_json(state: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in state.items()}


def _audit(session: Session, item: QueueItem, action: str, actor: str, at: datetime, reason: str | None,
           before: dict[str, Any] | None = None, to_status: str | None = None) -> QueueAction:
    """Append the audit row (and, for an undoable action, what it changed)."""
    audit = QueueAction(item.id, item.thread_key, action, item.status, to_status or item.status,  # type: ignore[arg-type]
                        actor, at, reason, item.reasons, item.priority)
    audit = dataclasses.replace(audit, id=queue.add_queue_action(session, audit))
    if before is not None:
        moderation.add_change(session, audit.id, item.id, {"status": item.status, **before})  # type: ignore[arg-type]
    return audit


def _actor(actor: str) -> str:
    if not actor or not actor.strip():
        raise InputError("E623", action="this", what="the moderator who acts", option="actor")
    return actor.strip()


# --- assign, note, snooze -----------------------------------------------------------------------


def assign(engine: Engine, item_id: int, assignee: str | None, actor: str, at: datetime | None = None
           ) -> dict[str, Any]:
    """Assign an item to ``assignee`` (``None`` or empty: unassign); claiming is assigning to oneself.

    Raises:
        InputError: E625 a name longer than 120 characters. StorageError: E421 unknown item.
    """
    who, when = _actor(actor), _now(at)
    name = (assignee or "").strip() or None
    if name is not None and (len(name) > MAX_NAME or any(c in name for c in "\n\r\t")):
        raise InputError("E625", name=name[:40], limit=MAX_NAME)
    with session_scope(engine) as session:
        item = _item(session, item_id)
        before = moderation.states(session, [item_id])[item_id]
        moderation.set_state(session, item_id, assignee=name, assigned_at=when if name else None)
        reason = f"assigned to {name}" if name else "unassigned"
        audit = _audit(session, item, "assign" if name else "unassign", who, when, reason,
                       {"assignee": before["assignee"], "assigned_at": _state_json(before)["assigned_at"]})
    return {"item_id": item_id, "assignee": name, "action": audit.as_dict()}


def add_note(engine: Engine, item_id: int, text: str, actor: str, at: datetime | None = None) -> dict[str, Any]:
    """A note on an item, redacted like everything shown (``privacy.shown``), audited as ``note``.

    Raises:
        InputError: E626 an empty note or one over 2,000 characters. StorageError: E421 unknown item.
    """
    who, when = _actor(actor), _now(at)
    body = (text or "").strip()
    if not body or len(body) > MAX_NOTE:
        raise InputError("E626", length=len(body), limit=MAX_NOTE)
    redacted = shown(body)
    with session_scope(engine) as session:
        item = _item(session, item_id)
        audit = _audit(session, item, "note", who, when, redacted)
        note_id = moderation.add_note(session, item_id, who, redacted, when, audit.id)  # type: ignore[arg-type]
    return {"item_id": item_id, "note_id": note_id, "text": redacted, "actor": who, "at": when.isoformat(),
            "action": audit.as_dict()}


def snooze(engine: Engine, item_id: int, until: datetime, actor: str, at: datetime | None = None) -> dict[str, Any]:
    """Hide an active item from the active list until ``until``; a ranking that brings new evidence
    wakes it earlier (``queue_wake.wake_on_new_evidence``).

    Raises:
        InputError: E624 ``until`` not after now, or the item not active. StorageError: E421 unknown item.
    """
    who, when = _actor(actor), _now(at)
    until = utc(until) if until.tzinfo else until.replace(tzinfo=UTC)
    with session_scope(engine) as session:
        item = _item(session, item_id)
        if item.status not in ACTIVE:
            raise InputError("E624", item_id=item_id, detail=f"it is {item.status}; only active items can be snoozed")
        if until <= when:
            raise InputError("E624", item_id=item_id,
                             detail=f"{until.isoformat()} is not after now ({when.isoformat()})")
        before = _state_json(moderation.states(session, [item_id])[item_id])
        moderation.set_state(session, item_id, snoozed_until=until, snoozed_at=when,
                             snooze_evidence=list(item.evidence_post_ids))
        audit = _audit(session, item, "snooze", who, when, f"until {until.isoformat()}",
                       {k: before[k] for k in ("snoozed_until", "snoozed_at", "snooze_evidence")})
    return {"item_id": item_id, "snoozed_until": until.isoformat(), "action": audit.as_dict()}


# --- bulk and undo -------------------------------------------------------------------------------


def bulk_act(engine: Engine, item_ids: Sequence[int], action: str, actor: str, reason: str | None = None,
             at: datetime | None = None) -> dict[str, Any]:
    """One status action on a selection of items, in one transaction; items whose status does not
    allow it are skipped and named. Returns the audit ids (to undo the whole batch) and the skips.

    Raises:
        InputError: E627 no items or more than 500; E621/E623 as ``triage.act``.
    """
    from insight.services.triage import act_in  # the status rules and their audit live there

    ids = list(dict.fromkeys(int(i) for i in item_ids))
    if not ids or len(ids) > MAX_BULK:
        raise InputError("E627", count=len(ids), limit=MAX_BULK)
    if action not in ACTIONS:
        raise InputError("E621", action=action, options=", ".join(ACTIONS))
    who, when = _actor(actor), _now(at)
    done, skipped = [], []
    with session_scope(engine) as session:
        for item_id in ids:
            try:
                done.append(act_in(session, item_id, action, who, reason, when)["action"]["id"])
            except InputError as exc:
                if exc.code != "E622":
                    raise
                skipped.append({"item_id": item_id, "why": exc.message})
            except StorageError as exc:
                skipped.append({"item_id": item_id, "why": exc.message})
    return {"action": action, "done": len(done), "action_ids": done, "skipped": skipped}


def undo(engine: Engine, action_ids: Sequence[int], actor: str, at: datetime | None = None) -> dict[str, Any]:
    """Undo actions (the last one on each item): status and state go back to what they were before.

    Raises:
        StorageError: E438 an unknown action, or the item changed since (the action is no longer its
            latest); E439 an action that cannot be undone (a note, the ranking's own, an undo).
    """
    who, when = _actor(actor), _now(at)
    undone = []
    with session_scope(engine) as session:
        for action_id in dict.fromkeys(int(a) for a in action_ids):
            undone.append(_undo_one(session, action_id, who, when).as_dict())
    return {"undone": len(undone), "actions": undone}


def _undo_one(session: Session, action_id: int, who: str, when: datetime) -> QueueAction:
    action = moderation.queue_action(session, action_id)
    if action is None:
        raise StorageError("E438", action_id=action_id, detail="there is no such audit row")
    change = moderation.change(session, action_id)
    if action.actor == SYSTEM_ACTOR or action.action in NOT_UNDOABLE or action.action.startswith("undo") \
            or change is None:
        raise StorageError("E439", action_id=action_id, action=action.action, actor=action.actor)
    latest = _latest_undoable(session, action.item_id)
    if latest is None or latest.id != action_id:
        detail = f"item {action.item_id} changed since: its latest action is {latest.action} by {latest.actor}" \
            if latest else "it is gone"
        raise StorageError("E438", action_id=action_id, detail=detail)
    item = _item(session, action.item_id)
    before = dict(change["before"])
    status = before.pop("status", item.status)
    if status != item.status:
        queue.set_queue_status(session, item.id, status, when)  # type: ignore[arg-type]
    if before:
        restored = {k: (datetime.fromisoformat(v) if k.endswith(("_at", "_until")) and isinstance(v, str) else v)
                    for k, v in before.items()}
        moderation.set_state(session, item.id, **restored)  # type: ignore[arg-type]
    audit = _audit(session, item, f"undo:{action.action}"[:20], who, when,
                   f"undo of #{action_id} ({action.action} by {action.actor})", to_status=status)
    moderation.mark_undone(session, action_id, audit.id)  # type: ignore[arg-type]
    return audit


def _latest_undoable(session: Session, item_id: int) -> QueueAction | None:
    """The item's newest audit row other than a note (a note after an action does not block its undo)."""
    rows = [a for a in queue.queue_actions(session, item_id) if a.action != "note"]
    return max(rows, key=lambda a: a.id or 0) if rows else None

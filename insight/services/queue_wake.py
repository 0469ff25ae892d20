"""Snoozed queue items wake early when a ranking brings new evidence (a post not among the evidence
the item had when it was snoozed); called by ``services.triage.refresh_queue`` in its transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from insight.records import QueueAction
from insight.storage import moderation, queue
from insight.triage.queue import SYSTEM_ACTOR


def wake_on_new_evidence(session: Session, at: datetime) -> int:
    """Wake snoozed items whose evidence gained a post since the snooze; audited as ``wake``."""
    woken = 0
    for state in moderation.snoozed_items(session, at):
        item = queue.queue_item(session, state["item_id"])
        new = [p for p in (item.evidence_post_ids if item else ()) if p not in set(state["snooze_evidence"])]
        if item is None or item.id is None or not new:
            continue
        moderation.set_state(session, item.id, snoozed_until=None)
        queue.add_queue_action(session, QueueAction(item.id, item.thread_key, "wake", item.status, item.status,
                                                    SYSTEM_ACTOR, at, f"new evidence: post {', '.join(new)}",
                                                    item.reasons, item.priority))
        woken += 1
    return woken

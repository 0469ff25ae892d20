"""ORM tables of the moderators' working day (issue 18): who an item is assigned to, its snooze,
notes on it, and what each moderator action changed (so the last one can be undone).

Kept beside ``tables`` (same ``Base``); ``schema`` imports it so migrations see every table.
The audit itself stays in ``triage_actions`` (append-only); these tables hold the current state
and the before-image an undo restores.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insight.storage.tables import Base


class QueueStateRow(Base):
    """An item's moderation state now: its assignee and its snooze (a row appears on the first change)."""

    __tablename__ = "queue_state"
    item_id: Mapped[int] = mapped_column(ForeignKey("triage_queue.id"), primary_key=True)
    assignee: Mapped[str | None] = mapped_column(String(120), index=True)
    assigned_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None] = mapped_column(index=True)
    snoozed_at: Mapped[datetime | None]
    # The evidence post ids when it was snoozed: a ranking that brings a new one wakes the item early.
    snooze_evidence: Mapped[list[Any]] = mapped_column(default=list)


class QueueNoteRow(Base):
    """A moderator's note on an item (redacted before it is stored); append-only."""

    __tablename__ = "queue_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("triage_queue.id"), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    action_id: Mapped[int] = mapped_column(ForeignKey("triage_actions.id"))


class QueueChangeRow(Base):
    """What one audited moderator action changed: the item's status and state before it, for undo."""

    __tablename__ = "queue_changes"
    action_id: Mapped[int] = mapped_column(ForeignKey("triage_actions.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("triage_queue.id"), index=True)
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)  # status, assignee, snoozed_until, ...
    undone_by: Mapped[int | None] = mapped_column(Integer)  # the audit row of the undo

"""Triage queue rules: item statuses, moderator actions and what a new ranking run changes.

Pure logic, no database: ``insight.services.triage`` stores what these functions decide, and
``insight.triage.backtest`` replays them in memory.

Statuses and actions (``transition``)::

    open ---------- acknowledge -> acknowledged     acknowledged -- escalate -> escalated
    open/acknowledged/escalated -- resolve -> resolved, dismiss (with a reason) -> dismissed
    escalated ----- acknowledge -> acknowledged     resolved/dismissed -- reopen -> open

One item per thread. A ranking run (``plan_refresh``) never duplicates it:

- a thread that needs attention and has no item gets one (``open``);
- an active item (open, acknowledged, escalated) is updated in place: priority, reasons,
  explanation; ``raised_reasons`` collects every reason raised in the current episode;
- a resolved item comes back (``reopen``, reason "new evidence") when a reason fires whose newest
  evidence is newer than the resolution; a dismissed item comes back only for a reason the
  moderator did not dismiss, or for a new safety concern (a new unsafe post is always new evidence);
- an ``open`` item nobody has touched whose thread has not needed attention for ``clear_after``
  (``[triage] clear_after_hours``) is cleared (resolved by ``SYSTEM_ACTOR``, "signal cleared");
  until then it stays open with its fields kept current, so a signal that dips for a day does not
  close and reopen the item. Items a moderator acknowledged or escalated wait for that moderator.

An episode is one item's life from open (or reopen) to resolution; the backtest counts a reason
as raised once per episode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from insight.errors import InputError
from insight.records import QueueAction, utc
from insight.triage.detectors import Signal
from insight.triage.rank import Assessment

STATUSES: tuple[str, ...] = ("open", "acknowledged", "escalated", "resolved", "dismissed")
ACTIVE: tuple[str, ...] = ("open", "acknowledged", "escalated")
ACTIONS: dict[str, str] = {
    "acknowledge": "acknowledged",
    "escalate": "escalated",
    "resolve": "resolved",
    "dismiss": "dismissed",
    "reopen": "open",
}
ALLOWED: dict[str, tuple[str, ...]] = {
    "open": ("acknowledge", "escalate", "resolve", "dismiss"),
    "acknowledged": ("escalate", "resolve", "dismiss"),
    "escalated": ("acknowledge", "resolve", "dismiss"),
    "resolved": ("reopen",),
    "dismissed": ("reopen",),
}
SYSTEM_ACTOR = "insight"  # the ranking run: opens, reopens and clears items
NEW_EVIDENCE = "new evidence"
SIGNAL_CLEARED = "signal cleared"
# What a moderator's last action says about the reasons the item had: kept as labelled data.
DECISION_LABELS: dict[str, bool] = {"acknowledge": True, "escalate": True, "resolve": True, "dismiss": False}


@dataclass(frozen=True)
class Change:
    """What one ranking run does to one thread's item; ``raised`` are the reasons it newly raises."""

    kind: Literal["open", "update", "reopen", "clear"]
    thread_key: str
    assessment: Assessment | None
    raised: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class EpisodeState:
    """The minimum the refresh rules need to know about an existing item."""

    status: str
    raised_reasons: tuple[str, ...]
    status_changed_at: datetime
    attention_at: datetime  # the last ranking that said the thread needs attention


def transition(status: str, action: str, *, item_id: int | str, actor: str, reason: str | None) -> str:
    """The status after ``action``; raises coded errors for anything a moderator cannot do.

    Raises:
        InputError: E621 unknown action, E622 not allowed from ``status``, E623 missing actor or
            a dismissal without a reason (a dismissal is a label: it must say why).
    """
    if action not in ACTIONS:
        raise InputError("E621", action=action, options=", ".join(ACTIONS))
    if not actor or not actor.strip():
        raise InputError("E623", action=action, what="the moderator who acts", option="actor")
    if action not in ALLOWED.get(status, ()):
        allowed = ", ".join(ALLOWED.get(status, ())) or "nothing"
        raise InputError("E622", action=action, item_id=item_id, status=status, allowed=allowed)
    if action == "dismiss" and not (reason and reason.strip()):
        raise InputError("E623", action=action, what="a reason (why this is not a problem)", option="reason")
    return ACTIONS[action]


def _fresh(signals: Iterable[Signal], since: datetime) -> list[Signal]:
    return [s for s in signals if s.trigger_at is not None and utc(s.trigger_at) > utc(since)]


def _comeback(state: EpisodeState, assessment: Assessment) -> str | None:
    """The audit note when a closed item has new evidence, else None."""
    fresh = _fresh(assessment.signals, state.status_changed_at)
    if state.status == "dismissed":
        # The moderator judged these reasons; only a different reason or a new unsafe post reopens.
        fresh = [s for s in fresh if s.reason not in state.raised_reasons or s.reason == "safety_concern"]
    if not fresh:
        return None
    parts = [f"{s.reason} (post {s.evidence[-1]})" if s.evidence else s.reason for s in fresh]
    return f"{NEW_EVIDENCE}: " + ", ".join(parts)


def plan_refresh(states: Mapping[str, EpisodeState], assessments: Iterable[Assessment], *, as_of: datetime,
                 clear_after: timedelta = timedelta(hours=48)) -> list[Change]:
    """The changes one ranking run at ``as_of`` makes to the queue (see the module docstring for the rules)."""
    changes: list[Change] = []
    attended: set[str] = set()
    for assessment in assessments:
        item = assessment.item
        key = item.thread_id
        state = states.get(key)
        if not item.needs_attention:
            if state is not None and state.status in ACTIVE:
                attended.add(key)
                if state.status == "open" and utc(as_of) - utc(state.attention_at) >= clear_after:
                    changes.append(Change("clear", key, None, (), SIGNAL_CLEARED))
                else:
                    changes.append(Change("update", key, assessment))  # keep the moderator's view current
            continue
        attended.add(key)
        if state is None:
            changes.append(Change("open", key, assessment, item.reasons))
        elif state.status in ACTIVE:
            raised = tuple(r for r in item.reasons if r not in state.raised_reasons)
            changes.append(Change("update", key, assessment, raised))
        elif (note := _comeback(state, assessment)) is not None:
            changes.append(Change("reopen", key, assessment, item.reasons, note))
    for key, state in states.items():
        if state.status == "open" and key not in attended:  # the thread is gone (e.g. its posts were purged)
            changes.append(Change("clear", key, None, (), SIGNAL_CLEARED))
    return changes


def apply_change(state: EpisodeState | None, change: Change, at: datetime) -> EpisodeState:
    """The item's state after ``change`` (used by the backtest; the service stores the same fields)."""
    if change.kind in ("open", "reopen"):
        return EpisodeState("open", change.raised, at, at)
    assert state is not None
    if change.kind == "clear":
        return EpisodeState("resolved", state.raised_reasons, at, state.attention_at)
    attention = change.assessment is not None and change.assessment.item.needs_attention
    return EpisodeState(state.status, tuple(dict.fromkeys((*state.raised_reasons, *change.raised))),
                        state.status_changed_at, at if attention else state.attention_at)


def decision_labels(actions: Iterable[QueueAction]) -> dict[tuple[str, str], bool]:
    """(thread_key, reason) -> needs attention, from moderators' latest decision per item.

    Acknowledging, escalating or resolving says the reasons were right; dismissing says they were
    not. The ranking run's own actions (``SYSTEM_ACTOR``) are not decisions.
    """
    made: dict[int, list[QueueAction]] = {}
    for action in sorted(actions, key=lambda a: (utc(a.at), a.id or 0)):
        if action.actor != SYSTEM_ACTOR and action.action in DECISION_LABELS:
            made.setdefault(action.item_id, []).append(action)
        elif action.action.removeprefix("undo:") in DECISION_LABELS and action.action.startswith("undo:"):
            if made.get(action.item_id):  # an undone decision is no decision: the one before it stands
                made[action.item_id].pop()
    latest = {item: kept[-1] for item, kept in made.items() if kept}
    return {(a.thread_key, reason): DECISION_LABELS[a.action] for a in latest.values() for reason in a.reasons}

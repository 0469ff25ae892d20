"""Queue rules without a database: transitions, coded errors, what a ranking run changes, labels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from insight.config import TriageSettings
from insight.errors import InputError
from insight.records import QueueAction, Safety
from insight.triage.queue import (
    ALLOWED,
    SYSTEM_ACTOR,
    EpisodeState,
    apply_change,
    decision_labels,
    plan_refresh,
    transition,
)
from insight.triage.rank import assess_threads
from tests.support.triage import T0, question, sp, thread

SETTINGS = TriageSettings()


@pytest.mark.parametrize("status,action,expected", [
    ("open", "acknowledge", "acknowledged"), ("open", "escalate", "escalated"), ("open", "resolve", "resolved"),
    ("acknowledged", "escalate", "escalated"), ("acknowledged", "resolve", "resolved"),
    ("escalated", "acknowledge", "acknowledged"), ("escalated", "resolve", "resolved"),
    ("resolved", "reopen", "open"), ("dismissed", "reopen", "open"),
])
def test_queue_allowed_transitions(status: str, action: str, expected: str) -> None:
    assert transition(status, action, item_id=1, actor="ana", reason=None) == expected


def test_queue_dismiss_needs_a_reason() -> None:
    with pytest.raises(InputError) as info:
        transition("open", "dismiss", item_id=3, actor="ana", reason="  ")
    assert info.value.code == "E623" and "--reason" in str(info.value)
    assert transition("open", "dismiss", item_id=3, actor="ana", reason="a joke between friends") == "dismissed"


@pytest.mark.parametrize("status,action", [("dismissed", "resolve"), ("resolved", "acknowledge"), ("open", "reopen"),
                                           ("escalated", "escalate"), ("resolved", "dismiss")])
def test_queue_invalid_transition_is_a_coded_error(status: str, action: str) -> None:
    with pytest.raises(InputError) as info:
        transition(status, action, item_id=7, actor="ana", reason="x")
    assert info.value.code == "E622"
    message = str(info.value)
    assert f"Cannot {action} triage item 7: it is {status}" in message
    assert ", ".join(ALLOWED[status]) in message


def test_queue_unknown_action_and_missing_actor() -> None:
    with pytest.raises(InputError) as info:
        transition("open", "delete", item_id=1, actor="ana", reason=None)
    assert info.value.code == "E621" and "acknowledge" in str(info.value)
    with pytest.raises(InputError) as info:
        transition("open", "resolve", item_id=1, actor=" ", reason=None)
    assert info.value.code == "E623" and "--actor" in str(info.value)


def angry(tid: str, extra_hours: float = 0) -> object:
    return thread(tid, sp(tid, 1, "a", 0, 0.3, "Login loops, any idea? Thanks!", kind="question"),
                  sp(tid, 2, "h", 2, 0.3, "Check the callback URL."),
                  sp(tid, 3, "a", 10, -0.7, "Still broken."), sp(tid, 4, "c", 20, -0.9, "Same, terrible."),
                  sp(tid, 5, "a", 30 + extra_hours, -0.95, "Awful, unacceptable."))


def assess(*threads: object, hours: float) -> list:  # type: ignore[type-arg]
    return assess_threads(threads, as_of=T0 + timedelta(hours=hours), settings=SETTINGS)  # type: ignore[arg-type]


def plan(states: dict, *threads: object, hours: float) -> list:  # type: ignore[type-arg]
    return plan_refresh(states, assess(*threads, hours=hours), as_of=T0 + timedelta(hours=hours))


def state(status: str, reasons: tuple[str, ...], hours: float = 0) -> EpisodeState:
    return EpisodeState(status, reasons, T0 + timedelta(hours=hours), T0 + timedelta(hours=hours))


def test_queue_refresh_opens_once_then_updates_in_place() -> None:
    first = plan({}, angry("t1"), question("t2", 0), hours=50)
    assert sorted((c.kind, c.thread_key) for c in first) == [("open", "t1"), ("open", "t2")]
    states = {c.thread_key: apply_change(None, c, T0) for c in first}
    again = plan(states, angry("t1"), question("t2", 0), hours=60)
    assert [(c.kind, c.raised) for c in again] == [("update", ()), ("update", ())]


def test_queue_new_reason_on_an_open_item_is_raised_once() -> None:
    before = state("open", ("unanswered_question",))
    threat = Safety(label="unsafe", category="threat", score=0.9, evidence="x")
    t = thread("t", sp("t", 1, "a", 0, 0.0, "Why?", kind="question"), sp("t", 2, "a", 55, -0.5, "x", safety=threat))
    [change] = plan({"t": before}, t, hours=56)
    assert change.kind == "update" and change.raised == ("safety_concern",)


def test_queue_resolved_item_comes_back_only_with_new_evidence() -> None:
    states = {"t1": state("resolved", ("rising_frustration",), hours=40)}
    # Same posts as when it was resolved: stays resolved.
    assert plan(states, angry("t1"), hours=41) == []
    # A newer angry post re-triggers the reason: reopened with "new evidence".
    [change] = plan(states, angry("t1", extra_hours=15), hours=46)
    assert change.kind == "reopen" and change.note is not None
    assert change.note.startswith("new evidence: rising_frustration (post t1-5)")
    assert change.raised == ("rising_frustration",)


def test_queue_dismissed_item_comes_back_only_for_another_reason_or_safety() -> None:
    states = {"t1": state("dismissed", ("rising_frustration",), hours=40)}
    assert plan(states, angry("t1", extra_hours=15), hours=46) == []  # the moderator judged this
    threat = Safety(label="unsafe", category="threat", score=0.9, evidence="x")
    unsafe = thread("t1", *angry("t1").posts, sp("t1", 6, "c", 45, -0.5, "x", safety=threat))  # type: ignore[attr-defined]
    [change] = plan(states, unsafe, hours=46)
    assert change.kind == "reopen" and "safety_concern (post t1-6)" in (change.note or "")


def test_queue_untouched_open_item_is_cleared_once_the_signal_stays_gone() -> None:
    answered = thread("t2", *question("t2", 0).posts, sp("t2", 2, "helper", 60, 0.2, "Settings, then API."))  # type: ignore[attr-defined]
    answered3 = thread("t3", *question("t3", 0).posts, sp("t3", 2, "helper", 60, 0.2, "Use the CLI."))  # type: ignore[attr-defined]
    states = {"t2": state("open", ("unanswered_question",), hours=50),
              "t3": state("acknowledged", ("unanswered_question",), hours=50)}
    # Answered a day ago: still open (kept current, shown as no longer needing attention)...
    soon = {c.thread_key: c for c in plan(states, answered, answered3, hours=74)}
    assert soon["t2"].kind == "update" and soon["t2"].assessment.item.needs_attention is False
    # ...and cleared once the thread has not needed attention for clear_after (48 h).
    later = {c.thread_key: c for c in plan(states, answered, answered3, hours=98)}
    assert later["t2"].kind == "clear" and later["t2"].note == "signal cleared"
    assert later["t3"].kind == "update"  # a moderator owns it; they close it
    assert apply_change(states["t2"], later["t2"], T0).status == "resolved"
    # An item whose thread is gone altogether is cleared at once.
    assert [c.kind for c in plan(states, hours=60)] == ["clear"]


def test_queue_decisions_become_labels() -> None:
    at = T0

    def action(item_id: int, name: str, actor: str = "ana", minutes: int = 0) -> QueueAction:
        return QueueAction(item_id, f"t{item_id}", name, "open", "x", actor, at + timedelta(minutes=minutes), None,
                           ("rising_frustration",) if item_id != 3 else ("safety_concern", "rising_frustration"))

    actions = [action(1, "open", SYSTEM_ACTOR), action(1, "acknowledge", minutes=1), action(2, "dismiss"),
               action(3, "escalate"), action(4, "resolve", SYSTEM_ACTOR),
               action(5, "dismiss", minutes=1), action(5, "reopen", minutes=2), action(5, "resolve", minutes=3)]
    labels = decision_labels(actions)
    assert labels == {("t1", "rising_frustration"): True, ("t2", "rising_frustration"): False,
                      ("t3", "safety_concern"): True, ("t3", "rising_frustration"): True,
                      ("t5", "rising_frustration"): True}

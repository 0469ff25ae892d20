"""Escalation from evidence: broken promises, check-ins, staff escalating, intent to leave; resolution ends it."""

from __future__ import annotations

from datetime import timedelta

from insight.config import TriageSettings
from insight.triage.escalation import escalation_signal
from tests.support.triage import T0, sp

SETTINGS = TriageSettings()
D = 24


def _billing(*extra):  # type: ignore[no-untyped-def]
    return [
        sp("b", 1, "cust", 0, 0.2, "Our card was charged twice for March. Could someone take a look?", kind="question"),
        sp("b", 2, "staff", 10, 0.4, "Thanks, finance will reply within 3 business days.", kind="answer"),
        sp("b", 3, "cust", 6 * D, 0.0, "Hi again, checking in on the double charge."),
        sp("b", 4, "staff", 8 * D, 0.1, "Sorry, I've escalated this to our billing lead."),
        *extra,
    ]


def test_escalation_polite_check_ins_and_a_dispute_threat_fire_with_the_evidence_named() -> None:
    threat = sp("b", 5, "cust", 15 * D, 0.0, "If it isn't refunded by Friday we will file a dispute with our bank.")
    signal = escalation_signal(_billing(threat), T0 + timedelta(days=15, hours=2), SETTINGS)
    assert signal is not None and signal.reason == "rising_frustration"
    assert signal.score >= 0.8 and signal.detail["kind"] == "escalation"
    assert signal.detail["broken_promises"] == 1 and signal.detail["intent_to_leave"] == 1
    for pid in ("b-2", "b-3", "b-4", "b-5"):
        assert pid in signal.explanation
    assert "threatens to cancel, dispute or leave" in signal.explanation


def test_escalation_needs_more_than_one_check_in_and_ends_when_the_asker_thanks() -> None:
    assert escalation_signal(_billing()[:3], T0 + timedelta(days=7), SETTINGS) is None  # one check-in
    threat = sp("b", 5, "cust", 15 * D, 0.0, "If it isn't refunded by Friday we will file a dispute with our bank.")
    thanked = sp("b", 6, "cust", 16 * D, 0.6, "The refund came through this morning, thank you.")
    assert escalation_signal(_billing(threat, thanked), T0 + timedelta(days=17), SETTINGS) is None


def test_escalation_a_helper_explaining_refunds_is_not_a_threat() -> None:
    posts = [
        sp("r", 1, "cust", 0, 0.0, "We were double charged, how do I get a refund?", kind="question"),
        sp("r", 2, "helper", 5, 0.2, "Billing support refunds duplicates; use the contact form."),
        sp("r", 3, "cust", 30, 0.0, "Still waiting on it."),
    ]
    assert escalation_signal(posts, T0 + timedelta(days=2), SETTINGS) is None

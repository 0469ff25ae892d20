"""Alert jobs on SQLite and PostgreSQL: one per (destination, key), claimed under a lease, recorded
only by the lease holder, failed for good once every attempt is used."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from insight.storage import alerts
from insight.storage.db import session_scope

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _alert(key: str, destination: str = "webhook", due: datetime = NOW) -> dict:  # type: ignore[type-arg]
    return {"destination": destination, "dedupe_key": key, "delivery_id": str(uuid.uuid4()), "queue_item_id": 7,
            "payload": {"text": "x"}, "status": "queued", "attempts": 0, "next_attempt_at": due, "created_at": NOW}


def test_alerts_enqueue_once_per_destination_and_key(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert alerts.enqueue(session, [_alert("7@a"), _alert("7@a", "slack")]) == 2
    with session_scope(engine) as session:
        # The same refresh committed twice (or two processes refreshing): nothing new.
        assert alerts.enqueue(session, [_alert("7@a"), _alert("7@a", "slack"), _alert("7@b")]) == 1
        assert len(alerts.alerts(session)) == 3


def test_alerts_claim_lease_takeover_and_only_the_holder_records(engine: Engine) -> None:
    with session_scope(engine) as session:
        alerts.enqueue(session, [_alert("1@a"), _alert("2@a", due=NOW + timedelta(hours=1))])
    with session_scope(engine) as session:
        first = alerts.claim(session, "a", now=NOW, limit=5, lease_seconds=30)
    assert [a["dedupe_key"] for a in first] == ["1@a"] and first[0]["attempts"] == 1  # the other is not due
    with session_scope(engine) as session:
        assert alerts.claim(session, "b", now=NOW + timedelta(seconds=10), limit=5, lease_seconds=30) == []
        # "a" died mid-delivery: once its lease ran out, "b" takes the alert, same delivery id.
        taken = alerts.claim(session, "b", now=NOW + timedelta(seconds=31), limit=1, lease_seconds=30)
    assert taken[0]["id"] == first[0]["id"] and taken[0]["delivery_id"] == first[0]["delivery_id"]
    assert taken[0]["attempts"] == 2
    with session_scope(engine) as session:
        assert not alerts.delivered(session, first[0]["id"], "a", now=NOW, status=200)  # late: lease lost
        assert alerts.delivered(session, first[0]["id"], "b", now=NOW, status=204)
        assert not alerts.delivered(session, first[0]["id"], "b", now=NOW, status=204)  # once
        assert alerts.alerts(session, statuses=["delivered"])[0]["last_status"] == 204


def test_alerts_retry_later_then_fail_and_requeue(engine: Engine) -> None:
    with session_scope(engine) as session:
        alerts.enqueue(session, [_alert("1@a")])
    with session_scope(engine) as session:
        (alert,) = alerts.claim(session, "a", now=NOW, limit=1, lease_seconds=30)
        assert alerts.retry_later(session, alert["id"], "a", at=NOW + timedelta(seconds=5), error="HTTP 500",
                                  status=500)
    with session_scope(engine) as session:
        assert alerts.claim(session, "a", now=NOW + timedelta(seconds=4), limit=1, lease_seconds=30) == []
        (again,) = alerts.claim(session, "a", now=NOW + timedelta(seconds=6), limit=1, lease_seconds=30)
        assert alerts.retry_later(session, again["id"], "a", at=None, error="HTTP 500", status=500)
        assert alerts.alerts(session, statuses=["failed"])[0]["error"] == "HTTP 500"
        assert alerts.requeue(session, None, now=NOW) == 1
        assert alerts.alerts(session, statuses=["queued"])[0]["attempts"] == 0


def test_alerts_a_notifier_dying_on_the_last_attempt_fails_the_alert(engine: Engine) -> None:
    with session_scope(engine) as session:
        alerts.enqueue(session, [_alert("1@a")])
    with session_scope(engine) as session:
        alerts.claim(session, "a", now=NOW, limit=1, lease_seconds=30)
        assert alerts.fail_exhausted(session, now=NOW + timedelta(seconds=60), max_attempts=2) == 0
        alerts.claim(session, "b", now=NOW + timedelta(seconds=60), limit=1, lease_seconds=30)
        assert alerts.fail_exhausted(session, now=NOW + timedelta(seconds=120), max_attempts=2) == 1
        assert not alerts.has_pending(session)

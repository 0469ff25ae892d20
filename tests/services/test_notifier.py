"""The notifier: signatures a receiver can check, backoff, Slack's body, and delivery against a
receiver on 127.0.0.1 (retried after a 5xx, delivered once, failed after max_attempts)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import httpx
import pytest

from insight.config import AlertSettings, Settings
from insight.services import alerts, notifier
from insight.storage import alerts as alert_store
from insight.storage.db import make_engine, session_scope
from tests.support.alerts import queue_item
from tests.support.receiver import Receiver

ALERT = {"id": 1, "destination": "webhook", "delivery_id": "d-1", "attempts": 1,
         "payload": {"text": "[insight] Safety concern", "item_id": 3}}


def test_notifier_signature_verifies_and_rejects_tampering_and_replays() -> None:
    cfg = AlertSettings(webhook_url="http://127.0.0.1:9/h", webhook_secret="s3cret")
    url, body, headers = notifier.request_for(ALERT, cfg, now=1_800_000_000)
    assert url == cfg.webhook_url and headers["X-Insight-Delivery"] == "d-1"
    assert json.loads(body)["delivery_id"] == "d-1"
    assert notifier.verify("s3cret", headers, body, now=1_800_000_010)
    assert not notifier.verify("other", headers, body, now=1_800_000_010)
    assert not notifier.verify("s3cret", headers, body + b" ", now=1_800_000_010)
    assert not notifier.verify("s3cret", headers, body, now=1_800_000_000 + 301)  # a replay, later
    # The documented construction, so any receiver can check it without insight.
    import hashlib
    import hmac
    expected = hmac.new(b"s3cret", b"1800000000." + body, hashlib.sha256).hexdigest()
    assert headers["X-Insight-Signature"] == f"sha256={expected}"


def test_notifier_slack_gets_the_text_alone() -> None:
    cfg = AlertSettings(slack_webhook_url="https://hooks.slack.example/services/T/B/X")
    url, body, headers = notifier.request_for({**ALERT, "destination": "slack"}, cfg)
    assert url == cfg.slack_webhook_url and json.loads(body) == {"text": "[insight] Safety concern"}
    assert "X-Insight-Signature" not in headers


def test_notifier_backoff_doubles_caps_and_stops() -> None:
    cfg = AlertSettings(backoff_seconds=5, backoff_max_seconds=30, max_attempts=5)
    assert [notifier.backoff(n, cfg) for n in range(1, 6)] == [5, 10, 20, 30, None]
    assert notifier.backoff(1, cfg, retry_after=25) == 25  # the receiver asked for longer
    assert notifier.backoff(1, cfg, retry_after=3600) == 30  # never past the cap


def _queued(settings: Settings, engine) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        alerts.queue_alerts(session, settings, 3, queue_item(("safety_concern",), 1.5), "open", ("safety_concern",),
                            datetime.now(UTC))
        return alert_store.alerts(session)[0]["id"]


def test_notifier_retries_after_5xx_then_delivers_once(db_settings: Settings) -> None:
    with Receiver(answers=[500, 200]) as receiver:
        cfg = AlertSettings(webhook_url=receiver.url, webhook_secret="s", backoff_seconds=0.3)
        settings = db_settings.model_copy(update={"alerts": cfg})
        engine = make_engine(settings)
        _queued(settings, engine)
        with httpx.Client() as client:
            assert notifier.run_once(engine, settings, "n1", client) == {"retry": 1}
            assert notifier.run_once(engine, settings, "n1", client) == {}  # backing off
            time.sleep(0.35)
            assert notifier.run_notifier(engine, settings, once=True, client=client) == {"delivered": 1}
            assert notifier.run_notifier(engine, settings, once=True, client=client) == {}
        assert len(receiver.requests) == 2 and len(receiver.accepted) == 1
        assert len({r.headers["X-Insight-Delivery"] for r in receiver.requests}) == 1  # same id on the retry
        first, second = receiver.requests
        assert second.at - first.at >= 0.3
        (row,) = alerts.list_alerts(engine, status="delivered")
        assert row["attempts"] == 2 and row["last_status"] == 200 and row["url"].endswith("#item-3")


def test_notifier_fails_after_max_attempts_and_retry_requeues(settings: Settings) -> None:
    with Receiver(answers=[503]) as receiver:
        cfg = AlertSettings(slack_webhook_url=receiver.url, max_attempts=2, backoff_seconds=0.05)
        settings = settings.model_copy(update={"alerts": cfg})
        engine = make_engine(settings)
        alert_id = _queued(settings, engine)
        with httpx.Client() as client:
            notifier.run_once(engine, settings, "n1", client)
            time.sleep(0.1)
            assert notifier.run_once(engine, settings, "n1", client) == {"failed": 1}
        (row,) = alerts.list_alerts(engine, status="failed")
        assert row["error"].startswith("HTTP 503") and row["attempts"] == 2
        assert alerts.retry_failed(engine, alert_id) == 1
        with pytest.raises(Exception) as caught:
            alerts.retry_failed(engine, 999)
        assert getattr(caught.value, "code", None) == "E447"


def test_notifier_refuses_to_start_without_a_destination(settings: Settings) -> None:
    with pytest.raises(Exception) as caught:
        notifier.run_notifier(make_engine(settings), settings, once=True)
    assert getattr(caught.value, "code", None) == "E115"

"""The notifier: sends queued alerts (``insight.services.alerts``) to their destinations, once.

Delivery is at-least-once with a per-alert id, which together give a receiver exactly one alert:

- an alert is claimed under a lease (``[alerts] lease_seconds``) before it is sent; a notifier
  that dies mid-delivery (``kill -9`` included) leaves it ``running`` until the lease runs out,
  then any notifier claims it again (nothing is lost);
- it is marked ``delivered`` only after a 2xx answer, and only while the lease is held;
- every attempt carries the same ``X-Insight-Delivery`` id, so a receiver that already took an
  attempt whose 2xx never got recorded drops the repeat;
- a failed attempt (no answer, or not 2xx) is retried after ``backoff_seconds``, doubled each
  time up to ``backoff_max_seconds`` (or the receiver's ``Retry-After``, if longer), and the
  alert fails for good after ``max_attempts``.

The signed webhook carries ``X-Insight-Timestamp`` (Unix seconds) and ``X-Insight-Signature:
sha256=<hex>``, the HMAC-SHA256 of ``"<timestamp>.<body>"`` with ``[alerts] webhook_secret``
(``verify`` is the receiver's side). Slack-compatible incoming webhooks get ``{"text": ...}``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine

from insight.config import AlertSettings, Settings
from insight.errors import StorageError
from insight.services.alerts import check_settings
from insight.storage import alerts as alert_store
from insight.storage.db import session_scope

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Insight-Signature"
TIMESTAMP_HEADER = "X-Insight-Timestamp"
DELIVERY_HEADER = "X-Insight-Delivery"


def notifier_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Insight-Signature`` value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, headers: dict[str, str], body: bytes, *, tolerance_seconds: int = 300,
           now: float | None = None) -> bool:
    """A receiver's check: the signature matches and the timestamp is within ``tolerance_seconds``."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        timestamp = int(lower[TIMESTAMP_HEADER.lower()])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), lower.get(SIGNATURE_HEADER.lower(), ""))


def backoff(attempts: int, cfg: AlertSettings, retry_after: float | None = None) -> float | None:
    """Seconds before the next attempt after ``attempts`` failed ones; None once every attempt is used."""
    if attempts >= cfg.max_attempts:
        return None
    delay = min(cfg.backoff_max_seconds, cfg.backoff_seconds * 2 ** max(0, attempts - 1))
    if retry_after is not None:
        delay = max(delay, min(retry_after, cfg.backoff_max_seconds))
    return delay


def request_for(alert: dict[str, Any], cfg: AlertSettings, *, now: float | None = None
                ) -> tuple[str, bytes, dict[str, str]]:
    """(url, body, headers) of one attempt."""
    payload = alert["payload"]
    headers = {"Content-Type": "application/json", "User-Agent": "insight-alerts",
               DELIVERY_HEADER: alert["delivery_id"]}
    if alert["destination"] == "slack":
        return cfg.slack_webhook_url, json.dumps({"text": payload["text"]}).encode(), headers
    body = json.dumps({"delivery_id": alert["delivery_id"], **payload}, sort_keys=True).encode()
    timestamp = int(now if now is not None else time.time())
    headers[TIMESTAMP_HEADER] = str(timestamp)
    headers[SIGNATURE_HEADER] = sign(cfg.webhook_secret, timestamp, body)
    return cfg.webhook_url, body, headers


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def attempt(alert: dict[str, Any], cfg: AlertSettings, client: httpx.Client
            ) -> tuple[bool, int | None, str | None, float | None]:
    """Send once: (delivered, HTTP status, error, the receiver's Retry-After)."""
    url, body, headers = request_for(alert, cfg)
    if not url:
        return False, None, f"[alerts] {alert['destination']} destination is no longer configured", None
    try:
        response = client.post(url, content=body, headers=headers, timeout=cfg.timeout_seconds)
    except httpx.HTTPError as exc:
        return False, None, f"{type(exc).__name__}: {str(exc)[:300]}", None
    if 200 <= response.status_code < 300:
        return True, response.status_code, None, None
    return False, response.status_code, f"HTTP {response.status_code}: {response.text[:300]}", _retry_after(response)


def _record(engine: Engine, alert: dict[str, Any], owner: str, cfg: AlertSettings, outcome: tuple[Any, ...]) -> str:
    ok, status, error, retry_after = outcome
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        if ok:
            held = alert_store.delivered(session, alert["id"], owner, now=now, status=status)
            result = "delivered"
        else:
            delay = backoff(alert["attempts"], cfg, retry_after)
            at = now + timedelta(seconds=delay) if delay is not None else None
            held = alert_store.retry_later(session, alert["id"], owner, at=at, error=error or "", status=status)
            result = "retry" if at is not None else "failed"
    if not held:
        log.warning("%s", StorageError("E446", alert_id=alert["id"], worker=owner))
        return "lease_lost"
    if not ok:
        log.warning("alert %s to %s: %s (%s)", alert["id"], alert["destination"], error, result)
    return result


def run_once(engine: Engine, settings: Settings, owner: str, client: httpx.Client) -> Counter[str]:
    """Claim one due alert and send it; an empty counter when none is due."""
    cfg = settings.alerts
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        alert_store.fail_exhausted(session, now=now, max_attempts=cfg.max_attempts)
        claimed = alert_store.claim(session, owner, now=now, limit=1, lease_seconds=cfg.lease_seconds)
    counts: Counter[str] = Counter()
    for alert in claimed:
        counts[_record(engine, alert, owner, cfg, attempt(alert, cfg, client))] += 1
    return counts


def run_notifier(engine: Engine, settings: Settings, *, stop: threading.Event | None = None, once: bool = False,
                 client: httpx.Client | None = None, owner: str | None = None) -> Counter[str]:
    """Send due alerts until ``stop`` is set; with ``once``, until none is due now (later retries wait)."""
    check_settings(settings.alerts, need_destination=True)
    stop = stop or threading.Event()
    owner = owner or notifier_name()
    total: Counter[str] = Counter()
    own_client = client is None
    client = client or httpx.Client(follow_redirects=False)
    try:
        while not stop.is_set():
            counts = run_once(engine, settings, owner, client)
            total.update(counts)
            if not counts:
                if once:
                    break
                stop.wait(settings.alerts.poll_seconds)
    finally:
        if own_client:
            client.close()
    return total


def run_in_service(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """``insight serve``'s notifier thread: a failure is logged and the loop goes on after a pause."""
    while not stop.is_set():
        try:
            run_notifier(engine, settings, stop=stop)
        except Exception:
            log.exception("alert notifier failed; starting again in %s s", settings.alerts.poll_seconds)
            stop.wait(settings.alerts.poll_seconds)

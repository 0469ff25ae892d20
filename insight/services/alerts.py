"""Alerts on new queue items: which items, what the alert says, and queueing it with the refresh.

The queue refresh (``insight.services.triage``) calls ``queue_alerts`` inside its own transaction
for every item it opens, reopens or newly raises a reason on, so an alert is queued exactly when
the item change is committed, and at most once per item episode and destination (the alert
table's unique ``(destination, dedupe_key)``). ``insight.services.notifier`` sends them.

Rules (``[alerts]``): an item is sent when it opens (or reopens on new evidence) with one of
``reasons`` (default ``["safety_concern"]``), when a refresh newly raises one of them on an open
item, or, with ``min_priority`` above 0, when it opens at or above that priority. The text is
built from the stored (already redacted) title and explanation passed once more through
``insight.privacy.shown``, and links to the item on the queue page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine

from insight.config import AlertSettings, Settings
from insight.errors import ConfigError, InputError, StorageError
from insight.privacy.shown import shown
from insight.records import TRIAGE_REASONS, QueueItem
from insight.storage import alerts as alert_store
from insight.storage.db import session_scope

DESTINATIONS = ("webhook", "slack")
STATUSES = ("queued", "running", "delivered", "failed")
EVENTS = {"open": "opened", "reopen": "reopened", "update": "reason_raised"}


def check_settings(cfg: AlertSettings, *, need_destination: bool = False) -> None:
    """Raise the coded error for an unusable ``[alerts]`` section (E111-E115)."""
    for reason in cfg.reasons:
        if reason not in TRIAGE_REASONS:
            raise ConfigError("E111", reason=reason, options=", ".join(TRIAGE_REASONS))
    for setting in ("webhook_url", "slack_webhook_url", "base_url"):
        url = getattr(cfg, setting)
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.hostname):
            raise ConfigError("E112", setting=setting, url=url)
    if cfg.webhook_url and not cfg.webhook_secret:
        raise ConfigError("E113")
    if not 0 <= cfg.min_priority <= 2:
        raise ConfigError("E114", value=cfg.min_priority)
    if need_destination and not destinations(cfg):
        raise ConfigError("E115")


def destinations(cfg: AlertSettings) -> tuple[str, ...]:
    """The configured destinations, in a fixed order."""
    return tuple(d for d, url in (("webhook", cfg.webhook_url), ("slack", cfg.slack_webhook_url)) if url)


def matched(cfg: AlertSettings, item: QueueItem, kind: str, raised: Sequence[str]) -> tuple[str, ...]:
    """Why ``item`` is alerted after a refresh change ``kind`` (open, reopen, update): the matching
    reasons, plus ``"priority"`` for the threshold; empty when it is not alerted."""
    if kind == "update":  # an open item: only a reason this refresh newly raised is news
        return tuple(r for r in raised if r in cfg.reasons)
    if kind not in ("open", "reopen"):
        return ()
    hits = tuple(r for r in (raised or item.reasons) if r in cfg.reasons)
    if cfg.min_priority > 0 and item.priority >= cfg.min_priority:
        hits = (*hits, "priority")
    return hits


def base_url(settings: Settings) -> str:
    return (settings.alerts.base_url or f"http://{settings.api.host}:{settings.api.port}").rstrip("/")


def item_url(settings: Settings, item_id: int) -> str:
    """The item on the queue page (every status, so a resolved item is still found)."""
    return f"{base_url(settings)}/queue?status=all&sel={item_id}#item-{item_id}"


def _words(reason: str) -> str:
    return reason.replace("_", " ")


def alert_text(payload: dict[str, Any]) -> str:
    """One line a person reads in Slack or a pager: what, where, how urgent, why, and the link."""
    reasons = ", ".join(_words(r) for r in payload["reasons"]) or "needs attention"
    where = f" in {payload['channel']}" if payload.get("channel") else ""
    title = f" \"{payload['title']}\"" if payload.get("title") else ""
    event = {"opened": "new", "reopened": "reopened", "reason_raised": "newly raised"}[payload["event"]]
    return (f"[insight] {reasons.capitalize()} ({event}, priority {payload['priority']:.2f}){where}:{title} "
            f"{payload['explanation']} Open it: {payload['url']}").replace("  ", " ")


def payload_for(settings: Settings, item_id: int, item: QueueItem, kind: str, hits: Sequence[str],
                as_of: datetime) -> dict[str, Any]:
    """What every destination is sent (redacted once more here: the alert leaves the service)."""
    payload: dict[str, Any] = {
        "event": EVENTS[kind], "item_id": item_id, "thread_id": item.thread_key, "status": item.status,
        "title": shown(item.title), "channel": shown(item.channel), "reasons": list(item.reasons),
        "matched": list(hits), "priority": round(item.priority, 4), "explanation": shown(item.explanation) or "",
        "evidence_post_ids": list(item.evidence_post_ids), "url": item_url(settings, item_id),
        "at": as_of.isoformat(),
    }
    payload["text"] = alert_text(payload)
    return payload


def queue_alerts(session: Any, settings: Settings, item_id: int, item: QueueItem, kind: str,
                 raised: Sequence[str], as_of: datetime) -> int:
    """Queue the alerts one refresh change calls for, in the caller's transaction; returns how many are new."""
    cfg = settings.alerts
    where = destinations(cfg)
    hits = matched(cfg, item, kind, raised) if where else ()
    if not hits:
        return 0
    # One alert per item episode (opened or reopened at status_changed_at); an update's newly raised
    # reasons are their own news within the episode.
    key = f"{item_id}@{item.status_changed_at.isoformat()}" + (f"+{'+'.join(hits)}" if kind == "update" else "")
    payload = payload_for(settings, item_id, item, kind, hits, as_of)
    now = datetime.now(UTC)
    return alert_store.enqueue(session, [
        {"destination": d, "dedupe_key": key[:200], "delivery_id": str(uuid.uuid4()), "queue_item_id": item_id,
         "payload": payload, "status": "queued", "attempts": 0, "next_attempt_at": now, "created_at": now}
        for d in where])


# --------------------------------------------------------------------------- reading and retrying


def list_alerts(engine: Engine, *, status: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
    """Alerts, newest first; ``status`` one of STATUSES, "all" or None (every status)."""
    statuses = None if status in (None, "all") else [status]
    if statuses and status not in STATUSES:
        raise InputError("E606", option="--status", detail=f"'{status}'; use all or one of {', '.join(STATUSES)}")
    with session_scope(engine) as session:
        rows = alert_store.alerts(session, statuses=statuses, limit=limit)
    return [_shown_row(r) for r in rows]


def _shown_row(row: dict[str, Any]) -> dict[str, Any]:
    payload = row.pop("payload") or {}
    out = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
    return {**out, "text": payload.get("text"), "url": payload.get("url")}


def retry_failed(engine: Engine, alert_id: int | None = None) -> int:
    """Queue failed alerts again with fresh attempts (after fixing the destination); E447 for an unknown id."""
    with session_scope(engine) as session:
        if alert_id is not None and not alert_store.exists(session, alert_id):
            raise StorageError("E447", alert_id=alert_id)
        return alert_store.requeue(session, alert_id, now=datetime.now(UTC))

"""Retention (``[retention]``): raw text kept only as long as configured, signal details, queue
history and rejects files dropped past their age. ``insight retention apply`` runs it once;
``insight serve`` runs it daily at ``[retention] daily_at`` (UTC).

What stays is what reports read (redacted text, labels and scores, topic assignments, the queue),
so the report of a month is the same before and after its raw text expired.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.runtime.spec import next_run
from insight.storage import retention, runs
from insight.storage.db import session_scope

log = logging.getLogger(__name__)


def apply(engine: Engine, settings: Settings, *, now: datetime | None = None) -> dict[str, Any]:
    """Apply every retention rule once; returns what each removed (the one-line summary)."""
    now = now or datetime.now(UTC)
    rules = settings.retention
    summary: dict[str, Any] = {"as_of": now.isoformat()}
    with session_scope(engine) as session:
        run_id = runs.start_run(session, "retention apply", settings.config_hash())
        if rules.raw_text_days >= 0:  # 0: as soon as scored (only scored posts ever lose raw text)
            summary.update(retention.expire_raw_text(session, now - timedelta(days=rules.raw_text_days)))
        if rules.signals_days:
            summary["signals_thinned"] = retention.thin_signals(session, now - timedelta(days=rules.signals_days))
        if rules.queue_history_days:
            summary.update(retention.drop_queue_history(session, now - timedelta(days=rules.queue_history_days)))
        summary["rejects_files_deleted"] = _drop_rejects(settings, now)
        summary["run_id"] = run_id
        runs.finish_run(session, run_id, summary)
    return summary


def _drop_rejects(settings: Settings, now: datetime) -> int:
    """Rejects reports (``<data_dir>/rejects/*.jsonl``, they quote rows) older than ``rejects_days``."""
    days = settings.retention.rejects_days
    folder = settings.data_path / "rejects"
    if not days or not folder.is_dir():
        return 0
    cutoff = (now - timedelta(days=days)).timestamp()
    gone = 0
    for path in folder.glob("*.jsonl"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            gone += 1
    return gone


def run_daily(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """Apply retention every day at ``[retention] daily_at`` until ``stop``; a failure is logged, not fatal."""
    schedule = f"daily {settings.retention.daily_at}"
    while not stop.is_set():
        due = next_run(schedule, datetime.now(UTC))
        if stop.wait(max(0.0, (due - datetime.now(UTC)).total_seconds())):
            return
        try:
            log.info("retention applied: %s", apply(engine, settings))
        except Exception:
            log.exception("retention failed")

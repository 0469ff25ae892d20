"""`insight alerts run` end to end: an unsafe post arrives through the signed Discourse webhook, the
service's own worker scores it and refreshes the queue, and a notifier process delivers exactly one
alert to a receiver on 127.0.0.1, even when that process is killed (SIGKILL) mid-delivery and
started again. Also `alerts list` and `retry` as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from insight.api import create_app
from insight.config import Settings, load_config
from insight.services import alerts, notifier, webhooks
from insight.storage.db import make_engine
from tests.support.cli import cli_json
from tests.support.payloads import body, discourse_post
from tests.support.receiver import Receiver
from tests.support.service import service_settings

POLL, LEASE = 0.2, 3.0
STARTUP = 20.0  # a fresh `python -m insight` on 2 busy cores: imports, engine, migrations


def _config(folder: Path, receiver: Receiver) -> Path:
    path = folder / "alerts.toml"
    path.write_text(f'[redaction]\nnames = false\n[alerts]\nwebhook_url = "{receiver.url}"\n'
                    f'webhook_secret = "alert-secret"\nbase_url = "http://127.0.0.1:8000"\n'
                    f"poll_seconds = {POLL}\nlease_seconds = {LEASE}\nbackoff_seconds = 0.5\n"
                    f"timeout_seconds = 30\n", encoding="utf-8")
    return path


def _notifier(config: Path, db: str, folder: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    env = {**os.environ, "INSIGHT_DATA_DIR": str(folder), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("INSIGHT_DATABASE_URL", None)
    # Ctrl-C reaches it as in a terminal even when the suite itself runs as a background job (a shell
    # starts those with SIGINT ignored, and a child keeps an ignored signal ignored).
    return subprocess.Popen([sys.executable, "-m", "insight", "alerts", "run", "--config", str(config), "--db", db],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _unsafe_post_through_the_webhook(config: Path, db: str, folder: Path) -> None:
    """The service as `insight serve` runs it (one background worker), fed one signed webhook post."""
    settings = service_settings(load_config(config, overrides={"database_url": db, "data_dir": str(folder)}, env={}))
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    payload = discourse_post(7001, "Refund me by Friday or I will find you and hurt you. I know where you live.",
                             topic_id=5151, number=1, created_at=now)
    payload["post"]["topic_title"] = "Refund for jane.doe@example.com now"
    raw = body(payload)
    engine = make_engine(settings)
    with TestClient(create_app(settings, engine, workers=1)) as client:
        answer = client.post("/webhooks/discourse", content=raw, headers={
            "Content-Type": "application/json", **webhooks.sign("discourse", "discourse-secret", raw)})
        assert answer.status_code == 202 and answer.json()["queued"] == 1
        deadline = time.monotonic() + 60
        while not alerts.list_alerts(engine) and time.monotonic() < deadline:
            time.sleep(0.1)  # the worker scores, refreshes the queue, and the refresh queues the alert
    assert len(alerts.list_alerts(engine)) == 1
    engine.dispose()


def test_alerts_exactly_one_alert_across_a_kill_9_mid_delivery(db_settings: Settings, tmp_path: Path) -> None:
    db = db_settings.database_url  # a SQLite file, or an own PostgreSQL schema
    with Receiver(answers=[200]) as receiver:
        config = _config(tmp_path, receiver)
        _unsafe_post_through_the_webhook(config, db, tmp_path)
        receiver.hold()  # the first attempt is left unanswered: the notifier is mid-delivery
        first = _notifier(config, db, tmp_path)
        try:
            assert receiver.wait_held(STARTUP + POLL), first.stderr.read().decode() if first.poll() else "no request"
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            receiver.release()
        (row,) = alerts.list_alerts(make_engine(load_config(config, overrides={"database_url": db}, env={})))
        assert row["status"] == "running" and row["attempts"] == 1  # claimed, never recorded as delivered
        restarted_at = time.monotonic()
        second = _notifier(config, db, tmp_path)
        try:
            # Delivered once the dead notifier's lease runs out: within lease + poll of the restart.
            assert receiver.wait_for(1, STARTUP + LEASE + POLL + 2)
            delivered = next(iter(receiver.accepted.values()))
            assert delivered.at - restarted_at <= STARTUP + LEASE + POLL + 2
            time.sleep(LEASE + 2 * POLL)  # and nothing more comes
        finally:
            second.send_signal(signal.SIGINT)
            second.wait(60)  # how long it takes to stop is not what is tested; a loaded 2-core CI box needed over 20 s
    assert len(receiver.accepted) == 1 and len(receiver.requests) == 2
    assert len({r.headers["X-Insight-Delivery"] for r in receiver.requests}) == 1  # the receiver can dedupe
    assert notifier.verify("alert-secret", delivered.headers, delivered.body)
    sent = json.loads(delivered.body)
    assert sent["event"] == "opened" and sent["reasons"][0] == "safety_concern"
    assert "jane.doe@example.com" not in delivered.body.decode() and "[EMAIL]" in sent["text"]
    assert sent["url"] == f"http://127.0.0.1:8000/queue?status=all&sel={sent['item_id']}#item-{sent['item_id']}"
    listed = cli_json("alerts", "list", "--config", str(config), "--db", db)
    assert listed["count"] == 1 and listed["alerts"][0]["status"] == "delivered"
    assert listed["alerts"][0]["attempts"] == 2


def test_alerts_cli_run_once_retry_and_errors(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'insight.db'}"
    bare = tmp_path / "bare.toml"
    bare.write_text("[alerts]\nreasons = ['safety']\n", encoding="utf-8")
    assert cli_json("alerts", "run", "--once", "--config", str(bare), "--db", db)["error"] == "E111"
    bare.write_text("", encoding="utf-8")
    assert cli_json("alerts", "run", "--once", "--config", str(bare), "--db", db)["error"] == "E115"
    assert cli_json("alerts", "retry", "12", "--config", str(bare), "--db", db)["error"] == "E447"
    assert cli_json("alerts", "list", "--status", "lost", "--db", db)["error"] == "E606"

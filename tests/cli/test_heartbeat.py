"""Any command past a few seconds says it is working on stderr; help, services and commands with
their own progress bars get no heartbeat."""

from __future__ import annotations

import io
import time

from insight.cli.heartbeat import Heartbeat, label


def test_heartbeat_writes_after_the_delay_only() -> None:
    quick, slow = io.StringIO(), io.StringIO()
    with Heartbeat("insight ingest", quick, delay=0.5):
        pass
    with Heartbeat("insight ingest", slow, delay=0.05):
        time.sleep(0.3)
    assert quick.getvalue() == ""
    assert slow.getvalue().startswith("insight ingest: working... ") and slow.getvalue().endswith(" s\n")


def test_heartbeat_label_per_command() -> None:
    assert label(["triage", "backtest", "--start", "2026-06-01"]) == "insight triage backtest"
    assert label(["ingest", "export/"]) == "insight ingest"
    assert label(["report", "--help"]) is None
    assert label(["serve", "--db", "x"]) is None and label(["alerts", "run"]) is None
    assert label(["demo"]) is None and label(["analyse"]) is None  # their own bars per stage

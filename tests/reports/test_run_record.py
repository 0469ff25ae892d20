"""The run record: content hashes, not counts or clocks; naive and aware UTC times hash alike."""

from __future__ import annotations

from datetime import UTC, datetime

from insight.reports.run_record import run_record, snapshot

ROWS = [("p1", datetime(2026, 10, 1, 12, 0), "Deploy fails", 0.25), ("p2", datetime(2026, 10, 2), "Thanks!", None)]


def record(**inputs):  # type: ignore[no-untyped-def]
    return run_record(inputs=inputs, models={"insight.signals.v1": "signals@abc"}, seeds={"topics": 42},
                      config={"trend_periods": 6}, settings_hash="cfg", insight_version="0.1.0",
                      pipeline_runs=["r2", "r1", "r2"])


def test_snapshot_changes_with_any_value_not_just_the_count() -> None:
    base = snapshot(ROWS)
    assert base["rows"] == 2
    edited = [ROWS[0], ("p2", datetime(2026, 10, 2), "Thanks!!", None)]
    assert snapshot(edited)["rows"] == 2 and snapshot(edited)["sha256"] != base["sha256"]
    assert snapshot(reversed(ROWS))["sha256"] != base["sha256"]  # order is part of the snapshot: callers sort


def test_naive_and_aware_utc_times_give_the_same_snapshot() -> None:
    aware = [(r[0], r[1].replace(tzinfo=UTC), *r[2:]) for r in ROWS]
    assert snapshot(aware) == snapshot(ROWS)


def test_run_id_is_derived_from_the_record() -> None:
    first, again = record(posts=snapshot(ROWS)), record(posts=snapshot(ROWS))
    assert first == again and first["run_id"].startswith("report-")
    assert first["pipeline_runs"] == ["r1", "r2"]
    other = record(posts=snapshot(ROWS[:1]))
    assert other["run_id"] != first["run_id"] and other["input_hash"] != first["input_hash"]
    assert record(posts=snapshot(ROWS))["config_hash"] == first["config_hash"]

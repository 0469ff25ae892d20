"""Materialised reports: readers get the stored copy while nothing changed, a rebuilt one after a change;
KPI values per period and cohort are stored beside it. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from insight.config import Settings
from insight.services import report_store, reports
from insight.services.ingest import ingest_paths
from insight.storage import materialised
from insight.storage.db import session_scope
from insight.storage.tables import MemberRow

PERIOD = "2026-03"


def test_reports_are_served_from_the_stored_copy_until_the_inputs_change(
        story_engine: Engine, db_settings: Settings, tmp_path: Path) -> None:
    # Every cohort shown: the tiny community's cohorts are under the default minimum n.
    db_settings = db_settings.model_copy(update={"reports": db_settings.reports.model_copy(update={"min_cohort_n": 1})})
    built = reports.report_json(reports.build_report(story_engine, db_settings, PERIOD))
    assert report_store.materialise(story_engine, db_settings, PERIOD, "run-1") is not None
    with session_scope(story_engine) as session:
        digest, payload = materialised.report(session, PERIOD, "json")
        values = materialised.kpi_values(session, PERIOD)
    assert json.loads(payload)["kpis"] == json.loads(json.dumps(built["kpis"]))
    overall = {v["kpi_id"]: v for v in values if v["cohort"] == "all"}
    assert {k["id"] for k in built["kpis"]} == set(overall)
    assert all(v["run_id"] == "run-1" for v in values) and any(v["cohort"] != "all" for v in values)

    # Unchanged inputs: the stored copy, not a rebuild (a rebuild would be stored under another run id).
    assert report_store.report(story_engine, db_settings, PERIOD, "md") == reports.render_report(
        reports.build_report(story_engine, db_settings, PERIOD), "md")
    with session_scope(story_engine) as session:
        assert materialised.report(session, PERIOD, "json") == (digest, payload)

    # A new post changes the fingerprint: the next read rebuilds and stores the new report.
    post = tmp_path / "late.jsonl"
    post.write_text(json.dumps({"post_id": "late", "thread_id": "t9", "author_id": "a1", "text": "Any news on exports?",
                                "created_at": "2026-03-28T09:00:00Z"}) + "\n")
    ingest_paths([post], engine=story_engine, settings=db_settings)
    fresh = report_store.report(story_engine, db_settings, PERIOD)
    assert fresh["run"]["inputs"]["posts"]["rows"] == built["run"]["inputs"]["posts"]["rows"] + 1
    with session_scope(story_engine) as session:
        assert materialised.report(session, PERIOD, "json")[0] != digest
    cohort = report_store.kpi_values(story_engine, db_settings, PERIOD, "segment=newcomer")
    assert [k["id"] for k in cohort] == [
        k["id"] for k in fresh["kpis"]]


def test_pages_are_drawn_from_the_stored_report_not_built_again(
        story_engine: Engine, db_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``insight analyse`` stored the JSON report, the first Markdown or HTML read draws it from that
    copy (the report's data are not computed again) and gets what a fresh build would show."""
    fresh = reports.build_report(story_engine, db_settings, PERIOD)
    assert report_store.materialise(story_engine, db_settings, PERIOD, "run-1") is not None

    def no_rebuild(*_args: object) -> None:
        raise AssertionError("the report was built again")

    monkeypatch.setattr(report_store, "build_report", no_rebuild)
    for fmt in ("md", "html"):
        assert report_store.report(story_engine, db_settings, PERIOD, fmt) == reports.render_report(fresh, fmt)
        with session_scope(story_engine) as session:
            assert materialised.report(session, PERIOD, fmt)[0] == materialised.report(session, PERIOD, "json")[0]


def test_api_reads_check_the_large_tables_at_most_every_fresh_seconds_but_consent_always(
        story_engine: Engine, db_settings: Settings, tmp_path: Path) -> None:
    hour = 3600.0
    assert report_store.materialise(story_engine, db_settings, PERIOD, "run-1") is not None
    first = report_store.report_text(story_engine, db_settings, PERIOD, fresh_seconds=hour)
    post = tmp_path / "late.jsonl"
    post.write_text(json.dumps({"post_id": "late", "thread_id": "t9", "author_id": "a1", "text": "Any news on exports?",
                                "created_at": "2026-03-28T09:00:00Z"}) + "\n")
    ingest_paths([post], engine=story_engine, settings=db_settings)
    # Within the window the stored copy is served (it may trail new posts by that long) ...
    assert report_store.report_text(story_engine, db_settings, PERIOD, fresh_seconds=hour) == first
    # ... a read without one sees the new post at once (and stores the rebuilt copy) ...
    rebuilt = report_store.report_text(story_engine, db_settings, PERIOD)
    def rows(report: str) -> int:
        return json.loads(report)["run"]["inputs"]["posts"]["rows"]

    assert rows(rebuilt) == rows(first) + 1
    # ... and a windowed read serves that stored copy, not a rebuild of its own under a stale digest.
    assert report_store.report_text(story_engine, db_settings, PERIOD, fresh_seconds=hour) == rebuilt
    # Consent never waits: a withdrawal changes what a windowed read serves at once.
    with session_scope(story_engine) as session:
        author = session.scalar(select(MemberRow.author_id).where(MemberRow.consent_analytics.is_(True))
                                .order_by(MemberRow.author_id).limit(1))
        session.execute(update(MemberRow).where(MemberRow.author_id == author).values(consent_analytics=False))
    withdrawn = report_store.report_text(story_engine, db_settings, PERIOD, fresh_seconds=hour)
    assert withdrawn != rebuilt and json.loads(withdrawn)["run"]["run_id"] != json.loads(rebuilt)["run"]["run_id"]

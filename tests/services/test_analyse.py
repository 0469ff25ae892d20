"""``insight analyse`` as a new user meets it: real platform exports plus a community file of our own,
ingested, analysed, triaged and reported; incremental and idempotent; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from insight.config import Settings
from insight.runtime.spec import AnalyseSpec
from insight.services import report_store, triage
from insight.services.analyse import analyse
from insight.services.ingest import ingest_paths
from insight.storage.analysis_tables import FeedbackSignalRow, KpiValueRow, PostEmbeddingRow
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import PostRow, SignalRow, TopicAssignmentRow, TriageActionRow, TriageItemRow
from tests.support.analyse import COMMUNITY
from tests.support.paths import SHARED_DATA

AS_OF = datetime(2026, 9, 18, tzinfo=UTC)
TABLES = (PostRow, SignalRow, PostEmbeddingRow, FeedbackSignalRow, TopicAssignmentRow, TriageItemRow,
          TriageActionRow, KpiValueRow)


def _counts(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def _queue(engine: Engine) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    return {i.thread_key: (i.reasons, i.evidence_post_ids) for i in triage.list_queue(engine, status="active")}


@pytest.mark.slow
def test_analyse_scores_everything_stored_then_only_what_is_new(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    ingest_paths([SHARED_DATA / "platform_formats", COMMUNITY / "community.jsonl", COMMUNITY / "feedback.csv"],
                 engine=engine, settings=db_settings)
    stored = _counts(engine)["posts"]

    first = analyse(engine, db_settings, as_of=AS_OF)
    assert first["posts_scored"] == stored > 150 and first["posts_skipped"] == 0
    assert first["feedback_scored"] == 3 and first["topics"] >= 1 and first["run_id"]
    after = _counts(engine)
    assert after["signals"] == after["post_embeddings"] == after["topic_assignments"] == stored
    queue = _queue(engine)
    # Safety and frustration reach the queue with the posts that show them.
    threat, dox, sync = (queue.get(f"generic:{t}") for t in ("threat", "dox", "sync"))
    assert threat and "safety_concern" in threat[0] and "threat-3" in threat[1]
    assert dox and "safety_concern" in dox[0] and "dox-2" in dox[1]
    assert sync and "rising_frustration" in sync[0]
    assert "generic:howto" not in queue
    report = report_store.report(engine, db_settings, "2026-09")
    assert report["sentiment_by_channel"] and report["topics"]
    assert "2026-09" in first["periods_materialised"] and after["kpi_values"] > 0

    # Nothing new: nothing scored, nothing changed.
    second = analyse(engine, db_settings, as_of=AS_OF)
    assert (second["posts_scored"], second["feedback_scored"]) == (0, 0)
    assert _counts(engine) == after and _queue(engine) == queue

    # New posts are scored alone, and join the stored topic model without a re-encode of the rest.
    new = tmp_path / "new.jsonl"
    new.write_text((COMMUNITY / "community.jsonl").read_text().replace('"post_id": "launch-', '"post_id": "again-'))
    ingest_paths([new], engine=engine, settings=db_settings)
    third = analyse(engine, db_settings, as_of=AS_OF)
    assert third["posts_scored"] == 4 and third["posts_assigned"] == 4
    assert _counts(engine)["post_embeddings"] == stored + 4


@pytest.mark.slow
def test_the_report_reads_feedback_answers_per_moment(story_engine: Engine, db_settings: Settings) -> None:
    summary = analyse(story_engine, db_settings, AnalyseSpec(stages=["feedback"]))
    assert summary["feedback_scored"] > 0 and summary["posts_scored"] == 0
    every_moment = db_settings.model_copy(update={"reports": db_settings.reports.model_copy(
        update={"min_cohort_n": 1})})  # the tiny community has one answer per moment
    report = report_store.report(story_engine, every_moment, "2026-03")
    moments = {row["moment"]: row for row in report["feedback"]}
    assert set(moments) == {"event_attended", "solution_accepted"}
    for row in moments.values():
        assert row["scored"] == row["n"] == 1 and row["themes"]
        assert abs(row["positive"] + row["neutral"] + row["negative"] - 1) < 1e-9

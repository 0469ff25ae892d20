"""Signals reads: the stored values per post and what a report reads for a period, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from insight.storage import signals
from insight.storage.db import session_scope
from tests.support.storage import APRIL, MARCH


def test_signals_by_post_gives_plain_values(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        found = signals.signals_by_post(session)
    assert set(found) == {seeded["p1"], seeded["p3"]}
    assert found[seeded["p1"]] == {"sentiment_label": "negative", "sentiment_score": -0.5,
                                   "sentiment_scores": {"negative": 0.75}, "emotion": None, "safety_label": "safe",
                                   "safety_category": None, "safety_score": 0.0, "safety_evidence": None}


def test_signals_reads_for_a_period(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        assert signals.sentiment_rows(session, MARCH, APRIL) == [("help", "m1", "negative")]
        assert list(signals.snapshot_rows(session, APRIL)) == [("discourse", "p1", "negative", -0.5, "m", "r1")]
        assert signals.run_ids(session) == ["sig-run"]
        assert signals.models(session) == {("test.signals.v1", "m", "r1")}

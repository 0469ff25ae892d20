"""Topic reads of the latest run: topics, counts per period and snapshot rows, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from insight.storage import topics
from insight.storage.db import session_scope
from tests.support.storage import APRIL, MARCH


def test_topics_reads_of_the_latest_run(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        latest = topics.latest_topics(session)
        assert [(t["topic"], t["label"], t["run_id"]) for t in latest] == [(0, "billing", "topic-run"),
                                                                          (1, "login", "topic-run")]
        assert topics.topic_counts(session, "topic-run", MARCH, APRIL) == {0: 1, 1: 1}
        assert topics.topic_counts(session, "other-run", MARCH, APRIL) == {}
        assert list(topics.snapshot_rows(session, "topic-run", APRIL)) == [("discourse", "p1", 0), ("discourse", "p2", 1)]
        assert topics.models(session, "topic-run") == {("test.topics.v1", "m", "r1")}

"""Triage queue reads of the last ranking: attention items, snapshot rows and models, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from insight.storage import queue
from insight.storage.db import session_scope


def test_queue_reads_of_the_last_ranking(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        assert queue.last_triage_run(session) == "triage-2"
        assert queue.attention_items(session, "triage-1", 15) == [
            {"thread_id": "discourse:t1", "title": None, "channel": "help", "priority": 0.9,
             "reasons": ["no_reply"], "explanation": "why discourse:t1"}]
        assert [i["thread_id"] for i in queue.attention_items(session, "triage-2", 15)] == ["discourse:t2"]
        assert queue.attention_items(session, "triage-1", 0) == []
        assert queue.triage_snapshot_rows(session, "triage-1") == [
            ("discourse:t1", True, 0.9, ["no_reply"], "why discourse:t1"),
            ("discourse:t2", False, 0.1, ["no_reply"], "why discourse:t2")]
        assert queue.triage_models(session, "triage-2") == {("test.triage.v1", "m", "r1")}

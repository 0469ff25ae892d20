"""The reads a report makes, per aggregate (signals, topics, triage, members, KPI observations),
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from insight.records import KpiObservation, Member, TriageItem
from insight.storage import kpis, members, posts, queue, signals, topics
from insight.storage.db import session_scope
from tests.storage.builders import post, prov, store

MARCH, APRIL = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture
def seeded(engine: Engine) -> dict[str, int]:
    """Three posts (two in March, one in April), two scored, all assigned to topics, two triage runs."""
    store(engine, Member("m1", motivation="learn", consent_analytics=True), Member("m2"),
          post("p1", "m1", 1), post("p2", "m2", 2, thread="t2", channel=None), post("p3", "m1", 24 * 31))
    with session_scope(engine) as session:
        pks = {p.post.post_id: p.pk for p, _ in posts.stored_posts(session)}
        signals.save_signals(session, [_signal(pks["p1"], "negative"), _signal(pks["p3"], "positive")],
                             prov("test.signals.v1", "sig-run"))
        topics.save_topics(session, [{"topic": 0, "label": "billing", "words": ["bill"], "size": 2},
                                     {"topic": 1, "label": "login", "words": ["login"], "size": 1}],
                           [(pks["p1"], 0, 0.9), (pks["p2"], 1, 0.8), (pks["p3"], 0, 0.7)],
                           prov("test.topics.v1", "topic-run"))
        queue.save_triage(session, [_item("discourse:t1", True, 0.9), _item("discourse:t2", False, 0.1)], MARCH,
                          prov("test.triage.v1", "triage-1"))
        queue.save_triage(session, [_item("discourse:t2", True, 0.5)], APRIL, prov("test.triage.v1", "triage-2"))
    return pks


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
        assert signals.snapshot_rows(session, APRIL) == [("discourse", "p1", "negative", -0.5, "m", "r1")]
        assert signals.run_ids(session) == ["sig-run"]
        assert signals.models(session) == {("test.signals.v1", "m", "r1")}


def test_topics_reads_of_the_latest_run(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        latest = topics.latest_topics(session)
        assert [(t["topic"], t["label"], t["run_id"]) for t in latest] == [(0, "billing", "topic-run"),
                                                                          (1, "login", "topic-run")]
        assert topics.topic_counts(session, "topic-run", MARCH, APRIL) == {0: 1, 1: 1}
        assert topics.topic_counts(session, "other-run", MARCH, APRIL) == {}
        assert topics.snapshot_rows(session, "topic-run", APRIL) == [("discourse", "p1", 0), ("discourse", "p2", 1)]
        assert topics.models(session, "topic-run") == {("test.topics.v1", "m", "r1")}


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


def test_members_frame_and_snapshots_hold_the_stored_answers(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        kpis.upsert_kpi_observation(session, KpiObservation("nps", MARCH, APRIL, "all", 40.0, 12), "run")
        frame = members.members_frame(session).sort_values("author_id")
        member_rows = members.snapshot_rows(session)
        observations = kpis.snapshot_rows(session)
    # Answers as stored: deciding what unknown means is privacy.consent's job, above storage.
    assert frame["consent_analytics"].tolist() == [True, None]
    assert frame["consent_quotes"].tolist() == [None, None]
    assert [(r[0], r[2], r[4]) for r in member_rows] == [("m1", "learn", True), ("m2", "other", None)]
    assert [(r[0], r[2], r[3], r[4]) for r in observations] == [("nps", "all", 40.0, 12)]


def _signal(pk: int, label: str) -> dict[str, object]:
    return {"post_pk": pk, "sentiment_label": label, "sentiment_score": -0.5 if label == "negative" else 0.5,
            "sentiment_scores": {label: 0.75}, "emotion": None, "safety_label": "safe", "safety_category": None,
            "safety_score": 0.0, "safety_evidence": None}


def _item(thread_key: str, attention: bool, priority: float) -> TriageItem:
    return TriageItem(thread_id=thread_key, needs_attention=attention, priority=priority, reasons=("no_reply",),
                      explanation=f"why {thread_key}", evidence_post_ids=("p1",))

"""Posts, threads and feedback in storage: each read on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from insight.records import FeedbackAnswer, Member, utc
from insight.storage import posts, signals
from insight.storage.db import session_scope
from tests.support.storage import T0, post, prov, signal_row, store


def test_posts_redacted_posts_find_evidence_by_platform_and_id(engine: Engine) -> None:
    store(engine, post("p1", "a1", 1), post("p2", "a1", 2), post("p1", "a2", 3, platform="slack"))
    with session_scope(engine) as session:
        found = posts.redacted_posts(session, "discourse", {"p1", "p2", "missing"})
        slack = posts.redacted_posts(session, "slack", ["p1"])
    by_id = {f["post_id"]: f for f in found}
    assert set(by_id) == {"p1", "p2"}
    assert by_id["p1"] == {"thread_key": "discourse:t1", "post_id": "p1", "created_at": T0 + timedelta(hours=1),
                           "text_redacted": "red p1", "url": "https://x.test/p1"}
    assert by_id["p1"]["created_at"].tzinfo is not None  # UTC on both databases
    assert [(s["thread_key"], s["text_redacted"]) for s in slack] == [("slack:t1", "red p1")]


def test_posts_stored_posts_and_feedback_carry_the_stored_consent(engine: Engine) -> None:
    store(engine, Member("yes", consent_analytics=True), Member("no", consent_analytics=False), Member("unknown"),
          post("p1", "yes", 1), post("p2", "no", 2), post("p3", "unknown", 3), post("p4", "stranger", 4),
          FeedbackAnswer("f1", "q", "other", "no", T0, "raw f1"), FeedbackAnswer("f2", "q", "other", "yes", T0, "x"))
    with session_scope(engine) as session:
        stored = posts.stored_posts(session)
        feedback = posts.feedback_answers(session)
    assert [(p.post.post_id, p.text_redacted, consent) for p, consent in stored] == [
        ("p1", "red p1", True), ("p2", "red p2", False), ("p3", "red p3", None), ("p4", "red p4", None)]
    assert stored[0][0].post.text == "raw p1" and stored[0][0].post.thread_id == "t1"
    assert sorted((f["response_id"], consent) for f, consent in feedback) == [("f1", False), ("f2", True)]


def test_posts_source_texts_of_posts_and_feedback(engine: Engine) -> None:
    store(engine, post("p1", "a1", 1), FeedbackAnswer("f1", "q", "other", "a2", T0, "raw f1"))
    with session_scope(engine) as session:
        found = posts.source_texts(session, ["p1", "feedback:f1", "nope"])
    assert set(found) == {"p1", "feedback:f1"}
    assert found["p1"]["text_redacted"] == "red p1" and found["p1"]["thread_key"] == "discourse:t1"
    assert found["feedback:f1"] == {"text_redacted": "red f1", "author_id": "a2", "created_at": T0,
                                    "thread_key": None, "channel": None, "url": None}


def test_posts_scoring_state_says_which_posts_are_scored(engine: Engine) -> None:
    store(engine, post("p1", "a1", 1), post("p2", "a1", 2))
    with session_scope(engine) as session:
        pks = {p.post.post_id: p.pk for p, _ in posts.stored_posts(session)}
        signals.save_signals(session, [signal_row(pks["p1"])], prov())
    with session_scope(engine) as session:
        state = posts.scoring_state(session, "discourse", ["p1", "p2", "p3"])
    assert state == {"p1": (pks["p1"], True, "raw p1"), "p2": (pks["p2"], False, "raw p2")}


def test_posts_time_span_count_and_purge(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert posts.time_span(session) == (None, None)
    store(engine, post("p1", "a1", 1), post("p2", "a2", 30), FeedbackAnswer("f1", "q", "other", "a1", T0, "x"))
    day = datetime(2026, 3, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        first, last = posts.time_span(session)
        assert (utc(first), utc(last)) == (T0 + timedelta(hours=1), T0 + timedelta(hours=30))
        assert posts.any_between(session, day, day + timedelta(days=1))
        assert not posts.any_between(session, day - timedelta(days=400), day - timedelta(days=399))
        assert posts.purge_author(session, "a1") == 1
    with session_scope(engine) as session:
        assert [p.post.post_id for p, _ in posts.stored_posts(session)] == ["p2"]
        assert posts.feedback_answers(session) == []


def test_posts_frame_holds_every_post_compactly(engine: Engine) -> None:
    # Ids as long as real platforms' (Slack timestamps, Discord snowflakes): a frame of Python string
    # objects would take over 400 bytes a post; the KPI stage holds one over every stored post.
    items = [post(f"1733571234.{i:09d}", f"U0{i % 40:08d}", i / 60, thread=f"1733570000.{i // 6:09d}")
             for i in range(3000)]
    store(engine, *items)
    with session_scope(engine) as session:
        frame = posts.posts_frame(session)
    assert len(frame) == 3000
    assert set(frame["post_id"]) == {p.post_id for p in items}
    assert frame["created_at"].min() == utc(T0) and str(frame["created_at"].dt.tz) == "UTC"
    assert frame.memory_usage(deep=True).sum() / len(frame) < 250

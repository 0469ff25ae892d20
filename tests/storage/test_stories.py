"""What story-metric pairs read from storage: the stories' members now, and a fingerprint of every input."""

from __future__ import annotations

from sqlalchemy import Engine

from insight.records import Member
from insight.storage import members, stories
from insight.storage.db import session_scope
from tests.support.storage import RUN, T0, post, store


def _story(story_id: str, author: str) -> dict[str, object]:
    return {"story_id": story_id, "source": "post", "thread_key": "discourse:t1", "source_ids": [f"p-{story_id}"],
            "author_id": author, "told_at": T0, "channel": "help", "text_redacted": "a story", "story_score": 0.9,
            "detected_at": T0, "stage": "test.detect.v1", "model": "d", "model_revision": "r1",
            "config_hash": "cfg", "run_id": RUN}


def test_story_members_are_read_now_and_none_without_a_record(engine: Engine) -> None:
    store(engine, Member("m1", consent_analytics=True, consent_quotes=True))
    with session_scope(engine) as session:
        stories.add_stories(session, [_story("s1", "m1"), _story("s2", "stranger")])
        before = stories.story_members(session, {"s1", "s2", "s3"})
        members.upsert_member(session, Member("m1", consent_analytics=False), RUN)
    with session_scope(engine) as session:
        after = stories.story_members(session, ["s1"])
    assert set(before) == {"s1", "s2"} and before["s2"] is None
    assert before["s1"] is not None and (before["s1"].consent_analytics, before["s1"].consent_quotes) == (True, True)
    # A withdrawal shows at once; the quotes answer the export left out stays as it was.
    assert after["s1"] is not None and (after["s1"].consent_analytics, after["s1"].consent_quotes) == (False, True)


def test_pairs_fingerprint_changes_with_what_pairs_read(engine: Engine) -> None:
    with session_scope(engine) as session:
        empty = stories.pairs_fingerprint(session)
        assert stories.pairs_fingerprint(session) == empty
    store(engine, Member("m1", consent_analytics=True), post("p1", "m1", 1))
    with session_scope(engine) as session:
        stored = stories.pairs_fingerprint(session)
        members.upsert_member(session, Member("m1", consent_analytics=False), RUN)
    with session_scope(engine) as session:
        withdrawn = stories.pairs_fingerprint(session)
        stories.add_stories(session, [_story("s1", "m1")])
    with session_scope(engine) as session:
        told = stories.pairs_fingerprint(session)
    assert len({empty, stored, withdrawn, told}) == 4

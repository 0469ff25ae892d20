"""The pairs cache decides consent at answer time with ``privacy.consent.may_show`` and ``may_quote``:
every stored answer, and a story whose author has no member record, under both policies."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from insight.config import Settings
from insight.privacy import consent
from insight.records import Member, StoryMetricPair
from insight.services.pairs_cache import PairsCache
from insight.storage import erasure, stories
from insight.storage.db import make_engine, session_scope
from tests.support.storage import RUN, T0, store

# story author -> (analytics, quotes) stored now; "stranger" has no member record.
MEMBERS: dict[str, tuple[bool | None, bool | None]] = {
    "yes-quote": (True, True), "yes": (True, None), "no": (False, True), "unknown-quote": (None, True),
    "unknown": (None, False)}
AUTHORS = [*MEMBERS, "stranger"]
# The rule spelt out: (shown, quoted) per author and policy.
EXPECTED = {
    "include": {"yes-quote": (True, True), "yes": (True, False), "unknown-quote": (True, True),
                "unknown": (True, False), "stranger": (True, False)},
    "exclude": {"yes-quote": (True, True), "yes": (True, False), "unknown-quote": (True, True),
                "unknown": (True, False)},
}


def _pair(author: str) -> StoryMetricPair:
    return StoryMetricPair(kpi_id="k", cohort="all", period="2026-03", value=1.0, n=10, story_id=f"s-{author}",
                           link_id=f"l-{author}", tag="t", tag_score=1.0, quote="words", source_post_ids=("p",),
                           tagger="person:x", taxonomy_version="v1", linked_at=T0)


def _story(author: str) -> dict[str, object]:
    return {"story_id": f"s-{author}", "source": "post", "thread_key": None, "source_ids": ["p"], "author_id": author,
            "told_at": T0, "channel": None, "text_redacted": "words", "story_score": 1.0, "detected_at": T0,
            "stage": "test", "model": None, "model_revision": None, "config_hash": "cfg", "run_id": RUN}


def _two_quoted_stories(db_settings: Settings) -> tuple[Engine, PairsCache]:
    """Two consenting, quotable members with a story each, and a cache whose fingerprints last an hour."""
    engine = make_engine(db_settings)
    store(engine, Member("yes-quote", consent_analytics=True, consent_quotes=True),
          Member("yes", consent_analytics=True, consent_quotes=True))
    with session_scope(engine) as session:
        stories.add_stories(session, [_story(a) for a in ("yes-quote", "yes")])
    return engine, PairsCache(compute=lambda *_, **__: [_pair(a) for a in ("yes-quote", "yes")], fresh_seconds=3600)


@pytest.mark.parametrize("policy", ["include", "exclude"])
def test_pairs_cache_shows_and_quotes_by_the_consent_rules(db_settings: Settings, policy: str) -> None:
    engine = make_engine(db_settings)
    store(engine, *(Member(a, consent_analytics=c, consent_quotes=q) for a, (c, q) in MEMBERS.items()))
    with session_scope(engine) as session:
        stories.add_stories(session, [_story(a) for a in AUTHORS])
    cache = PairsCache(compute=lambda *_, **__: [_pair(a) for a in AUTHORS])
    found = {p.story_id.removeprefix("s-"): p.quote is not None for p in cache.pairs(engine, "2026-03",
                                                                                     unknown_members=policy)}
    dicts = {d["story_id"].removeprefix("s-"): d["quote"] is not None
             for d in json.loads(cache.page_json(engine, "2026-03", unknown_members=policy)[0])}
    engine.dispose()
    members = {a: Member(a, consent_analytics=c, consent_quotes=q) for a, (c, q) in MEMBERS.items()}
    by_rule = {a: (True, consent.may_quote(members.get(a))) for a in AUTHORS
               if consent.may_show(members.get(a), policy)}
    assert {a: (True, quoted) for a, quoted in found.items()} == by_rule == EXPECTED[policy]
    assert dicts == found


def test_a_page_is_sent_again_only_while_every_consent_decision_holds(db_settings: Settings) -> None:
    # Fingerprints remembered for an hour: only the consent re-read can tell the page is stale.
    engine, cache = _two_quoted_stories(db_settings)
    first, total = cache.page_json(engine, "2026-03")
    again, _ = cache.page_json(engine, "2026-03")
    assert again is first and total == 2 and cache.misses == 1  # the same bytes, no re-encoding
    store(engine, Member("yes", consent_analytics=True, consent_quotes=False))  # quotes withdrawn
    quotes = {d["story_id"]: d["quote"] for d in json.loads(cache.page_json(engine, "2026-03")[0])}
    assert quotes == {"s-yes-quote": "words", "s-yes": None}
    store(engine, Member("yes", consent_analytics=False))  # analytics withdrawn: the pair goes
    body, total = cache.page_json(engine, "2026-03")
    assert [d["story_id"] for d in json.loads(body)] == ["s-yes-quote"] and total == 1
    second_page, _ = cache.page_json(engine, "2026-03", offset=1, limit=1)
    engine.dispose()
    assert json.loads(second_page) == []


def test_a_pair_whose_story_was_erased_is_never_served_from_the_cache(db_settings: Settings) -> None:
    # Fingerprints remembered for an hour and no ``clear()``: another HTTP process erased the story.
    engine, cache = _two_quoted_stories(db_settings)
    assert cache.page_json(engine, "2026-03")[1] == 2
    with session_scope(engine) as session:
        erasure.erase_authors(session, ["yes"])
    body, total = cache.page_json(engine, "2026-03")
    listed = [p.story_id for p in cache.pairs(engine, "2026-03")]
    engine.dispose()
    assert [d["story_id"] for d in json.loads(body)] == listed == ["s-yes-quote"] and total == 1
    assert cache.misses == 1  # served from the cache, the erased story dropped at answer time

"""Stories over HTTP: review decisions through the stories service, pairs for reporters under consent."""

from __future__ import annotations

from sqlalchemy import select

from insight.records import Member
from insight.services import stories
from insight.storage import members
from insight.storage.db import session_scope
from insight.storage.tables import MemberRow, StoryRow


def test_stories_api_review_confirm_reject_retag_and_conflicts(service) -> None:
    client, researcher = service.client, service.headers("researcher")
    pending = client.get("/api/v1/stories/suggestions", headers=researcher).json()
    assert {s["suggestion_id"] for s in pending} == {s["suggestion_id"] for s in service.stories[1:]}
    first = pending[0]
    assert first["text"] and first["highlights"] and first["highlights"][0][1] <= len(first["text"])
    ids = [s["suggestion_id"] for s in service.stories[1:4]]
    def review(suggestion_id: int, **body: str):  # type: ignore[no-untyped-def]
        return client.post(f"/api/v1/stories/suggestions/{suggestion_id}/review", json=body, headers=researcher)

    confirm = review(ids[0], decision="confirm")
    assert confirm.status_code == 200 and confirm.json()["status"] == "confirmed" and confirm.json()["links"]
    reject = review(ids[1], decision="reject")
    assert reject.json()["status"] == "rejected" and reject.json()["links"] == []
    retag = review(ids[2], decision="retag", new_tag="mentor_guidance")
    assert retag.json()["status"] == "retagged" and retag.json()["new_tag"] == "mentor_guidance"
    again = review(ids[0], decision="reject")
    assert again.status_code == 409 and again.json()["error"]["code"] == "E432"
    missing = review(99999, decision="confirm")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E431"
    no_tag = review(service.stories[4]["suggestion_id"], decision="retag")
    assert no_tag.status_code == 400 and no_tag.json()["error"]["code"] == "E636"
    bad = review(ids[0], decision="maybe")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "E661"  # coded, not FastAPI's bare 422
    statuses = {s["suggestion_id"]: s["status"] for s in stories.suggestions(service.engine, status="all", limit=100)}
    assert [statuses[i] for i in ids] == ["confirmed", "rejected", "retagged"]


def test_stories_api_pairs_quote_only_with_consent_and_follow_withdrawal(service) -> None:
    client, reporter, researcher = service.client, service.headers("reporter"), service.headers("researcher")
    for seeded in service.stories[1:4]:  # odd stories' members do not consent to quotes
        client.post(f"/api/v1/stories/suggestions/{seeded['suggestion_id']}/review", json={"decision": "confirm"},
                    headers=researcher)
    pairs = client.get("/api/v1/pairs?period=2026-05", headers=reporter).json()
    consent = {s["story_id"]: s["quotes"] for s in service.stories}
    assert {p["story_id"] for p in pairs} == {s["story_id"] for s in service.stories[:4]}
    for pair in pairs:
        assert (pair["quote"] is not None) == consent[pair["story_id"]]
        assert "author_id" not in pair
    with session_scope(service.engine) as session:
        authors = set(session.scalars(select(StoryRow.author_id)))
    assert not [a for a in authors if a in client.get("/api/v1/pairs?period=2026-05", headers=reporter).text]

    # Consent withdrawn after the pairs were computed (and cached): quotes go at once, then the member.
    quoted = next(s for s in service.stories[:4] if s["quotes"])
    with session_scope(service.engine) as session:
        author = session.scalar(select(StoryRow.author_id).where(StoryRow.story_id == quoted["story_id"]))
        member = session.get(MemberRow, author)
        members.upsert_member(session, Member(author_id=author, platform=member.platform, joined_at=member.joined_at,
                                           motivation=member.motivation, consent_analytics=True,
                                           consent_quotes=False), member.run_id)  # same run: fingerprint unchanged
    after = client.get("/api/v1/pairs?period=2026-05", headers=reporter).json()
    assert all(p["quote"] is None for p in after if p["story_id"] == quoted["story_id"])
    with session_scope(service.engine) as session:
        session.get(MemberRow, author).consent_analytics = False
    gone = client.get("/api/v1/pairs?period=2026-05", headers=reporter).json()
    assert quoted["story_id"] not in {p["story_id"] for p in gone} and gone


def test_stories_api_pairs_cache_recomputes_when_links_change(service) -> None:
    client, reporter = service.client, service.headers("reporter")
    cache = client.app.state.pairs
    first = client.get("/api/v1/pairs?period=2026-05&kpi_id=activation_rate", headers=reporter).json()
    misses = cache.misses
    assert client.get("/api/v1/pairs?period=2026-05&kpi_id=activation_rate", headers=reporter).json() == first
    assert cache.misses == misses  # served from the cache
    mentor = next(s for s in service.stories[1:] if s["tag"] == "mentor_guidance")  # names activation_rate
    stories.review(service.engine, mentor["suggestion_id"], "confirm", "someone")
    later = client.get("/api/v1/pairs?period=2026-05&kpi_id=activation_rate", headers=reporter).json()
    assert cache.misses == misses + 1 and len(later) > len(first)
    fresh = stories.story_metric_pairs(service.engine, "2026-05", kpi_id="activation_rate")
    assert later == [p.as_dict() for p in fresh]


def test_stories_api_taxonomy_and_trace(service) -> None:
    client, researcher = service.client, service.headers("researcher")
    taxonomy = client.get("/api/v1/taxonomy", headers=researcher).json()
    assert taxonomy["version"] == client.get("/api/v1/taxonomy/versions", headers=researcher).json()[-1]["version"]
    trace = client.get(f"/api/v1/stories/links/{service.links[0]}/trace", headers=researcher).json()
    assert trace["sources"][0]["source_id"] == service.stories[0]["post_id"]
    assert {e["event"] for e in trace["events"]} >= {"confirmed", "linked"}
    missing = client.get("/api/v1/stories/links/lk-nope/trace", headers=researcher)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E433"


def test_stories_api_pairs_pages_add_up_to_the_whole(service) -> None:
    client, reporter, researcher = service.client, service.headers("reporter"), service.headers("researcher")
    for seeded in service.stories[1:6]:
        client.post(f"/api/v1/stories/suggestions/{seeded['suggestion_id']}/review", json={"decision": "confirm"},
                    headers=researcher)
    whole = client.get("/api/v1/pairs?period=2026-05", headers=reporter)
    total = int(whole.headers["X-Total-Count"])
    assert total == len(whole.json()) > 6
    pages = [client.get(f"/api/v1/pairs?period=2026-05&limit=4&offset={o}", headers=reporter).json()
             for o in range(0, total, 4)]
    assert [p for page in pages for p in page] == whole.json() and all(len(p) <= 4 for p in pages)


def test_stories_api_pairs_cache_window_trails_links_but_never_consent(service) -> None:
    from insight.services.pairs_cache import PairsCache

    cache = PairsCache(fresh_seconds=3600)
    first = cache.pairs(service.engine, "2026-05")
    assert first and first[0].quote is not None  # the seeded, confirmed story's member consents to quotes
    stories.review(service.engine, service.stories[2]["suggestion_id"], "confirm", "someone")
    assert cache.pairs(service.engine, "2026-05") == first and cache.misses == 1  # within the window
    with session_scope(service.engine) as session:
        author = session.scalar(select(StoryRow.author_id).where(StoryRow.story_id == first[0].story_id))
        session.get(MemberRow, author).consent_quotes = False
    assert all(p.quote is None for p in cache.pairs(service.engine, "2026-05") if p.story_id == first[0].story_id)


def test_stories_api_pairs_are_the_reports_story_candidates(service) -> None:
    """One story window for every surface: the pairs API gives the pairs the report chose its stories from."""
    client, reporter, researcher = service.client, service.headers("reporter"), service.headers("researcher")
    for seeded in service.stories[1:6]:
        client.post(f"/api/v1/stories/suggestions/{seeded['suggestion_id']}/review", json={"decision": "confirm"},
                    headers=researcher)
    def key(p):  # type: ignore[no-untyped-def]
        return p["story_id"], p["kpi_id"], p["cohort"], p["period"], p["value"], p["quote"]

    api = client.get("/api/v1/pairs?period=2026-05&limit=5000", headers=reporter).json()
    report = client.get("/api/v1/reports/2026-05?format=json", headers=reporter)
    assert report.status_code == 200, report.text
    assert api and sorted(map(key, api)) == sorted(map(key, report.json()["story_metric_pairs"]))

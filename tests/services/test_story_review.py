"""Story review as a researcher works (SQLite and PostgreSQL): undo a decision with the audit and
links kept straight, search and pages, batch reject below a score, the CSV export with consent,
and taxonomy changes previewed and saved as new versions that re-tag past stories."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from insight.errors import InputError, StorageError
from insight.records import Member
from insight.services import stories, story_review, taxonomy_edit
from insight.storage import members
from insight.storage import stories as st
from insight.storage.db import session_scope
from tests.support.stories import seed_stories


@pytest.fixture
def seeded(story_engine):  # type: ignore[no-untyped-def]
    return story_engine, seed_stories(story_engine, n=6)


def _links(engine, suggestion_id: int, active: bool | None = True) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    with session_scope(engine) as session:
        return st.links(session, active=active, suggestion_ids=[suggestion_id])


def test_story_review_undo_confirm_and_retag_keep_the_audit(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, seeds = seeded
    first, second = seeds[0]["suggestion_id"], seeds[1]["suggestion_id"]
    stories.review(engine, first, "confirm", "res-ana")
    assert _links(engine, first)
    undone = story_review.undo_review(engine, first, "res-ben")
    assert undone["undid"] == "confirm" and undone["status"] == "pending" and not _links(engine, first)
    with pytest.raises(StorageError) as again:
        story_review.undo_review(engine, first, "res-ben")
    assert again.value.code == "E440"
    stories.review(engine, first, "reject", "res-ben")  # re-reviewed: a new decision
    page = story_review.review_page(engine, status="rejected")
    decided = next(s for s in page["items"] if s["suggestion_id"] == first)
    assert decided["decision"]["decision"] == "reject" and decided["decision"]["actor"] == "person:res-ben"

    new_tag = next(t for t in ("event_collaboration", "mentor_guidance") if t != seeds[1]["tag"])
    stories.review(engine, second, "retag", "res-ana", new_tag=new_tag)
    retagged = next(s for s in story_review.review_page(engine, status="retagged")["items"]
                    if s["suggestion_id"] == second)
    assert retagged["decision"]["new_tag"] == new_tag and retagged["decision"]["actor"] == "person:res-ana"
    assert retagged["links"] and all(lk["tag"] == new_tag for lk in retagged["links"])
    assert retagged["links"][0]["trace"].startswith("/api/v1/stories/links/")
    story_review.undo_review(engine, second, "res-ana")
    with session_scope(engine) as session:
        target = st.suggestions(session, tag=new_tag, story_id=seeds[1]["story_id"])[0]
        events = [e["event"] for e in st.audit(session, story_id=seeds[1]["story_id"])]
        kinds = [d["decision"] for d in st.decisions(session) if d["suggestion_id"] == second]
    assert target["status"] == "withdrawn" and not _links(engine, target["id"])
    assert events[-1] == "undone" and "retagged" in events and kinds == ["retag", "undo"]
    story_review.undo_review(engine, first, "res-ana")
    stories.review(engine, first, "confirm", "res-ana")  # confirmed again: its links come back, same ids
    assert {lk["link_id"] for lk in _links(engine, first)} == {lk["link_id"] for lk in _links(engine, first, None)}


def test_story_review_search_pages_and_reject_below(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, seeds = seeded
    word = max(seeds[2]["text"].split(), key=len).strip(".,!?")
    found = stories.suggestions(engine, q=word.upper())
    assert seeds[2]["suggestion_id"] in {s["suggestion_id"] for s in found}
    assert all(word.lower() in s["text"].lower() for s in found)
    assert stories.suggestions(engine, q="100%_no_such_words") == []
    one = story_review.review_page(engine, limit=2, offset=0)
    two = story_review.review_page(engine, limit=2, offset=2)
    assert one["total"] == two["total"] == len(seeds) and len(one["items"]) == len(two["items"]) == 2
    assert not {s["suggestion_id"] for s in one["items"]} & {s["suggestion_id"] for s in two["items"]}
    assert one["threshold"] == 0.5 and "at or above the tagger's threshold 0.50" in one["items"][0]["score_reason"]
    done = story_review.reject_below(engine, 0.6, "res-ana")
    low = {s["suggestion_id"] for s in seeds if 0.5 + 0.04 * seeds.index(s) < 0.6}
    assert set(done["suggestion_ids"]) == low and done["rejected"] == 3
    assert {s["suggestion_id"] for s in stories.suggestions(engine, status="rejected")} == low
    with pytest.raises(InputError) as bad:
        story_review.reject_below(engine, 1.5, "res-ana")
    assert bad.value.code == "E628"


def test_story_review_csv_export_respects_consent(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, seeds = seeded
    for s in seeds[:3]:
        stories.review(engine, s["suggestion_id"], "confirm", "res-ana")
    with session_scope(engine) as session:  # the third story's member withdraws analytics consent
        author = st.story(session, seeds[2]["story_id"])["author_id"]
        members.upsert_member(session, Member(author_id=author, platform="discourse",
                                              joined_at=datetime(2026, 1, 1, tzinfo=UTC), consent_analytics=False,
                                              consent_quotes=True), "test-withdraw")
    rows = list(csv.DictReader(io.StringIO(story_review.export_confirmed_csv(engine))))
    assert [r["story_id"] for r in rows] == [s["story_id"] for s in seeds[:2]]
    by_id = {r["story_id"]: r for r in rows}
    assert by_id[seeds[0]["story_id"]]["quote"] == seeds[0]["text"]  # quote consent
    assert by_id[seeds[1]["story_id"]]["quote"] == ""  # no quote consent: tags and KPIs only
    assert by_id[seeds[0]["story_id"]]["kpis"] and "motivation=learn" in by_id[seeds[0]["story_id"]]["cohorts"]
    assert by_id[seeds[0]["story_id"]]["confirmed_by"] == "person:res-ana"


def test_taxonomy_edit_preview_then_save_retags_past_stories(seeded) -> None:  # type: ignore[no-untyped-def]
    engine, seeds = seeded
    mentor = [s for s in seeds if s["tag"] == "mentor_guidance"]
    for s in mentor:
        stories.review(engine, s["suggestion_id"], "confirm", "res-ana")
    before = stories.taxonomy(engine)["version"]
    change = {"op": "rename", "tag": "mentor_guidance", "new_id": "mentoring", "name": "Mentoring"}
    plan = taxonomy_edit.preview(engine, change)
    assert plan["retagged"] == len(mentor) and plan["mappings"] == [
        {"from_tag": "mentor_guidance", "to_tag": "mentoring", "kind": "rename", "stories": len(mentor)}]
    assert stories.taxonomy(engine)["version"] == before  # a preview stores nothing
    saved = taxonomy_edit.save(engine, change, "res-ana")
    assert saved["stored"] and saved["remapped"] == len(mentor) and saved["previous_version"] == before
    now = stories.taxonomy(engine)
    assert "mentoring" in [t["id"] for t in now["tags"]] and now["actor"] == "person:res-ana"
    confirmed = stories.suggestions(engine, status="confirmed", limit=None)
    assert sorted(s["story_id"] for s in confirmed if s["tag"] == "mentoring") == sorted(s["story_id"] for s in mentor)
    versions = stories.taxonomy_versions(engine)
    assert versions[-1]["mappings"][0] == {"from_tag": "mentor_guidance", "to_tag": "mentoring", "kind": "rename"}

    merge = taxonomy_edit.preview(engine, {"op": "merge", "tags": "mentoring, event_collaboration"})
    assert {m["kind"] for m in merge["mappings"]} == {"merge"} and merge["retagged"] == 0
    retire = taxonomy_edit.save(engine, {"op": "retire", "tag": "mentoring", "reason": "folded away"}, "res-ana")
    assert retire["preview"]["mappings"][0]["kind"] == "retire" and retire["preview"]["retagged"] == len(mentor)
    added = taxonomy_edit.save(engine, {"op": "add", "id": "docs_helped", "name": "Docs helped",
                                        "description": "The documentation got a member unstuck.",
                                        "kpis": "activation_rate"}, "res-ana")
    assert added["stored"] and "docs_helped" in [t["id"] for t in stories.taxonomy(engine)["tags"]]
    seeds_added = taxonomy_edit.add_seed_examples(engine, "docs_helped", ["The docs page on webhooks saved my "
                                                                          "launch, thanks jane@example.com"], "res")
    assert seeds_added["examples"] == 1 and taxonomy_edit.seed_counts(engine)["docs_helped"] == 1
    for bad in ({"op": "explode"}, {"op": "rename", "tag": "nope", "new_id": "x"}, {"op": "split", "tag": "docs_helped",
                                                                                   "parts": [{"id": "a"}]}):
        with pytest.raises(InputError) as exc:
            taxonomy_edit.preview(engine, bad)
        assert exc.value.code == "E629"

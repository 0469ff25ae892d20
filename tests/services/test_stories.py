"""The stored loop on SQLite and PostgreSQL: detect, suggest, review, link, pairs, trace, taxonomy versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from insight.config import Settings
from insight.demo.seeds import seed_rows
from insight.errors import InputError, StorageError
from insight.services import stories as svc
from insight.storage.db import session_scope
from insight.storage.tables import StoryAuditRow
from tests.support.stories import A1_STORY, A2_STORY, A3_STORY, DEMO_TAXONOMY

pytestmark = pytest.mark.slow


def _seeded(engine, tmp_path: Path, settings: Settings) -> dict:  # type: ignore[no-untyped-def]
    seeds = tmp_path / "seeds.jsonl"
    seeds.write_text("".join(json.dumps(r) + "\n" for r in seed_rows()))
    svc.load_taxonomy_file(engine, DEMO_TAXONOMY, actor="ana")
    svc.add_examples(engine, seeds)
    return svc.tag_stored(engine, settings, "run-1")


def _by_post(items: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in items:
        for pid in item["post_ids"]:
            out.setdefault(pid, []).append(item)
    return out


def test_stories_found_tagged_and_consent_respected(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    summary = _seeded(story_engine, tmp_path, db_settings)
    items = svc.suggestions(story_engine, limit=100)
    found = _by_post(items)
    assert {"p3", "p5", "feedback:r1"} <= set(found)  # two post stories and a feedback-answer story
    assert "p6" not in found  # its author did not consent to analytics
    assert not {"p1", "p2", "p4", "p7", "p8", "feedback:r2"} & set(found)  # questions, chatter, announcements
    assert found["p3"][0]["tag"] == "mentor_guidance" and found["p5"][0]["tag"] == "peer_answer_saved_deal"
    item = found["p3"][0]
    assert item["text"] == A1_STORY and item["thread_id"] == "generic:t2" and item["status"] == "pending"
    assert item["highlights"] and all(0 <= s < e <= len(item["text"]) for s, e in item["highlights"])
    assert summary["tagger"].startswith("model:insight-story-tagger@")
    scores = [abs(i["score"] - i["threshold"]) for i in items]
    assert scores == sorted(scores)  # uncertain first


def test_review_links_pairs_and_trace(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = _seeded(story_engine, tmp_path, db_settings)
    found = _by_post(svc.suggestions(story_engine, limit=100))
    a1, a2 = found["p3"][0], found["p5"][0]
    done = svc.review(story_engine, a1["suggestion_id"], "confirm", "ana")
    assert done["status"] == "confirmed" and done["actor"] == "person:ana" and done["links"]
    retag = svc.review(story_engine, a2["suggestion_id"], "retag", "ana", new_tag="bug_fixed_together")
    assert retag["status"] == "retagged" and retag["confirmed_suggestion_id"] != a2["suggestion_id"]

    pairs = svc.story_metric_pairs(story_engine, "2026-03")
    assert {(p.story_id, p.tag) for p in pairs} == {(a1["story_id"], "mentor_guidance"),
                                                    (a2["story_id"], "bug_fixed_together")}
    mine = [p for p in pairs if p.story_id == a1["story_id"]]
    assert {p.kpi_id for p in mine} == {"time_to_first_value", "activation_rate"}
    assert {p.cohort for p in mine} == {"all", "join_month=2026-02", "motivation=learn", "segment=newcomer"}
    assert all(p.quote is None for p in mine)  # a1 never agreed to be quoted
    assert all(p.quote == A2_STORY for p in pairs if p.story_id == a2["story_id"])
    activation = next(p for p in mine if p.kpi_id == "activation_rate" and p.cohort == "all")
    assert activation.value is None and activation.n == 0  # nobody joined in March: no value, still paired
    ttfv = next(p for p in mine if p.kpi_id == "time_to_first_value" and p.cohort == "motivation=learn")
    assert ttfv.value == pytest.approx(27.5, abs=0.1) and ttfv.n == 1  # a1 joined 3 Feb, first answer 2 Mar
    assert all(p.tagger == "person:ana" and p.taxonomy_version == "2026-11" and p.tag_score == 1.0 for p in pairs)
    assert svc.story_metric_pairs(story_engine, "2026-03", cohort="motivation=learn", kpi_id="activation_rate") == [
        p for p in mine if p.cohort == "motivation=learn" and p.kpi_id == "activation_rate"]
    # The story window of a month is that month and the two before (as the report's): a March story
    # still illustrates May, with March's values; June's window no longer holds it.
    assert svc.story_metric_pairs(story_engine, "2026-04", months=1) == []
    may = svc.story_metric_pairs(story_engine, "2026-05")
    assert [(p.story_id, p.kpi_id, p.cohort, p.period, p.value) for p in may] == [
        (p.story_id, p.kpi_id, p.cohort, "2026-03", p.value) for p in pairs]
    assert svc.story_metric_pairs(story_engine, "2026-06") == []

    trail = svc.trace(story_engine, activation.link_id)
    assert [s["source_id"] for s in trail["sources"]] == ["p3"] and trail["sources"][0]["exists"]
    assert trail["sources"][0]["text"] is None and trail["sources"][0]["quote_withheld"]
    assert trail["tagger"] == "person:ana" and trail["suggested_by"] == a1["tagger"]
    assert {e["event"] for e in trail["events"]} == {"suggested", "confirmed", "linked"}
    assert A1_STORY not in json.dumps(trail) and A3_STORY not in json.dumps(pairs, default=str)
    quoted = svc.trace(story_engine, next(p.link_id for p in pairs if p.story_id == a2["story_id"]))
    assert quoted["sources"][0]["text"] == A2_STORY
    # A retagged story traces back to the model suggestion the person corrected.
    assert quoted["suggested_by"] == a2["tagger"] and quoted["tagger"] == "person:ana"
    assert {"suggested", "retagged", "linked"} <= {e["event"] for e in quoted["events"]}

    second = svc.tag_stored(story_engine, db_settings, "run-2")  # the next round trains on the decisions
    assert second["examples"] == first["examples"] + 2 and second["tagger"] != first["tagger"]
    assert second["stories_found"] == 0  # stories are found once


def test_review_errors_are_coded(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seeded(story_engine, tmp_path, db_settings)
    sid = svc.suggestions(story_engine)[0]["suggestion_id"]
    cases = [((999_999, "confirm"), {}, "E431"), ((sid, "approve"), {}, "E634"), ((sid, "retag"), {}, "E636"),
             ((sid, "retag"), {"new_tag": "nope"}, "E635")]
    for args, kwargs, code in cases:
        with pytest.raises((StorageError, InputError)) as err:
            svc.review(story_engine, *args, "ana", **kwargs)
        assert err.value.code == code
    svc.review(story_engine, sid, "reject", "ana")
    with pytest.raises(StorageError) as err:
        svc.review(story_engine, sid, "confirm", "ana")
    assert err.value.code == "E432"
    with pytest.raises(StorageError) as err:
        svc.trace(story_engine, "lk-missing")
    assert err.value.code == "E433"


def test_audit_trail_is_append_only(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seeded(story_engine, tmp_path, db_settings)
    with pytest.raises(StorageError) as err, session_scope(story_engine) as session:
        row = session.scalars(select(StoryAuditRow).limit(1)).one()
        row.event = "forged"
    assert err.value.code == "E436"


def test_taxonomy_versions_remap_past_tags(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seeded(story_engine, tmp_path, db_settings)
    found = _by_post(svc.suggestions(story_engine, limit=100))
    svc.review(story_engine, found["p3"][0]["suggestion_id"], "confirm", "ana")
    svc.review(story_engine, found["p5"][0]["suggestion_id"], "confirm", "ana")
    old_link = svc.story_metric_pairs(story_engine, "2026-03", kpi_id="activation_rate")[0].link_id
    text = DEMO_TAXONOMY.read_text().replace('version = "2026-11"', 'version = "2026-12"')
    text = text.replace('id = "mentor_guidance"', 'id = "mentoring"\nreplaces = ["mentor_guidance"]')
    text = text.replace('id = "peer_answer_saved_deal"', 'id = "peer_answer"\nreplaces = ["peer_answer_saved_deal"]')
    new = tmp_path / "tax2.toml"
    new.write_text(text)
    with pytest.raises(StorageError) as err:  # a stored version never changes
        changed = tmp_path / "tax-changed.toml"
        changed.write_text(DEMO_TAXONOMY.read_text().replace("first success", "first win"))
        svc.load_taxonomy_file(story_engine, changed)
    assert err.value.code == "E435"
    loaded = svc.load_taxonomy_file(story_engine, new, actor="ana")
    assert loaded["remapped"] == 2
    assert {m["kind"] for m in loaded["mappings"]} == {"rename", "keep"}
    assert svc.taxonomy(story_engine)["version"] == "2026-12"
    assert [v["version"] for v in svc.taxonomy_versions(story_engine)] == ["2026-11", "2026-12"]
    pairs = svc.story_metric_pairs(story_engine, "2026-03")
    assert {p.tag for p in pairs} == {"mentoring", "peer_answer"}
    assert all(p.taxonomy_version == "2026-12" and p.tagger == "person:ana" for p in pairs)
    trail = svc.trace(story_engine, next(p.link_id for p in pairs if p.kpi_id == "activation_rate"))
    assert [t["link"]["link_id"] for t in trail["remapped_from"]] == [old_link]
    assert trail["remapped_from"][0]["taxonomy_version"] == "2026-11"
    assert svc.suggestions(story_engine) == []  # old pending suggestions were superseded, none orphaned


def test_pairs_before_any_taxonomy_is_a_coded_error(story_engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageError) as err:
        svc.story_metric_pairs(story_engine, "2026-03")
    assert err.value.code == "E434"


def test_researcher_adds_a_missed_story(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seeded(story_engine, tmp_path, db_settings)
    added = svc.add_story(story_engine, ["p7"], "peer_answer_saved_deal", "ana")
    assert added["actor"] == "person:ana" and added["links"]
    pairs = [p for p in svc.story_metric_pairs(story_engine, "2026-03") if p.story_id == added["story_id"]]
    assert pairs and all(p.tagger == "person:ana" and p.source_post_ids == ("p7",) for p in pairs)
    trail = svc.trace(story_engine, pairs[0].link_id)
    assert trail["suggested_by"] is None and {"added", "linked"} <= {e["event"] for e in trail["events"]}
    for ids in (["p6"], ["nope"], ["p3", "p5"]):  # unconsented author, unknown post, two members
        with pytest.raises(StorageError) as err:
            svc.add_story(story_engine, ids, "mentor_guidance", "ana")
        assert err.value.code == "E437"
    assert svc.tag_stored(story_engine, db_settings, "run-2", detect=False)["examples"] == len(seed_rows()) + 1


def test_taxonomy_split_and_retire_keep_history(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seeded(story_engine, tmp_path, db_settings)
    found = _by_post(svc.suggestions(story_engine, limit=100))
    svc.review(story_engine, found["p3"][0]["suggestion_id"], "confirm", "ana")  # mentor_guidance
    svc.review(story_engine, found["p5"][0]["suggestion_id"], "confirm", "ana")  # peer_answer_saved_deal
    retired_link = svc.story_metric_pairs(story_engine, "2026-03", kpi_id="solution_acceptance_rate")[0].link_id
    text = DEMO_TAXONOMY.read_text().replace('version = "2026-11"', 'version = "2027-01"')
    start = text.index("[[tags]]\nid = \"mentor_guidance\"")
    split = ('[[tags]]\nid = "first_deploy"\nname = "First deploy with a mentor"\n'
             'description = "A mentor guided a newcomer to their first deploy to production."\n'
             'kpis = ["time_to_first_value"]\nreplaces = ["mentor_guidance"]\n\n'
             '[[tags]]\nid = "first_answer"\nname = "Newcomer answered their first question"\n'
             'description = "A newcomer, once helped, answered another member\'s question for the first time."\n'
             'kpis = ["activation_rate"]\nreplaces = ["mentor_guidance"]\n\n')
    end_peer = text.index("[[tags]]\nid = \"bug_fixed_together\"")
    text = text[:start] + split + text[end_peer:] + '\n[[retired]]\nid = "peer_answer_saved_deal"\nreason = "merged"\n'
    new = tmp_path / "tax3.toml"
    new.write_text(text)
    loaded = svc.load_taxonomy_file(story_engine, new, actor="ana")
    assert {(m["from_tag"], m["to_tag"], m["kind"]) for m in loaded["mappings"]} >= {
        ("mentor_guidance", "first_deploy", "split"), ("mentor_guidance", "first_answer", "split"),
        ("peer_answer_saved_deal", None, "retire")}
    pairs = svc.story_metric_pairs(story_engine, "2026-03")
    assert {(p.tag, p.kpi_id) for p in pairs} == {("first_deploy", "time_to_first_value")}  # the nearer target
    assert pairs[0].tagger.startswith("model:insight-story-tagger@descriptions-")  # the split is the model's pick
    old = svc.trace(story_engine, retired_link)  # a retired tag's link keeps its history
    assert old["link"]["active"] is False and "retired" in {e["event"] for e in old["events"]}
    assert old["sources"][0]["source_id"] == "p5"


def test_taxonomy_merge_of_two_tags_on_one_story_links_once(story_engine, db_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seeded(story_engine, tmp_path, db_settings)
    found = _by_post(svc.suggestions(story_engine, limit=100))
    svc.review(story_engine, found["p3"][0]["suggestion_id"], "confirm", "ana")
    svc.add_story(story_engine, ["p3"], "peer_answer_saved_deal", "ana")  # the same story, a second tag
    text = DEMO_TAXONOMY.read_text().replace('version = "2026-11"', 'version = "2026-12"')
    text = text.replace('id = "mentor_guidance"', 'id = "community_help"\nreplaces = ["mentor_guidance", '
                        '"peer_answer_saved_deal"]')
    start = text.index('[[tags]]\nid = "peer_answer_saved_deal"')
    end = text.index('[[tags]]\nid = "bug_fixed_together"')
    (tmp_path / "merged.toml").write_text(text[:start] + text[end:])
    loaded = svc.load_taxonomy_file(story_engine, tmp_path / "merged.toml")
    assert {m["kind"] for m in loaded["mappings"] if m["to_tag"] == "community_help"} == {"merge"}
    pairs = svc.story_metric_pairs(story_engine, "2026-03", cohort="all")
    assert sorted((p.tag, p.kpi_id) for p in pairs) == [("community_help", "activation_rate"),
                                                          ("community_help", "time_to_first_value")]

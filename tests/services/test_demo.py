"""The demo end to end: synthetic community -> ingest -> signals, topics -> queue -> report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from insight.config import load_config
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import MemberRow, PostRow, SignalRow, TopicRow


@pytest.fixture
def demo(demo_run) -> tuple[dict, Path]:  # type: ignore[no-untyped-def,type-arg]
    summary, out, _settings = demo_run
    return summary, out


@pytest.mark.slow
def test_demo_writes_queue_and_report_with_real_content(demo) -> None:  # type: ignore[no-untyped-def]
    summary, out = demo
    queue = [json.loads(x) for x in Path(summary["queue"]).read_text().splitlines()]
    assert queue and queue[0]["reasons"][0] == "safety_concern"
    reasons = {r for item in queue if item["needs_attention"] for r in item["reasons"]}
    assert {"safety_concern", "rising_frustration", "unanswered_question", "amplify_excitement"} <= reasons
    assert all(item["explanation"] for item in queue if item["needs_attention"])
    html = Path(summary["report"]).read_text()
    for name in ("Activation rate", "Solution acceptance rate", "Unanswered rate"):
        assert name.lower() in html.lower()
    assert summary["analysis"]["topics"] >= 4
    assert summary["analysis"]["outlier_share"] < 0.10
    assert summary["ingest"]["excluded_no_consent"] > 0


@pytest.mark.slow
def test_demo_outputs_carry_provenance_and_no_pii(demo) -> None:  # type: ignore[no-untyped-def]
    summary, out = demo
    engine = make_engine(load_config(overrides={"database_url": summary["database"]}, env={}))
    with session_scope(engine) as s:
        signal = s.scalars(select(SignalRow).limit(1)).one()
        assert signal.run_id == summary["run_id"] and signal.model and signal.config_hash
        topic = s.scalars(select(TopicRow).limit(1)).one()
        assert topic.stage.startswith("insight.topics") and topic.model_revision
        redacted = " ".join(s.scalars(select(PostRow.text_redacted)))
        excluded = s.scalars(select(MemberRow.author_id).where(MemberRow.consent_analytics.is_(False))).all()
        authors = set(s.scalars(select(PostRow.author_id)))
    assert "@example.com" not in redacted
    assert excluded and not (set(excluded) & authors)
    report = Path(summary["report"]).read_text() + Path(summary["report_md"]).read_text()
    assert "@example.com" not in report and "m_" not in report  # no emails, no author pseudonyms
    queue = Path(summary["queue"]).read_text()
    assert "@example.com" not in queue


def _demo_engine(summary: dict):  # type: ignore[no-untyped-def,type-arg]
    return make_engine(load_config(overrides={"database_url": summary["database"]}, env={}))


@pytest.mark.slow
def test_demo_story_metric_pairs_trace_to_posts_tagger_and_taxonomy(demo) -> None:  # type: ignore[no-untyped-def]
    from insight.services import stories

    summary, out = demo
    report = json.loads(Path(summary["report"]).with_suffix(".json").read_text())
    pairs = report["story_metric_pairs"]
    assert pairs and summary["story_metric_pairs"] == len(pairs)
    engine = _demo_engine(summary)
    versions = {v["version"] for v in stories.taxonomy_versions(engine)}
    with session_scope(engine) as s:
        post_ids = set(s.scalars(select(PostRow.post_id)))
    suggested = 0
    for pair in pairs:
        trail = stories.trace(engine, pair["link_id"])
        assert [src["source_id"] for src in trail["sources"]] == pair["source_post_ids"]
        assert all(src["exists"] for src in trail["sources"]) and set(pair["source_post_ids"]) <= post_ids
        assert pair["tagger"] == trail["tagger"] == "person:demo-researcher"
        assert pair["taxonomy_version"] == trail["taxonomy_version"] and pair["taxonomy_version"] in versions
        events = {e["event"] for e in trail["events"]}
        if "added" in events:  # the detector missed it and the researcher added it: no model suggested it
            assert trail["suggested_by"] is None and "linked" in events
        else:  # suggested by the tagger, confirmed or retagged by the researcher
            assert trail["suggested_by"].startswith("model:insight-story-tagger@")
            assert {"suggested", "linked"} <= events
        suggested += trail["suggested_by"] is not None
    assert suggested > len(pairs) / 2  # most stories come from the tagger, not from the researcher's hand


@pytest.mark.slow
def test_demo_unconsented_quotes_never_appear(demo) -> None:  # type: ignore[no-untyped-def]
    from insight.services import stories
    from insight.storage.tables import StoryRow

    summary, out = demo
    engine = _demo_engine(summary)
    with session_scope(engine) as s:
        no_quotes = set(s.scalars(select(MemberRow.author_id).where(MemberRow.consent_quotes.is_not(True))))
        withheld = {r.story_id: r.text_redacted for r in s.scalars(select(StoryRow))
                    if r.author_id in no_quotes}
    pairs = [p for month in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
             for p in stories.story_metric_pairs(engine, month)]
    unconsented = [p for p in pairs if p.story_id in withheld]
    assert unconsented, "the demo plants a story by a member who did not consent to quotes"
    assert all(p.quote is None for p in unconsented) and all(p.quote for p in pairs if p.story_id not in withheld)
    trail = stories.trace(engine, unconsented[0].link_id)
    assert all(src["text"] is None for src in trail["sources"])
    reports = "".join(p.read_text() for p in Path(out).glob("report-*.*"))
    assert reports
    for text in withheld.values():
        assert text not in reports and text[:80] not in reports


@pytest.mark.slow
def test_demo_report_names_no_one(demo) -> None:  # type: ignore[no-untyped-def]
    """The stories the demo plants name their helpers; quotes in the report carry [PERSON] instead."""
    import re

    from insight.demo.stories import HELPER_NAMES

    summary, out = demo
    reports = "".join(p.read_text() for p in Path(out).glob("report-*.*"))
    assert "[PERSON]" in reports
    named = {name for name in HELPER_NAMES if re.search(rf"\b{name}\b", reports)}
    assert not named, f"person names in the report: {sorted(named)}"

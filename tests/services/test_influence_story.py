"""Community influence on a tiny community: the member story is tied to an influenced account and quoted
only with consent; the report carries the section in JSON, Markdown and HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from insight.config import Settings
from insight.records import StoryMetricPair
from insight.reports.render import render_report
from insight.services import consented
from insight.services.business import ingest_business
from insight.services.influence import influence_section
from insight.services.ingest import ingest_paths
from insight.services.reports import build_report, report_json
from insight.storage import posts
from insight.storage.db import make_engine, session_scope
from tests.support.stories import A1_STORY, A2_STORY, write_community

PERIOD = "2026-03"


@pytest.fixture
def settings(db_settings: Settings) -> Settings:
    """On SQLite and on PostgreSQL."""
    return db_settings


@pytest.fixture
def engine(settings: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    ingest_paths(write_community(tmp_path / "community"), engine=engine, settings=settings)
    folder = tmp_path / "business"
    folder.mkdir()
    (folder / "accounts.csv").write_text("account_id,segment,plan,size\nacct-1,smb,pro,20\nacct-2,smb,pro,30\n")
    (folder / "links.csv").write_text("author_id,account_id\na1,acct-1\na2,acct-2\n")
    (folder / "outcomes.csv").write_text("outcome_id,account_id,kind,occurred_at,amount\n"
                                         "w1,acct-1,closed_won,2026-03-25T00:00:00Z,5000\n"
                                         "w2,acct-2,closed_won,2026-03-28T00:00:00Z,9000\n")
    (folder / "costs.csv").write_text("period,tickets,cost_per_ticket\n2026-03,100,20\n")
    ingest_business(sorted(folder.iterdir()), engine=engine, settings=settings)
    return engine


def _pair(story_id: str, post_id: str, quote: str | None) -> StoryMetricPair:
    return StoryMetricPair(kpi_id="activation_rate", cohort="all", period=PERIOD, value=0.5, n=4, story_id=story_id,
                           link_id=f"lk-{story_id}", tag="peer_answer_saved_deal", tag_score=1.0, quote=quote,
                           source_post_ids=(post_id,), tagger="person:ana", taxonomy_version="v1",
                           linked_at=datetime(2026, 3, 30, tzinfo=UTC))


def _section(engine, settings: Settings, pairs: list[StoryMetricPair]) -> dict:  # type: ignore[no-untyped-def,type-arg]
    with session_scope(engine) as session:
        section = influence_section(session, settings, PERIOD, posts.posts_frame(session),
                                    consented.members_frame(session, settings.ingest.unknown_members), pairs)
    assert section is not None
    return section


def test_influence_story_is_a_consented_member_of_an_influenced_account(engine, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    # a1 (acct-1) never agreed to quotes: the pair carries no quote; a2 (acct-2) did.
    story = _section(engine, settings, [_pair("s1", "p1", None), _pair("s2", "p5", A2_STORY)])["story"]
    assert story["story_id"] == "s2" and story["quote"].startswith(A2_STORY[:40])
    assert story["outcomes"] == ["closed_won"] and story["influenced_credit"] > 0
    assert story["candidates"] == 2 and "account_id" not in story and "1 consented of 2" in story["reason"]
    alone = _section(engine, settings, [_pair("s1", "p1", None)])["story"]
    assert alone["quote"] is None and "quote consent" in alone["reason"]
    assert A1_STORY[:30] not in str(alone)


def test_influence_section_in_the_report_json_markdown_and_html(engine, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    data = build_report(engine, settings, PERIOD)
    section = report_json(data)["community_influence"]
    assert [m["model"] for m in section["models"]][-1] == "blended"
    assert {"model", "influenced_revenue", "community_share"} <= set(section["models"][0])
    row = section["engaged_vs_matched"][0]
    assert {"engaged_rate", "matched_rate", "difference", "ci_low", "ci_high", "n"} <= set(row)
    assert {"low", "base", "high", "assumptions"} <= set(section["deflection_savings"])
    # a1 and a2 posted in March, before their accounts' deals: all revenue is community-touched.
    assert section["influenced_any_touch"] == 14000.0
    md, html = render_report(data, "md", {}), render_report(data, "html", {})  # no charts: the section is text
    assert "## Community influence" in md and "share_of_solved_views" in md and "Association, not causation" in md
    assert 'data-section="community-influence"' in html and "Position-based" in html


def test_influence_claim_names_a_registered_experiment_that_backs_it(engine, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from insight.metrics.experiments import Experiment

    trial = Experiment(name="community-onboarding", hypothesis="Onboarding calls in the forum close more deals",
                       kpi="close_rate", unit="account", start=date(2026, 1, 1), end=date(2026, 3, 31), mde=0.1,
                       power=0.8, arms={"treatment": ("acct-1",), "control": ("acct-2",)}, control="control")
    other = Experiment(name="answer-reminder", hypothesis="x", kpi="solution_acceptance", unit="member",
                       start=date(2026, 1, 1), end=date(2026, 3, 31), mde=0.1, power=0.8)
    with session_scope(engine) as session:
        frames = (posts.posts_frame(session), consented.members_frame(session, settings.ingest.unknown_members))
        backed = influence_section(session, settings, PERIOD, *frames, (), {"c": trial, "a": other})
        alone = influence_section(session, settings, PERIOD, *frames, (), {"a": other})
    assert backed is not None and alone is not None
    assert backed["backed_by_experiments"] == ["community-onboarding"]
    assert "Backed by registered experiment" in backed["claim"]
    assert alone["backed_by_experiments"] == [] and alone["claim"].startswith("Association, not causation")

"""Fixtures for report tests: one demo run per session, and story-metric pairs for it.

The demo (synthetic community through the whole pipeline, ~1 minute) is built once and
shared read-only. Until the stories service of issue 5 is on this branch, ``demo_story_pairs``
builds the pairs it would return from the demo's planted stories (their tags, the taxonomy's
KPIs, the members' quote consent): a stand-in for plumbing, marked as such.
"""

from __future__ import annotations

import importlib.util
import tomllib
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from insight.config import Settings, load_config
from insight.demo.community import generate_community
from insight.records import StoryMetricPair
from insight.services.demo import run_demo
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import MemberRow, PostRow

DEMO_SEED = 7
STORIES_SERVICE = importlib.util.find_spec("insight.services.stories") is not None


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, Settings]:
    out = tmp_path_factory.mktemp("report-demo")
    summary = run_demo(out, load_config(env={}), seed=DEMO_SEED)
    settings = load_config(overrides={"database_url": summary["database"], "data_dir": str(out)}, env={})
    return summary, out, settings


def demo_story_pairs(settings: Settings, period: str) -> list[StoryMetricPair]:
    """Pairs for every planted story told by the period's end, one per KPI its tag names."""
    community = generate_community(seed=DEMO_SEED)
    taxonomy = tomllib.loads((Path(__file__).resolve().parents[2] / "insight/demo/taxonomy.toml").read_text())
    kpis_of = {tag["id"]: tag["kpis"] for tag in taxonomy["tags"]}
    end = (pd.Period(period, freq="M") + 1).start_time.tz_localize("UTC").to_pydatetime()
    pairs = []
    with session_scope(make_engine(settings)) as session:
        for index, post_id in enumerate(community.truth["story_posts"]):
            row = session.scalars(select(PostRow).where(PostRow.post_id == post_id)).one_or_none()
            if row is None or row.created_at.replace(tzinfo=UTC) >= end:
                continue  # not stored (no analytics consent) or told after the period
            member = session.get(MemberRow, row.author_id)
            quotes = bool(member and member.consent_quotes)
            for tag in community.story_tags[post_id]:
                for kpi_id in kpis_of[tag]:
                    pairs.append(StoryMetricPair(
                        kpi_id=kpi_id, cohort=f"motivation={member.motivation}" if member else "all", period=period,
                        value=None, n=0, story_id=f"story-{post_id}", link_id=f"link-{post_id}-{kpi_id}", tag=tag,
                        tag_score=0.75 + 0.05 * (index % 4), quote=row.text_redacted if quotes else None,
                        source_post_ids=(post_id,), tagger="model:test-stand-in@1", taxonomy_version="2026-11",
                        linked_at=row.created_at.replace(tzinfo=UTC), thread_id=row.thread_key,
                        channel=row.channel))
    return pairs


@pytest.fixture
def with_demo_stories(monkeypatch: pytest.MonkeyPatch, demo_run) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Report story candidates from the real stories service, or the stand-in until issue 5 lands."""
    if not STORIES_SERVICE:
        _, _, settings = demo_run
        from insight.services import reports

        monkeypatch.setattr(reports, "story_candidates", lambda engine, period: demo_story_pairs(settings, period))
    yield

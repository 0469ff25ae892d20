"""The demo's business files: deterministic, valid under the contracts, engagement planted as the analysis reads it."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from insight.demo import business
from insight.demo.community import BUSINESS_FILES, Community, generate_community
from insight.ingest.business import sniff_business, to_account, to_outcome, to_support_cost, to_touchpoint
from insight.ingest.validate import TimeWindow

WINDOW = TimeWindow.default()


@pytest.fixture(scope="module")
def community() -> Community:
    return generate_community(seed=7)


def test_business_files_are_written_identically_and_sniffed(community: Community, tmp_path: Path) -> None:
    first = community.write(tmp_path / "a")
    second = generate_community(seed=7).write(tmp_path / "b")
    kinds = {"accounts": "account", "account_links": "link", "touchpoints": "touchpoint", "outcomes": "outcome",
             "support_costs": "support_cost"}
    for name in BUSINESS_FILES:
        assert first[name].read_bytes() == second[name].read_bytes(), name
        assert sniff_business(first[name]) == kinds[name]
    with first["accounts"].open(newline="") as handle:
        assert len([to_account(row, WINDOW) for row in csv.DictReader(handle)]) == business.ACCOUNTS


def test_business_rows_validate_under_the_contracts(community: Community) -> None:
    rows = community.business
    assert all(to_touchpoint(r, WINDOW).kind for r in rows["touchpoints"])
    assert all(to_outcome(r, WINDOW).amount >= 0 for r in rows["outcomes"])
    assert [to_support_cost(r).period for r in rows["support_costs"]] == ["2026-06", "2026-07", "2026-08",
                                                                          "2026-09", "2026-10"]
    accounts = {a["account_id"] for a in rows["accounts"]}
    assert {o["account_id"] for o in rows["outcomes"]} <= accounts
    assert {lk["account_id"] for lk in rows["links"]} <= accounts
    json.dumps(rows)


def test_business_story_authors_work_at_accounts(community: Community) -> None:
    story_posts = set(community.truth["story_posts"])
    authors = {p["author_id"] for p in community.posts if p["post_id"] in story_posts}
    assert authors <= {lk["author_id"] for lk in community.business["links"]}


def test_business_planted_close_effect_shows_in_the_generated_outcomes(community: Community) -> None:
    """Engaged prospects close at about base + 20 pp: the truth the matched comparison must recover."""
    rows = community.business
    analysed = {m["author_id"] for m in community.members if m["consent_analytics"]}
    times = business._community_times(community.posts, rows["links"], rows["touchpoints"], analysed)
    won = {True: [], False: []}  # type: ignore[var-annotated]
    for outcome in rows["outcomes"]:
        if outcome["kind"] in ("closed_won", "closed_lost"):
            at = datetime.fromisoformat(outcome["occurred_at"].replace("Z", "+00:00")).astimezone(UTC)
            won[business._engaged(times.get(outcome["account_id"], []), at)].append(outcome["kind"] == "closed_won")
    engaged, other = sum(won[True]) / len(won[True]), sum(won[False]) / len(won[False])
    assert len(won[True]) >= 50 and engaged - other > 0.1

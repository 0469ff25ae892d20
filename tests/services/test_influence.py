"""Community influence on the demo: the planted effect recovered by the matched comparison, deflection
savings equal to a hand computation from the demo's own files, models side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.demo.business import CLOSE_EFFECT, RENEWAL_EFFECT
from insight.errors import InsightError
from insight.services import report_store
from insight.services.business import ingest_business
from insight.services.influence_read import influence
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine
from tests.support.business import write_business
from tests.support.stories import write_community
from tests.support.triage import DemoDb

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def section(demo_db: DemoDb) -> dict:  # type: ignore[type-arg]
    return influence(demo_db.engine, demo_db.settings, PERIOD)


def test_influence_matched_comparison_recovers_the_planted_effects(section: dict) -> None:  # type: ignore[type-arg]
    rows = {r["metric"]: r for r in section["engaged_vs_matched"]}
    close = rows["close_rate"]
    assert close["ci_low"] <= CLOSE_EFFECT <= close["ci_high"]
    assert close["ci_low"] > 0  # and the interval leaves no effect out
    assert close["n"] >= 50 and close["engaged_rate"] > close["matched_rate"]
    renewal = rows["renewal_rate"]
    assert renewal["ci_low"] <= RENEWAL_EFFECT <= renewal["ci_high"]
    assert section["claim"].startswith("Association, not causation")


def test_influence_deflection_equals_the_hand_computation(section: dict, demo_db: DemoDb) -> None:  # type: ignore[type-arg]
    community = demo_db.community
    analysed = {m["author_id"] for m in community.members if m["consent_analytics"]}
    known = {m["author_id"] for m in community.members}
    counted = [p for p in community.posts if p["author_id"] in analysed or p["author_id"] not in known]
    solved = {p["thread_id"] for p in counted if p["accepted_answer"] and p["created_at"].startswith(PERIOD)}
    views = sum(max(p["views"] for p in counted if p["thread_id"] == t) for t in solved)
    cost = next(c for c in community.business["support_costs"] if c["period"] == PERIOD)["cost_per_ticket"]
    savings = section["deflection_savings"]
    assert savings["base"] == round(views * 0.03 * cost * 1.0, 2)
    assert savings["low"] == round(views * 0.01 * cost * 0.8, 2)
    assert savings["high"] == round(views * 0.06 * cost * 1.3, 2)
    named = {a["name"]: a for a in savings["assumptions"]}
    assert named["solved_threads"]["value"] == len(solved) > 0 and named["cost_per_ticket"]["value"] == cost


def test_influence_models_side_by_side_with_community_share(section: dict) -> None:  # type: ignore[type-arg]
    models = {m["model"]: m for m in section["models"]}
    assert set(models) == {"first_touch", "last_touch", "linear", "position_based", "time_decay", "blended"}
    for row in models.values():
        assert 0 < row["community_share"] < 1
        assert row["influenced_revenue"] <= row["attributed_revenue"] <= row["total_revenue"] + 0.01
        assert row["by_kind"] and abs(sum(row["by_kind"].values()) - row["influenced_revenue"]) < 1
    assert len({m["total_revenue"] for m in models.values()}) == 1
    assert section["spread"]["min_share"] < section["spread"]["max_share"]  # the models disagree, visibly
    assert section["influenced_any_touch"] >= max(m["influenced_revenue"] for m in models.values())


def test_influence_without_outcomes_is_e730_and_unknown_model_e731(settings) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    with pytest.raises(InsightError) as empty:
        influence(engine, settings, PERIOD)
    assert empty.value.code == "E730"
    with pytest.raises(InsightError) as unknown:
        influence(engine, settings, PERIOD, model="u_shaped")
    assert unknown.value.code == "E731"


def test_influence_stored_report_fingerprint_covers_business_data(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    ingest_paths(write_community(tmp_path / "community"), engine=engine, settings=settings)
    before = report_store.fingerprint(engine, settings)
    ingest_business(write_business(tmp_path / "business"), engine=engine, settings=settings)
    assert report_store.fingerprint(engine, settings) != before

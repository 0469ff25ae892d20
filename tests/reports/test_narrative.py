"""Win, worry, experiment and topic moves come from the numbers, with the numbers."""

from __future__ import annotations

import pytest

from insight.reports import narrative


def kpi(kpi_id: str, value: float, previous: float, direction: str, n: int = 100, unit: str = "rate",
        cohorts: list | None = None) -> dict:  # type: ignore[type-arg]
    row = {"id": kpi_id, "name": kpi_id, "value": value, "previous": previous, "direction": direction, "n": n,
           "unit": unit, "cohorts": cohorts or []}
    return row


def test_move_is_relative_and_signed_by_direction() -> None:
    assert narrative.move(0.6, 0.5, "up") == pytest.approx(0.2)
    assert narrative.move(4.0, 5.0, "down") == pytest.approx(0.2)  # fewer hours is good
    assert narrative.move(0.6, 0.5, "down") == pytest.approx(-0.2)
    assert narrative.move(None, 0.5, "up") is None and narrative.move(0.5, 0.0, "up") is None


def test_cohort_changes_rank_by_impact_not_by_swing() -> None:
    current = [{"cohort": "big", "value": 0.40, "n": 200}, {"cohort": "tiny", "value": 0.0, "n": 3},
               {"cohort": "small", "value": 0.10, "n": 10}, {"cohort": "new", "value": 0.5, "n": 50}]
    previous = {"big": {"value": 0.50, "n": 180}, "tiny": {"value": 1.0, "n": 2}, "small": {"value": 0.40, "n": 12}}
    rows = narrative.cohort_changes(current, previous, "up")
    assert [r["cohort"] for r in rows] == ["big", "small", "new", "tiny"]
    assert rows[0]["impact"] == pytest.approx(-0.1 * 200)
    assert rows[2]["impact"] is None and rows[3]["impact"] is None  # no previous value / n under the minimum


def evidence(start: float, end: float, p: float, test: str = "change", moves: int = 1) -> dict:  # type: ignore[type-arg]
    half = abs(end - start) / 2
    return {"test": test, "method": "m", "p_value": p, "from_period": "2026-07", "to_period": "2026-10",
            "moves": moves, "from_value": start, "to_value": end, "change": end - start,
            "ci_low": end - start - half, "ci_high": end - start + half}


def test_headline_ranks_by_evidence_not_by_the_largest_relative_change() -> None:
    learn = {"cohort": "motivation=learn", "value": 0.55, "previous": 0.80, "n": 60, "impact": -15.0}
    unanswered = kpi("unanswered_rate", 0.093, 0.032, "down", n=75)  # +194% relative, but p = 0.18
    unanswered["evidence"] = evidence(0.032, 0.093, 0.18)
    retention = kpi("retention_90d", 0.629, 0.70, "up", n=200, cohorts=[learn])  # a slow slide, p < 0.001
    retention["evidence"] = evidence(0.849, 0.629, 2e-6, test="trend", moves=3)
    hours = kpi("median_first_response_hours", 3.0, 4.0, "down", unit="hours")
    hours["evidence"] = evidence(4.0, 3.0, 0.01)
    tiny = kpi("activation_rate", 0.9, 0.3, "up", n=5)  # +200% on 5 members: too few to headline
    tiny["evidence"] = evidence(0.3, 0.9, 0.001)
    head = narrative.headline([unanswered, retention, hours, tiny])
    ranking = head["ranking"]
    # Those that can headline first, each group by p-value.
    assert [r["kpi_id"] for r in ranking] == ["retention_90d", "median_first_response_hours", "activation_rate",
                                              "unanswered_rate"]
    assert [r["eligible"] for r in ranking] == [True, True, False, False]
    worry, win = head["worry"], head["win"]
    assert worry["kpi_id"] == "retention_90d" and worry["rank"] == 1 and worry["verdict"] == "worse"
    assert worry["evidence"]["test"] == "trend" and worry["evidence"]["moves"] == 3
    # One sign convention: the value's own relative change, negative for a fall, whatever is good.
    assert worry["relative_change"] == pytest.approx((0.629 - 0.849) / 0.849)
    assert win["kpi_id"] == "median_first_response_hours" and win["relative_change"] == pytest.approx(-0.25)
    assert worry["cohort"] == "motivation=learn" and worry["cohort_n"] == 60


def test_no_worry_without_significant_evidence() -> None:
    noisy = kpi("unanswered_rate", 0.093, 0.032, "down", n=75)
    noisy["evidence"] = evidence(0.032, 0.093, 0.18)
    head = narrative.headline([noisy])
    assert head["worry"] is None and head["experiment"] is None and head["ranking"][0]["eligible"] is False


def test_experiment_aims_back_at_the_level_before_the_slide_within_the_horizon() -> None:
    retention = kpi("retention_90d", 0.629, 0.70, "up", n=200)
    retention["evidence"] = evidence(0.849, 0.629, 1e-6, test="trend", moves=3)
    plan = narrative.headline([retention])["experiment"]
    assert plan["cohort"] == "all" and (plan["baseline"], plan["goal"]) == (0.629, 0.849)
    assert plan["per_arm"] == narrative.two_proportion_n(0.629, 0.849)
    assert plan["months"] == -(-2 * plan["per_arm"] // 200) and plan["feasible"] is True


def test_a_cohort_too_small_for_the_horizon_widens_to_all_members() -> None:
    cohort = {"cohort": "motivation=lead", "value": 0.40, "previous": 0.48, "n": 12, "impact": -1.0}
    activation = kpi("activation_rate", 0.40, 0.55, "up", n=300, cohorts=[cohort])
    activation["evidence"] = evidence(0.55, 0.40, 0.001)
    plan = narrative.headline([activation], horizon_months=3)["experiment"]
    assert plan["widened_from"] == "motivation=lead" and plan["cohort"] == "all" and plan["feasible"]
    assert plan["months"] <= 3


def test_an_experiment_that_cannot_fill_its_arms_says_so() -> None:
    activation = kpi("activation_rate", 0.45, 0.50, "up", n=30)
    activation["evidence"] = evidence(0.50, 0.45, 0.01)
    plan = narrative.headline([activation], horizon_months=3)["experiment"]
    assert plan["feasible"] is False and plan["months"] > 3
    assert "not feasible within 3 months" in plan["alternative"] and "larger unit" in plan["alternative"]


def test_experiment_goal_falls_back_to_the_community_when_the_cohort_was_at_zero() -> None:
    cohort = {"cohort": "motivation=lead", "value": 0.167, "previous": 0.0, "n": 120, "impact": -2.0}
    unanswered = kpi("unanswered_rate", 0.093, 0.032, "down", n=750, cohorts=[cohort])
    unanswered["evidence"] = evidence(0.032, 0.093, 0.001)
    plan = narrative.headline([unanswered])["experiment"]
    assert plan["goal"] == 0.032 and plan["per_arm"] == narrative.two_proportion_n(0.167, 0.032)


def test_two_proportion_sample_size_matches_the_textbook() -> None:
    # 50% vs 60%, 5% two-sided, 80% power: 385-388 per arm in the usual tables.
    assert 385 <= narrative.two_proportion_n(0.5, 0.6) <= 388  # type: ignore[operator]
    assert narrative.two_proportion_n(0.5, 0.5) is None


def test_non_rate_experiments_ask_for_a_fixed_number_of_measurements() -> None:
    hours = kpi("median_first_response_hours", 6.0, 4.0, "down", n=60, unit="hours")
    hours["evidence"] = evidence(4.0, 6.0, 0.001)
    plan = narrative.headline([hours])["experiment"]
    assert plan["per_arm"] == narrative.MIN_PER_ARM
    assert plan["months"] == 1 and plan["test"] == "Mann-Whitney U test"


def test_topic_moves_use_shares_and_skip_outliers_and_tiny_topics() -> None:
    current = {0: 50, 1: 50, 2: 100, -1: 400, 3: 2}
    previous = {0: 20, 1: 40, 2: 40, -1: 10, 3: 1}
    moves = narrative.topic_moves(current, previous, {0: "deploy", 1: "billing", 2: "sso", 3: "rare"})
    # Shares of topical posts (outliers left out): deploy 19.8% -> 24.8%, billing 39.6% -> 24.8%,
    # sso 39.6% -> 49.5%; the counts all grew, but only two topics gained share.
    assert [m["label"] for m in moves["rising"]] == ["sso", "deploy"]
    assert [m["label"] for m in moves["falling"]] == ["billing"]
    assert moves["rising"][0]["change"] == pytest.approx(100 / 202 - 40 / 101)
    assert moves["falling"][0]["change"] == pytest.approx(50 / 202 - 40 / 101)

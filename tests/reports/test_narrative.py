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


def test_headline_picks_largest_good_and_bad_moves_on_enough_data() -> None:
    learn = {"cohort": "motivation=learn", "value": 0.30, "previous": 0.45, "n": 40, "impact": -6.0}
    lead = {"cohort": "motivation=lead", "value": 0.50, "previous": 0.52, "n": 30, "impact": -0.6}
    kpis = [
        kpi("activation_rate", 0.40, 0.50, "up", cohorts=[learn, lead]),  # -20%: the worry
        kpi("median_first_response_hours", 3.0, 4.0, "down", unit="hours"),  # +25%: the win
        kpi("retention_90d", 0.9, 0.3, "up", n=5),  # +200% on 5 members: too small to headline
        kpi("unanswered_rate", 0.1, 0.1, "down"),
    ]
    head = narrative.headline(kpis)
    assert head["win"]["kpi_id"] == "median_first_response_hours"
    assert head["win"]["relative_change"] == pytest.approx(0.25)
    worry = head["worry"]
    assert worry["kpi_id"] == "activation_rate" and worry["cohort"] == "motivation=learn"
    assert (worry["cohort_value"], worry["cohort_previous"], worry["cohort_n"]) == (0.30, 0.45, 40)
    plan = head["experiment"]
    assert plan["kpi_id"] == "activation_rate" and plan["cohort"] == "motivation=learn"
    assert plan["lever"] == narrative.LEVERS["activation_rate"]
    assert (plan["baseline"], plan["goal"]) == (0.30, 0.45)
    assert plan["per_arm"] == narrative.two_proportion_n(0.30, 0.45)
    assert plan["months"] == -(-2 * plan["per_arm"] // 40)


def test_no_worry_no_experiment() -> None:
    head = narrative.headline([kpi("activation_rate", 0.6, 0.5, "up")])
    assert head["win"] is not None and head["worry"] is None and head["experiment"] is None


def test_experiment_goal_falls_back_to_the_community_when_the_cohort_was_at_zero() -> None:
    cohort = {"cohort": "motivation=lead", "value": 0.167, "previous": 0.0, "n": 12, "impact": -2.0}
    head = narrative.headline([kpi("unanswered_rate", 0.093, 0.032, "down", n=75, cohorts=[cohort])])
    plan = head["experiment"]
    assert plan["goal"] == 0.032 and plan["per_arm"] == narrative.two_proportion_n(0.167, 0.032)


def test_two_proportion_sample_size_matches_the_textbook() -> None:
    # 50% vs 60%, 5% two-sided, 80% power: 385-388 per arm in the usual tables.
    assert 385 <= narrative.two_proportion_n(0.5, 0.6) <= 388  # type: ignore[operator]
    assert narrative.two_proportion_n(0.5, 0.5) is None


def test_non_rate_experiments_ask_for_a_fixed_number_of_measurements() -> None:
    head = narrative.headline([kpi("median_first_response_hours", 6.0, 4.0, "down", n=60, unit="hours")])
    assert head["experiment"]["per_arm"] == narrative.MIN_PER_ARM
    assert head["experiment"]["months"] == 1 and head["experiment"]["test"] == "Mann-Whitney U test"


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

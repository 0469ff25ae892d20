"""Attribution models on hand-computed cases: ties, touchpoints outside the window, one-touch accounts;
credit always sums to the outcome's amount."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.attribution.models import BLENDED, MODELS, Params, any_touch, attribute, summarise, weights
from tests.support.attribution import outcomes, touches

# Account A: t1 30 days before, t2 and t3 tied 10 days before, t4 1 day before; t5 outside the
# 90-day window, t6 after the outcome. t1, t3, t4 are community touchpoints.
TOUCHES = touches(("t1", "A", -30, "thread_answer"), ("t2", "A", -10, "sales_meeting"),
                  ("t3", "A", -10, "event_attended"), ("t4", "A", -1, "accepted_solution"),
                  ("t5", "A", -100, "thread_answer"), ("t6", "A", 1, "thread_answer"))
DEAL = outcomes(("o1", "A", 0, 1000.0))


HALF_LIFE_10 = Params(half_life_days=10)


def credit_of(model: str, params: Params = HALF_LIFE_10) -> dict[str, float]:
    rows = attribute(TOUCHES, DEAL, model, params)
    return {tid: round(c, 3) for tid, c in zip(rows["touchpoint_id"], rows["credit"], strict=True)}


def test_models_first_touch_takes_the_earliest_inside_the_window() -> None:
    assert credit_of("first_touch") == {"t1": 1000.0, "t2": 0.0, "t3": 0.0, "t4": 0.0}


def test_models_last_touch_takes_the_latest_before_the_outcome() -> None:
    assert credit_of("last_touch") == {"t1": 0.0, "t2": 0.0, "t3": 0.0, "t4": 1000.0}


def test_models_linear_shares_equally_among_the_four_in_the_window() -> None:
    assert credit_of("linear") == dict.fromkeys(["t1", "t2", "t3", "t4"], 250.0)


def test_models_position_based_gives_40_20_40_and_tied_middle_touches_share() -> None:
    assert credit_of("position_based") == {"t1": 400.0, "t2": 100.0, "t3": 100.0, "t4": 400.0}


def test_models_time_decay_halves_per_half_life() -> None:
    raw = {"t1": 2 ** -3, "t2": 2 ** -1, "t3": 2 ** -1, "t4": 2 ** -0.1}  # ages 30, 10, 10, 1 days; half-life 10
    total = sum(raw.values())
    assert credit_of("time_decay") == {k: round(1000 * v / total, 3) for k, v in raw.items()}


def test_models_blended_is_the_weighted_mean_of_models() -> None:
    params = Params(blend={"first_touch": 1.0, "last_touch": 3.0})
    assert credit_of(BLENDED, params) == {"t1": 250.0, "t2": 0.0, "t3": 0.0, "t4": 750.0}


def test_models_ties_at_first_and_last_touch_share_the_credit() -> None:
    tied = touches(("a", "A", -5, "thread_answer"), ("b", "A", -5, "webinar"), ("c", "A", -2, "ad_click"),
                   ("d", "A", -2, "guide_viewed"))
    for model, expected in (("first_touch", [500, 500, 0, 0]), ("last_touch", [0, 0, 500, 500]),
                            ("position_based", [250, 250, 250, 250])):
        credit = attribute(tied, DEAL, model)
        assert credit["credit"].round(6).tolist() == expected, model


def test_models_one_touch_account_gets_the_whole_amount_under_every_model() -> None:
    one = touches(("only", "B", -3, "office_hours"))
    deal = outcomes(("o2", "B", 0, 750.0))
    for model in (*MODELS, BLENDED):
        assert attribute(one, deal, model)["credit"].tolist() == [750.0], model


def test_models_two_times_split_by_first_and_last_weights() -> None:
    assert weights(np.array([5.0, 1.0]), "position_based", Params(position_first=0.3, position_last=0.5)) \
        == pytest.approx([0.375, 0.625])
    assert weights(np.array([5.0, 1.0]), "position_based") == pytest.approx([0.5, 0.5])


def test_models_window_ends_are_included_and_other_accounts_ignored() -> None:
    edge = touches(("start", "A", -90, "thread_answer"), ("same", "A", 0, "webinar"), ("other", "Z", -1, "webinar"))
    credit = attribute(edge, DEAL, "linear")
    assert dict(zip(credit["touchpoint_id"], credit["credit"], strict=True)) == {"start": 500.0, "same": 500.0}


def test_models_credit_sums_to_each_outcomes_amount() -> None:
    rng = np.random.default_rng(3)
    many = touches(*[(f"t{i}", f"A{i % 7}", float(-rng.integers(0, 120)), ("thread_answer", "webinar")[i % 2])
                     for i in range(80)])
    deals = outcomes(*[(f"o{i}", f"A{i}", float(rng.integers(-5, 5)), float(rng.integers(100, 10_000)))
                       for i in range(7)])
    for model in (*MODELS, BLENDED):
        credit = attribute(many, deals, model).groupby("outcome_id")["credit"].sum()
        expected = deals.set_index("outcome_id")["amount"].loc[credit.index]
        assert np.allclose(credit.to_numpy(), expected.to_numpy()), model


def test_models_summary_counts_community_credit_against_all_revenue() -> None:
    deals = pd.concat([DEAL, outcomes(("o9", "Q", 0, 500.0))], ignore_index=True)  # Q has no touchpoint
    summary = summarise(attribute(TOUCHES, deals, "linear"), deals, "linear", {"A": "segment=smb"})
    assert summary["influenced"] == 750.0  # t1, t3, t4
    assert summary["attributed"] == 1000.0 and summary["total"] == 1500.0
    assert summary["community_share"] == 0.5
    assert summary["by_kind"] == {"accepted_solution": 250.0, "event_attended": 250.0, "thread_answer": 250.0}
    assert summary["by_cohort"] == {"segment=smb": 750.0}
    assert any_touch(TOUCHES, deals, 90) == 1000.0


def test_models_unknown_model_and_empty_touches_are_refused() -> None:
    with pytest.raises(ValueError):
        weights(np.array([1.0]), "u_shaped")
    with pytest.raises(ValueError):
        weights(np.array([]), "linear")

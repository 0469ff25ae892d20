"""Engaged vs matched accounts on hand-built cases: units per metric, the engaged rule, strata, 1:1 matching."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep

from insight.attribution import matching
from tests.support.attribution import T, at, outcomes, touches

START, END = pd.Timestamp("2026-05-01", tz="UTC"), pd.Timestamp("2026-11-01", tz="UTC")


def _accounts(*rows: tuple[str, str, str, int, float]) -> pd.DataFrame:
    """(account_id, segment, plan, size, tenure days at T)."""
    return pd.DataFrame([{"account_id": a, "segment": s, "plan": p, "size": n, "started_at": at(-days)}
                         for a, s, p, n, days in rows])


def test_matching_units_take_the_last_decision_and_customers_for_expansion() -> None:
    found = outcomes(("a1", "A", -20, 0, "closed_lost"), ("a2", "A", -5, 100, "closed_won"),
                     ("b1", "B", -3, 0, "churn"), ("c1", "C", -60, 50, "renewal"), ("c2", "C", -30, 10, "expansion"),
                     ("d1", "D", -400, 10, "closed_won"))  # D before the window: a customer, no expansion
    close = matching.units(found, "close_rate", START, END)
    assert close[["account_id", "success"]].values.tolist() == [["A", 1]]
    renewal = matching.units(found, "renewal_rate", START, END).sort_values("account_id")
    assert renewal[["account_id", "success"]].values.tolist() == [["B", 0], ["C", 1]]
    expansion = matching.units(found, "expansion_rate", START, END)
    assert expansion[["account_id", "success"]].values.tolist() == [["A", 0], ["C", 1], ["D", 0]]
    assert expansion.set_index("account_id").loc["C", "at"] == at(-30)  # the expansion's time
    assert expansion.set_index("account_id").loc["D", "at"] == END


def test_matching_engaged_needs_a_community_touch_in_the_lookback_before_the_unit() -> None:
    units = pd.DataFrame({"account_id": ["A", "B", "C", "D"], "success": [1, 0, 1, 0], "at": [at(0)] * 4})
    community = touches(("x", "A", -89, "thread_answer"), ("y", "B", -91, "thread_answer"),
                        ("z", "C", 0, "thread_answer"))  # C: at the outcome's time, not before it
    assert matching.engaged(units, community, 90).tolist() == [True, False, False, False]


def test_matching_strata_are_exact_on_segment_plan_and_binned_on_size_and_tenure() -> None:
    accounts = _accounts(("A", "smb", "pro", 20, 100), ("B", "smb", "pro", 40, 150), ("C", "smb", "pro", 60, 100),
                         ("D", "smb", "team", 20, 100))
    units = pd.DataFrame({"account_id": ["A", "B", "C", "D", "E"], "success": 0, "at": [pd.Timestamp(T)] * 5})
    strata = matching.strata(units, accounts, [10, 50], [180]).tolist()
    assert strata[0] == strata[1] == "smb|pro|1|0"
    assert strata[2] == "smb|pro|2|0" and strata[3] == "smb|team|1|0"
    assert strata[4] == "?|?|?|?"  # an account not stored matches only other unknowns


def test_matching_compares_matched_pairs_with_agresti_caffo() -> None:
    accounts = _accounts(*[(a, "smb", "pro", 20, 100) for a in ("E1", "E2", "C1", "C2", "C3")],
                         ("E3", "enterprise", "team", 900, 900), ("C4", "mid_market", "pro", 90, 300))
    units = pd.DataFrame({"account_id": ["E1", "E2", "E3", "C1", "C2", "C3", "C4"],
                          "success": [1, 1, 1, 0, 0, 0, 1], "at": [pd.Timestamp(T)] * 7})
    engaged = np.array([True, True, True, False, False, False, False])
    strata = matching.strata(units, accounts, [10, 50, 250, 1000], [180, 365, 730])
    result = matching.compare_matched(units, engaged, strata, "close_rate")
    low, high = confint_proportions_2indep(2, 2, 0, 2, method="agresti-caffo", compare="diff")
    assert result["engaged_rate"] == 1.0 and result["matched_rate"] == 0.0 and result["difference"] == 1.0
    assert result["ci_low"] == round(low, 4) and result["ci_high"] == round(high, 4)
    assert result["n"] == 2 and result["unmatched_engaged"] == 1  # E3 has no control in its stratum
    assert result["raw_difference"] == round(1.0 - 0.25, 4)  # unmatched: 3/3 vs 1/4


def test_matching_pairs_are_reproducible() -> None:
    units = pd.DataFrame({"account_id": [f"A{i}" for i in range(10)], "success": 0, "at": [pd.Timestamp(T)] * 10})
    engaged = np.array([i % 3 == 0 for i in range(10)])
    strata = pd.Series(["s"] * 10)
    assert matching.matched_pairs(units, engaged, strata) == matching.matched_pairs(units, engaged, strata)
    treated, control = matching.matched_pairs(units, engaged, strata)
    assert len(treated) == len(control) == 4 and not set(treated) & set(control)

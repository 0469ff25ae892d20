"""Retention as survival: lifetimes from posts, Kaplan-Meier checked against statsmodels' own estimator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight

from insight.metrics.survival import kaplan_meier, lifetimes, survival_by_cohort

AS_OF = pd.Timestamp("2026-11-01T00:00:00Z")


def activity(spans: dict[str, tuple[str, str]], motivation: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each member posts on their first and last day."""
    rows = []
    for author, (first, last) in spans.items():
        for i, day in enumerate((first, last)):
            rows.append({"post_id": f"{author}-{i}", "thread_id": f"{author}-{i}", "author_id": author,
                         "created_at": pd.Timestamp(f"{day}T12:00:00Z"), "kind": "discussion"})
    members = pd.DataFrame([{"author_id": a, "consent_analytics": a != "nope", "joined_at": "2026-01-01T00:00:00Z",
                             "motivation": motivation.get(a, "learn"), "segment": "startup"} for a in spans])
    return pd.DataFrame(rows), members


def test_lifetimes_censor_members_still_active() -> None:
    posts, members = activity({"gone": ("2026-06-01", "2026-07-01"), "here": ("2026-06-01", "2026-10-25"),
                               "nope": ("2026-06-01", "2026-06-02")}, {})
    table = lifetimes(posts, members, AS_OF)
    assert set(table.index) == {"gone", "here"}  # no analytics consent, no lifetime
    assert table.loc["gone", "inactive"] and table.loc["gone", "days"] == pytest.approx(30)
    # Still active: censored at the cutoff, June 1 noon to Nov 1.
    assert not table.loc["here", "inactive"] and table.loc["here", "days"] == pytest.approx(152.5)


def test_kaplan_meier_matches_statsmodels() -> None:
    rng = np.random.default_rng(3)
    days = rng.exponential(60, size=80).round(1)
    inactive = rng.random(80) < 0.8
    frame = pd.DataFrame({"days": days, "inactive": inactive})
    row = kaplan_meier("all", frame)
    reference = SurvfuncRight(days, inactive.astype(int))
    assert row["n"] == 80 and row["events"] == int(inactive.sum())
    assert row["median_days"] == pytest.approx(reference.quantile(0.5))
    for point in row["curve"]:
        expected = reference.surv_prob[reference.surv_times <= point["day"]]
        assert point["survival"] == pytest.approx(expected[-1] if len(expected) else 1.0)
        assert point["ci_low"] <= point["survival"] <= point["ci_high"]
    low, high = reference.quantile_ci(0.5)
    # Both give a 95% interval of the median; lifelines bounds it from its pointwise band.
    assert row["median_ci_low"] <= row["median_days"] <= row["median_ci_high"]
    assert row["median_ci_low"] == pytest.approx(low, rel=0.35)
    assert row["median_ci_high"] == pytest.approx(high, rel=0.35)


def test_cohorts_under_the_minimum_are_not_shown() -> None:
    spans = {f"m{i}": ("2026-05-01", f"2026-0{6 + i % 3}-01") for i in range(10)}
    motivation = {f"m{i}": ("learn" if i < 8 else "lead") for i in range(10)}
    posts, members = activity(spans, motivation)
    rows = survival_by_cohort(posts, members, AS_OF, min_n=8)
    assert [r["cohort"] for r in rows] == ["all", "motivation=learn", "segment=startup"]
    assert rows[0]["events"] == 10 and rows[0]["median_days"] is not None

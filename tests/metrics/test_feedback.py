"""Feedback ratings per moment, with intervals from the same statistics as the KPIs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from insight.metrics.feedback import feedback_by_moment

START, END = pd.Timestamp("2026-10-01", tz="UTC"), pd.Timestamp("2026-11-01", tz="UTC")


def test_ratings_per_moment_with_intervals_and_small_moments_left_out() -> None:
    ratings = [5, 4, 4, 3, 5, 2, 4, None, 5, 1]
    answers = pd.DataFrame({"moment": ["solution_accepted"] * 10 + ["event_attended"] * 3 + ["solution_accepted"],
                            "created_at": ["2026-10-05T10:00Z"] * 13 + ["2026-09-30T10:00Z"],
                            "rating": [*ratings, 5, 5, 5, 1]})
    rows = feedback_by_moment(answers, START, END, min_n=8)
    assert [r["moment"] for r in rows] == ["solution_accepted"]  # 3 event answers: too few; September's is out
    row = rows[0]
    rated = np.array([r for r in ratings if r is not None], dtype=float)
    assert (row["n"], row["rated"]) == (10, 9)
    assert row["mean_rating"] == pytest.approx(rated.mean())
    assert row["mean_ci_low"] < row["mean_rating"] < row["mean_ci_high"]
    assert row["satisfied"] == pytest.approx(6 / 9)
    assert (row["satisfied_ci_low"], row["satisfied_ci_high"]) == pytest.approx(
        proportion_confint(6, 9, alpha=0.05, method="wilson"))

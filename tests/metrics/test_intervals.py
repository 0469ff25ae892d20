"""Intervals and tests match scipy/statsmodels reference values on fixed data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import proportion

from insight.metrics import intervals

# The issue's own example: unanswered questions, 2 of 62 in September, 7 of 75 in October.
SEPTEMBER = np.array([1.0] * 2 + [0.0] * 60)
OCTOBER = np.array([1.0] * 7 + [0.0] * 68)
HOURS_A = np.array([1.5, 2.0, 2.5, 3.0, 4.0, 4.5, 6.0, 8.0, 9.5, 12.0, 20.0, 30.0])
HOURS_B = np.array([3.0, 5.0, 6.5, 7.0, 9.0, 11.0, 14.0, 16.0, 22.0, 26.0, 40.0])


def test_rate_interval_is_wilson() -> None:
    low, high = intervals.value_interval(OCTOBER, "rate")
    assert (low, high) == pytest.approx(proportion.proportion_confint(7, 75, alpha=0.05, method="wilson"))
    # Textbook value: 0 of 10 has a Wilson upper bound of 27.8%, where the Wald interval would be empty.
    low, high = intervals.rate_interval(0, 10)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.2775, abs=1e-4)
    assert intervals.rate_interval(0, 0) == (None, None)


def test_rate_change_uses_one_method_for_interval_and_p_value() -> None:
    result = intervals.compare(OCTOBER, SEPTEMBER, "rate")
    low, high = proportion.confint_proportions_2indep(7, 75, 2, 62, method="agresti-caffo", compare="diff")
    p = proportion.test_proportions_2indep(7, 75, 2, 62, method="agresti-caffo", compare="diff").pvalue
    assert result.change == pytest.approx(7 / 75 - 2 / 62)
    assert (result.ci_low, result.ci_high, result.p_value) == pytest.approx((low, high, p))
    # 2 of 62 to 7 of 75 is the "+194%": within noise, not a headline.
    assert result.within_noise and result.p_value > 0.05
    assert (result.n_now, result.n_before) == (75, 62)


def test_a_real_rate_slide_is_outside_noise() -> None:
    before = np.array([1.0] * 170 + [0.0] * 30)  # 85%
    now = np.array([1.0] * 126 + [0.0] * 74)  # 63%
    result = intervals.compare(now, before, "rate")
    assert not result.within_noise and result.ci_high < 0 and result.p_value < 0.001


def test_rate_change_at_zero_and_one_is_defined() -> None:
    for value in (0.0, 1.0):
        result = intervals.compare(np.full(10, value), np.full(12, value), "rate")
        assert result.change == 0 and result.within_noise and result.ci_low < 0 < result.ci_high


def test_median_interval_is_the_seeded_scipy_bootstrap() -> None:
    expected = stats.bootstrap((HOURS_A,), np.median, confidence_level=0.95, n_resamples=intervals.N_RESAMPLES,
                               method="percentile", rng=np.random.default_rng(intervals.SEED)).confidence_interval
    assert intervals.value_interval(HOURS_A, "median") == pytest.approx((expected.low, expected.high))
    # Seeded: the same data give the same interval every time.
    assert intervals.value_interval(HOURS_A, "median") == intervals.value_interval(HOURS_A, "median")
    assert intervals.value_interval(HOURS_A[:1], "median") == (None, None)


def test_median_change_p_value_agrees_with_its_interval() -> None:
    result = intervals.compare(HOURS_B, HOURS_A, "median")
    assert result.change == pytest.approx(np.median(HOURS_B) - np.median(HOURS_A))
    assert result.ci_low is not None and result.ci_low <= result.change <= result.ci_high  # type: ignore[operator]
    assert (result.p_value < 0.05) == (not result.within_noise)
    same = intervals.compare(HOURS_A, HOURS_A, "mean")
    assert same.change == 0 and same.within_noise and same.p_value > 0.5


def test_bootstrap_p_value_counts_both_tails() -> None:
    assert intervals.bootstrap_p_value(np.array([1.0, 2.0, 3.0, -1.0])) == pytest.approx(0.5)
    assert intervals.bootstrap_p_value(np.array([1.0, 2.0, 3.0])) == 0.0
    assert intervals.bootstrap_p_value(np.zeros(4)) == 1.0


def test_too_few_units_give_no_interval() -> None:
    result = intervals.compare(np.array([3.0]), HOURS_A, "median")
    assert result.ci_low is None and result.p_value is None and result.within_noise
    empty = intervals.compare(np.array([]), SEPTEMBER, "rate")
    assert empty.change is None and empty.p_value is None


def test_many_units_bootstrap_in_smaller_batches_with_the_unbatched_interval() -> None:
    """A month of many members draws fewer resamples at a time (memory stays flat in the community's
    size), and the interval is still exactly the one an unbatched bootstrap gives."""
    x = np.random.default_rng(4).exponential(3.0, 6000)
    batch = intervals.batch_size(len(x))
    assert batch < intervals.BATCH and batch % 2 == 0 and batch * len(x) <= intervals.MAX_DRAWS
    assert intervals.batch_size(40_000) * 40_000 <= intervals.MAX_DRAWS
    unbatched = stats.bootstrap((x,), np.median, confidence_level=intervals.CONFIDENCE,
                                n_resamples=intervals.N_RESAMPLES, method="percentile",
                                rng=np.random.default_rng(intervals.SEED)).confidence_interval
    assert intervals.value_interval(x, "median") == (unbatched.low, unbatched.high)

"""95% intervals and tests for KPI values and their changes: the numbers behind "within noise".

- **Rates** (the mean of 0/1 units): the Wilson score interval for a value
  (``statsmodels.stats.proportion.proportion_confint``); for the difference of two rates the
  Agresti-Caffo interval and test (``confint_proportions_2indep`` / ``test_proportions_2indep``),
  one method for both so the interval and the p-value agree; it stays defined at 0% and 100%,
  which small cohorts reach, where the score interval's root search fails.
- **Medians and means**: a seeded percentile bootstrap (``scipy.stats.bootstrap``) of the value
  and of the difference; the p-value of a difference comes from the same bootstrap, so it is
  under 5% exactly when the interval leaves zero out.

Every function is pure and deterministic (a fixed seed), so a report recomputed from the same
data shows the same intervals.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

Kind = Literal["rate", "mean", "median"]
CONFIDENCE = 0.95
ALPHA = 1 - CONFIDENCE
SEED = 20261007
N_RESAMPLES = 1999
# Resamples drawn and summarised at a time: memory is batch x units, not 1,999 x units (a month of
# 40,000 active members would otherwise hold a 640 MB resample matrix per interval). At most BATCH,
# and fewer for many units so that a batch draws at most MAX_DRAWS unit indices (4 MB of them): the
# memory of an interval then stays the same whatever the community's size. Always even, so a
# one-sample interval is the one an unbatched bootstrap gives (numpy draws bounded integers in pairs);
# a two-sample one depends on the batch, which the units' count fixes, so the same data give the
# same interval.
BATCH = 100
MAX_DRAWS = 500_000


@dataclass(frozen=True)
class Comparison:
    """The change of a KPI from ``before`` to ``now``: size, 95% interval, p-value and how they were found.

    ``change`` is ``now - before`` in the KPI's own units (a share for rates); the interval and
    p-value are None when either side has too few units to say anything.
    """

    change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    method: str
    n_now: int
    n_before: int

    @property
    def within_noise(self) -> bool:
        """True when the interval spans zero (or is unknown): the change may be chance."""
        return self.ci_low is None or self.ci_high is None or self.ci_low <= 0 <= self.ci_high

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "within_noise": self.within_noise}


def statistic(x: np.ndarray, kind: Kind) -> float | None:
    """The KPI value of units ``x``: their median, or their mean (a share for rates)."""
    if len(x) == 0:
        return None
    return float(np.median(x)) if kind == "median" else float(np.mean(x))


def value_interval(x: np.ndarray, kind: Kind) -> tuple[float | None, float | None]:
    """95% interval of the KPI value of units ``x``: Wilson for rates, a seeded bootstrap otherwise."""
    x = np.asarray(x, dtype=float)
    if len(x) == 0:
        return None, None
    if kind == "rate":
        return rate_interval(int(round(x.sum())), len(x))
    if len(x) < 2:
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.bootstrap((x,), _stat(kind), confidence_level=CONFIDENCE, n_resamples=N_RESAMPLES,
                                 batch=batch_size(len(x)), method="percentile", rng=np.random.default_rng(SEED))
    return _finite(result.confidence_interval.low), _finite(result.confidence_interval.high)


def batch_size(units: int) -> int:
    """Resamples per bootstrap batch for ``units`` units (see ``BATCH``)."""
    return max(2, min(BATCH, MAX_DRAWS // max(units, 1)) // 2 * 2)


def rate_interval(successes: int, n: int) -> tuple[float | None, float | None]:
    """Wilson score 95% interval of ``successes / n``; None when n is 0."""
    from statsmodels.stats.proportion import proportion_confint

    if n <= 0:
        return None, None
    low, high = proportion_confint(successes, n, alpha=ALPHA, method="wilson")
    share = successes / n
    # Rounding leaves 0 of n a lower bound of 1e-17: the interval always holds the share itself.
    return min(float(low), share), max(float(high), share)


def compare(now: np.ndarray, before: np.ndarray, kind: Kind) -> Comparison:
    """The change from units ``before`` to units ``now``, with its 95% interval and p-value."""
    now, before = np.asarray(now, dtype=float), np.asarray(before, dtype=float)
    value_now, value_before = statistic(now, kind), statistic(before, kind)
    change = None if value_now is None or value_before is None else value_now - value_before
    if kind == "rate":
        low, high, p, method = _rate_difference(now, before)
    else:
        low, high, p, method = _bootstrap_difference(now, before, kind)
    return Comparison(change, low, high, p, method, len(now), len(before))


def _rate_difference(now: np.ndarray, before: np.ndarray) -> tuple[float | None, float | None, float | None, str]:
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    method = "two-proportion test, Agresti-Caffo"
    if len(now) == 0 or len(before) == 0:
        return None, None, None, method
    counts = (int(round(now.sum())), len(now), int(round(before.sum())), len(before))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # statsmodels also computes the ratio of the shares, which divides by zero at 0%: unused here.
        warnings.simplefilter("ignore", RuntimeWarning)
        p_value = _finite(test_proportions_2indep(*counts, method="agresti-caffo", compare="diff").pvalue)
    low, high = confint_proportions_2indep(*counts, method="agresti-caffo", compare="diff", alpha=ALPHA)
    return _finite(low), _finite(high), p_value, method


def _bootstrap_difference(now: np.ndarray, before: np.ndarray,
                          kind: Kind) -> tuple[float | None, float | None, float | None, str]:
    """Percentile interval and two-sided p-value from one seeded bootstrap of the difference.

    The p-value is twice the smaller share of resampled differences on either side of zero, so
    it is under 5% exactly when the 95% interval leaves zero out: the words ("within noise") and
    the headline's test never disagree.
    """
    method = f"seeded percentile bootstrap of the difference in {kind}s ({N_RESAMPLES} resamples)"
    if len(now) < 2 or len(before) < 2:
        return None, None, None, method
    stat = _stat(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant samples: a degenerate, still valid, interval
        result = stats.bootstrap((now, before), lambda a, b, axis: stat(a, axis=axis) - stat(b, axis=axis),
                                 confidence_level=CONFIDENCE, n_resamples=N_RESAMPLES,
                                 batch=batch_size(len(now) + len(before)),
                                 method="percentile", rng=np.random.default_rng(SEED))
    return (_finite(result.confidence_interval.low), _finite(result.confidence_interval.high),
            bootstrap_p_value(result.bootstrap_distribution), method)


def bootstrap_p_value(distribution: np.ndarray) -> float:
    """Two-sided p-value of "no difference" from a bootstrap distribution of the difference."""
    distribution = np.asarray(distribution, dtype=float)
    below, above = float(np.mean(distribution <= 0)), float(np.mean(distribution >= 0))
    return min(1.0, 2 * min(below, above))


def _stat(kind: Kind) -> Any:
    return np.median if kind == "median" else np.mean


def _finite(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value

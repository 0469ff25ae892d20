"""The evidence behind a KPI's move: the month-on-month change, and a sustained trend.

A headline needs evidence, not the largest relative change. ``kpi_evidence`` gives both kinds
for one KPI from the units of each trend month (``insight.metrics.kpis.kpi_samples``):

- **change**: this month against the previous one (``insight.metrics.intervals.compare``).
- **trend**: the run of consecutive moves in one direction that ends this month; when it spans
  ``TREND_MIN_MOVES`` or more month-on-month moves, the run's first month against this month,
  tested the same way. A slow slide of a few points a month, each within noise, can be
  significant over three months.

``evidence`` is the stronger of the two (the smaller p-value): what a headline cites.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from insight.metrics.intervals import ALPHA, Kind, compare, statistic

TREND_MIN_MOVES = 3  # month-on-month moves in one direction: a slide over three months


def kpi_evidence(samples: Sequence[np.ndarray | None], periods: Sequence[str], kind: Kind) -> dict[str, Any]:
    """``{"change", "trend", "evidence"}`` for one KPI; each None when there is nothing to test.

    Args:
        samples: the KPI's units per month (None where unknown), oldest first, ending with
            the reported month.
        periods: the months, ``YYYY-MM``, in the same order.
        kind: "rate", "mean" or "median".
    """
    change = _change(samples, periods, kind)
    trend = _trend(samples, periods, kind)
    tested = [e for e in (change, trend) if e is not None and e["p_value"] is not None]
    best = min(tested, key=lambda e: (e["p_value"], e["test"] != "change"), default=None)
    return {"change": change, "trend": trend, "evidence": best}


def _change(samples: Sequence[np.ndarray | None], periods: Sequence[str], kind: Kind) -> dict[str, Any] | None:
    if len(samples) < 2 or not _known(samples[-1]) or not _known(samples[-2]):
        return None
    return _record("change", samples[-2], samples[-1], periods[-2], periods[-1], 1, kind)


def _trend(samples: Sequence[np.ndarray | None], periods: Sequence[str], kind: Kind) -> dict[str, Any] | None:
    values = [statistic(x, kind) if _known(x) else None for x in samples]
    moves = run_length(values)
    if moves < TREND_MIN_MOVES:
        return None
    first = len(values) - 1 - moves
    return _record("trend", samples[first], samples[-1], periods[first], periods[-1], moves, kind)


def run_length(values: Sequence[float | None]) -> int:
    """How many month-on-month moves in one direction end at the last value (0 when it did not move)."""
    moves, sign = 0, 0
    for i in range(len(values) - 1, 0, -1):
        now, before = values[i], values[i - 1]
        if now is None or before is None or now == before:
            break
        step = 1 if now > before else -1
        if sign and step != sign:
            break
        sign, moves = step, moves + 1
    return moves


def _record(test: str, before: Any, now: Any, start: str, end: str, moves: int, kind: Kind) -> dict[str, Any]:
    result = compare(now, before, kind)
    return {"test": test, "from_period": start, "to_period": end, "moves": moves,
            "from_value": statistic(before, kind), "to_value": statistic(now, kind),
            "significant": result.p_value is not None and result.p_value < ALPHA, **result.as_dict()}


def _known(x: np.ndarray | None) -> bool:
    return x is not None and len(x) > 0

"""Retention as survival: how long members stay active, by cohort (Kaplan-Meier, lifelines).

A member's lifetime runs from their first post to their last. They have *gone inactive* (the
event) when their last post is more than ``INACTIVE_DAYS`` before the cutoff; otherwise they are
still active and their lifetime is censored at the cutoff (we know only that it is at least that
long). Kaplan-Meier uses both, where a monthly retention rate would throw the censored away.

Per cohort: n, events, the median lifetime with its 95% interval (None when more than half are
still active: the curve never falls to 50%), and the curve at ``CURVE_DAYS``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from insight.metrics.inputs import prepare
from insight.metrics.intervals import CONFIDENCE

INACTIVE_DAYS = 45
CURVE_DAYS = tuple(range(0, 151, 10))  # every 10 days: the steps show, the JSON stays small
SURVIVAL_DIMENSIONS = ("all", "motivation", "segment")
_DAY = pd.Timedelta(days=1)


def lifetimes(posts: pd.DataFrame, members: pd.DataFrame, as_of: pd.Timestamp,
              inactive_days: int = INACTIVE_DAYS) -> pd.DataFrame:
    """One row per consenting member who posted by ``as_of``: days (first to last post, or to as_of
    when still active), inactive (the event), and the cohort fields."""
    as_of = pd.Timestamp(as_of)
    as_of = as_of.tz_localize("UTC") if as_of.tzinfo is None else as_of.tz_convert("UTC")
    inp = prepare(posts, members, as_of, as_of, as_of)
    spans = inp.posts.groupby("author_id")["created_at"].agg(["min", "max"])
    return lifetimes_of(spans, inp.authors, as_of, inactive_days)


def lifetimes_of(spans: pd.DataFrame, authors: pd.DataFrame, as_of: pd.Timestamp,
                 inactive_days: int = INACTIVE_DAYS) -> pd.DataFrame:
    """``lifetimes`` from each author's first and last post (``spans``: min, max, indexed by author)
    and the authors' cohort fields (``inputs.authors_table``)."""
    inactive = spans["max"] < as_of - pd.Timedelta(days=inactive_days)
    end = spans["max"].where(inactive, as_of)
    out = pd.DataFrame({"days": (end - spans["min"]) / _DAY, "inactive": inactive})
    return out.join(authors[["join_month", "motivation", "segment"]], how="left")


def survival_by_cohort(posts: pd.DataFrame, members: pd.DataFrame, as_of: pd.Timestamp, *,
                       dimensions: tuple[str, ...] = SURVIVAL_DIMENSIONS, min_n: int = 8,
                       inactive_days: int = INACTIVE_DAYS) -> list[dict[str, Any]]:
    """Kaplan-Meier per cohort of ``dimensions`` with ``min_n`` or more members, "all" first."""
    return survival_of(lifetimes(posts, members, as_of, inactive_days), dimensions=dimensions, min_n=min_n)


def survival_of(table: pd.DataFrame, *, dimensions: tuple[str, ...] = SURVIVAL_DIMENSIONS,
                min_n: int = 8) -> list[dict[str, Any]]:
    """``survival_by_cohort`` of a ``lifetimes`` table."""
    rows = []
    for dim in dimensions:
        groups = [("all", table)] if dim == "all" else \
            [(f"{dim}={value}", frame) for value, frame in sorted(table.groupby(dim), key=lambda g: str(g[0]))]
        rows.extend(kaplan_meier(name, frame) for name, frame in groups if len(frame) >= max(min_n, 1))
    return rows


def kaplan_meier(cohort: str, frame: pd.DataFrame) -> dict[str, Any]:
    """One cohort's curve and median lifetime (days) with its 95% interval."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    fitter = KaplanMeierFitter(alpha=1 - CONFIDENCE).fit(frame["days"], event_observed=frame["inactive"],
                                                         label=cohort)
    bounds = median_survival_times(fitter.confidence_interval_)
    curve = []
    for day in CURVE_DAYS:
        band = fitter.confidence_interval_.loc[:day].iloc[-1]
        curve.append({"day": day, "survival": float(fitter.survival_function_at_times(day).iloc[0]),
                      "ci_low": float(band.iloc[0]), "ci_high": float(band.iloc[1])})
    return {"cohort": cohort, "n": int(len(frame)), "events": int(frame["inactive"].sum()),
            "median_days": _finite(fitter.median_survival_time_), "median_ci_low": _finite(bounds.iloc[0, 0]),
            "median_ci_high": _finite(bounds.iloc[0, 1]), "curve": curve}


def _finite(value: Any) -> float | None:
    value = float(value)
    return None if value != value or value in (float("inf"), float("-inf")) else value

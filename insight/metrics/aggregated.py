"""KPI units from aggregates: what ``insight.metrics.kpis`` computes from every post, computed from
one row per author and per question (``insight.storage.kpi_units`` aggregates them in the database).

Each KPI here is the same definition as its function in ``kpis`` (the docstrings there say what it
measures), with its units in the same order, so the values, intervals and comparisons are equal;
``tests/metrics/test_aggregated.py`` holds the two ways equal on the same stored data. Change both
together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight.metrics.inputs import unit_frame
from insight.metrics.kpis import (
    ACTIVATION_WINDOW,
    COHORT_DIMENSIONS,
    COMPUTED_KPI_IDS,
    CONTRIBUTION_WEIGHTS,
    RETENTION_LOOKBACK,
    TTFV_EXTRA_JOIN_MONTHS,
    check_cohorts,
    cohort_labels,
    split_by_cohort,
)

_DAY = pd.Timedelta(days=1)
_HOUR = pd.Timedelta(hours=1)
_WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class Aggregates:
    """A month's aggregates (``storage.kpi_units``) and the authors' cohort fields
    (``inputs.authors_table``). ``spans`` and ``questions`` may be read for a later ``as_of`` (once for
    several months): what happened after this month's ``as_of`` is masked out here."""

    spans: pd.DataFrame  # per author: first_at, last_at
    activity: pd.DataFrame  # per author active in the lookback or the month: period_posts, in_lookback, ...
    replies: pd.DataFrame  # per author: follow-on replies to their posts of the month
    questions: pd.DataFrame  # every question: asked_at, first_response_at, first_accepted_at, orders
    authors: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp


def week_starts(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """The starts of a month's 7-day weeks (the last one shorter), as ``kpis.stickiness`` counts them."""
    return [start + i * _WEEK for i in range(max(1, math.ceil((end - start) / _WEEK)))]


def lookback_start(start: pd.Timestamp) -> pd.Timestamp:
    return start - RETENTION_LOOKBACK


def activation_rate(agg: Aggregates) -> pd.DataFrame:
    joined_at = agg.authors["joined_at"]
    new = joined_at[(joined_at >= agg.start) & (joined_at < agg.end) & (joined_at <= agg.as_of)]
    first_post = _by(agg.spans.set_index("who")["first_at"], agg.as_of).reindex(new.index)
    return unit_frame(new.index, first_post <= new + ACTIVATION_WINDOW)


def time_to_first_value(agg: Aggregates) -> pd.DataFrame:
    window_start = agg.start - pd.DateOffset(months=TTFV_EXTRA_JOIN_MONTHS)
    joined_at = agg.authors["joined_at"]
    recent = joined_at[(joined_at >= window_start) & (joined_at < agg.end) & (joined_at <= agg.as_of)]
    questions = _seen(agg)
    firsts = questions[questions["first_of_asker"]].sort_values("thread_order")
    firsts = firsts.join(recent.rename("joined_at"), on="who", how="inner")
    days = (firsts["first_response_at"] - firsts["joined_at"]) / _DAY
    measured = days.notna()
    return unit_frame(firsts.loc[measured, "who"], days[measured].clip(lower=0))


def retention_90d(agg: Aggregates) -> pd.DataFrame:
    base = _active(agg)[lambda a: a["in_lookback"]]
    return unit_frame(base["who"], base["period_posts"] > 0)


def contribution_frequency(agg: Aggregates) -> pd.DataFrame:
    active = _active(agg)[lambda a: a["period_posts"] > 0]
    return unit_frame(active["who"], active["period_posts"])


def stickiness(agg: Aggregates) -> pd.DataFrame:
    active = _active(agg)[lambda a: a["period_posts"] > 0]
    return unit_frame(active["who"], active["period_weeks"] / len(week_starts(agg.start, agg.end)))


def contribution_index(agg: Aggregates) -> pd.DataFrame:
    active = _active(agg)[lambda a: a["period_posts"] > 0]
    replies = agg.replies.set_index("who")["replies"].reindex(active["who"]).to_numpy(dtype=float, na_value=0.0)
    score = (CONTRIBUTION_WEIGHTS["accepted"] * active["period_accepted"].to_numpy(dtype=float)
             + CONTRIBUTION_WEIGHTS["helpful_vote"] * active["period_votes"].to_numpy(dtype=float)
             + CONTRIBUTION_WEIGHTS["follow_on_reply"] * replies)
    return unit_frame(active["who"], score)


def solution_acceptance_rate(agg: Aggregates) -> pd.DataFrame:
    asked = _asked(agg)
    return unit_frame(asked["who"], asked["accepted"])


def median_first_response_hours(agg: Aggregates) -> pd.DataFrame:
    asked = _asked(agg)
    hours = (asked["first_response_at"] - asked["asked_at"]) / _HOUR
    answered = hours.notna()
    return unit_frame(asked.loc[answered, "who"], hours[answered])


def unanswered_rate(agg: Aggregates) -> pd.DataFrame:
    asked = _asked(agg)
    return unit_frame(asked["who"], asked["first_response_at"].isna())


def _active(agg: Aggregates) -> pd.DataFrame:
    # By author id, as a groupby over posts orders its groups: the units' order decides a seeded
    # bootstrap interval, so both ways give the same one.
    return agg.activity.sort_values("who", kind="stable")


def _asked(agg: Aggregates) -> pd.DataFrame:
    # In question order (asked_at, then the root post's id), as ``inputs._questions`` finds them.
    questions = _seen(agg)
    asked = questions[questions["asked_at"].ge(agg.start) & questions["asked_at"].lt(agg.end)]
    return asked.sort_values("question_order")


def _seen(agg: Aggregates) -> pd.DataFrame:
    """The questions asked by ``as_of``, with their first response and acceptance by then."""
    seen = agg.questions[agg.questions["asked_at"] <= agg.as_of]
    return seen.assign(first_response_at=_by(seen["first_response_at"], agg.as_of),
                       accepted=seen["first_accepted_at"] <= agg.as_of)


def _by(times: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """``times`` up to ``as_of``; later ones did not happen yet (NaT)."""
    return times.where(times <= as_of)


UNITS: dict[str, Callable[[Aggregates], pd.DataFrame]] = {
    "activation_rate": activation_rate,
    "time_to_first_value": time_to_first_value,
    "retention_90d": retention_90d,
    "contribution_frequency": contribution_frequency,
    "solution_acceptance_rate": solution_acceptance_rate,
    "median_first_response_hours": median_first_response_hours,
    "unanswered_rate": unanswered_rate,
    "stickiness": stickiness,
    "contribution_index": contribution_index,
}


def samples(agg: Aggregates, period: str,
            cohorts: Sequence[str] = COHORT_DIMENSIONS) -> dict[str, dict[str, np.ndarray]]:
    """``{kpi_id: {cohort: x}}`` as ``kpis.kpi_samples`` gives it for the same posts and members."""
    check_cohorts(cohorts)
    labels = cohort_labels(agg.authors, cohorts, period)
    return {kpi_id: split_by_cohort(UNITS[kpi_id](agg).join(agg.authors, on="author_id"), labels)
            for kpi_id in COMPUTED_KPI_IDS}

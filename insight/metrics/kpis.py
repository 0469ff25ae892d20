"""KPI computation: the KPIs insight computes itself, per cohort and calendar month.

``compute_kpis(posts, members, "2026-03")`` returns one ``KpiValue`` per KPI and cohort.
The definitions here are the ones the ``formula`` texts in ``insight/default_kpis.toml``
describe; change both together.

Conventions shared by every KPI:

- **Period**: a calendar month in UTC, ``[start, end)``.
- **as_of**: the data cutoff. Posts created after ``as_of`` are not seen at all, so a
  report recomputed later with the same ``as_of`` gives the same numbers. The default is
  the end of the period; pass a later ``as_of`` to let late-period events (a question asked
  on the 31st, a member who joined on the 28th) finish their windows.
- **Consent**: a member whose record does not say ``consent_analytics=True`` is excluded
  from every KPI, and so are all their posts: they are never counted, never an asker,
  never a responder, never the author of an accepted answer. Thread roots are found before
  that filter, so a non-consenting member's reply never turns into a "question".
- **Authors with no member record** are kept (ingest's ``unknown_members`` setting already
  decided they belong): they count in the ``all`` cohort and as responders, but fall in no
  member cohort (their join month, motivation and segment are unknown).
- **Question**: the first post of a thread (earliest ``created_at``, ties by ``post_id``)
  when its ``kind`` is ``question`` or missing. A **response** is a post in the same thread
  by an author other than the asker, created no earlier than the question.
- **Cohorts**: ``all``, ``join_month=YYYY-MM``, ``motivation=<value>``, ``segment=<value>``
  of the member measured; a thread belongs to the asker's cohort. Every cohort that exists
  among consenting members is reported (join months only up to the period), with
  ``value=None, n=0`` where it has no data in the period.
- **n** is the denominator (rates, contribution frequency) or the number of measurements
  (medians).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from insight.errors import InputError
from insight.metrics.inputs import Inputs, period_questions, prepare, unit_frame
from insight.metrics.intervals import Kind, statistic, value_interval

COHORT_DIMENSIONS: tuple[str, ...] = ("all", "join_month", "motivation", "segment")
ACTIVATION_WINDOW = pd.Timedelta(days=30)
RETENTION_LOOKBACK = pd.Timedelta(days=90)
# Time to first value follows members who joined in the period or the 2 months before:
# a first answer often comes weeks after joining, so one month alone would measure too few.
TTFV_EXTRA_JOIN_MONTHS = 2

TREND_COLUMNS = ["kpi_id", "period", "cohort", "value", "n", "ci_low", "ci_high"]

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DAY = pd.Timedelta(days=1)
_HOUR = pd.Timedelta(hours=1)


@dataclass(frozen=True)
class KpiValue:
    """One KPI for one cohort and period. ``value`` is None when the cohort has no data.

    ``ci_low``/``ci_high`` bound its 95% interval (``insight.metrics.intervals``): Wilson for
    rates, a seeded bootstrap for medians and means; None when n is too small to say.
    """

    kpi_id: str
    period: str
    cohort: str
    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- the KPIs ------------------------------------------------------------------------------
# Each function returns the KPI's units of measurement: one row per member or question with
# ``author_id`` (whose cohort the row belongs to) and ``x`` (the measurement). The KPI value
# of a cohort is then the mean or the median of ``x`` over its rows, and n the row count.


def activation_rate(inp: Inputs) -> pd.DataFrame:
    """Share of members who joined in the period that posted within 30 days of joining.

    Units: consenting members with ``joined_at`` in the period (and by ``as_of``).
    x: True when their first post is at most 30 days after ``joined_at``. A post stamped
    before ``joined_at`` counts too: some platforms record joining late, and such a member
    is clearly active. Members without ``joined_at`` cannot be placed and are left out.
    """
    joined_at = inp.authors["joined_at"]
    new = joined_at[inp.in_period(joined_at) & (joined_at <= inp.as_of)]
    first_post = inp.posts.groupby("author_id")["created_at"].min().reindex(new.index)
    # NaT (never posted) compares False, so silent members count as not activated.
    return unit_frame(new.index, first_post <= new + ACTIVATION_WINDOW)


def time_to_first_value(inp: Inputs) -> pd.DataFrame:
    """Median days from joining to the first response to the member's first question.

    Units: consenting members who joined in the period or the 2 months before, whose first
    question (the earliest question they started, by ``as_of``) has a response by ``as_of``.
    x: days from ``joined_at`` to that first response, floored at 0 (a question asked
    before the recorded join date is a data quirk, not negative time). Members whose first
    question is unanswered are not measured; n counts the members measured.
    """
    window_start = inp.start - pd.DateOffset(months=TTFV_EXTRA_JOIN_MONTHS)
    joined_at = inp.authors["joined_at"]
    recent = joined_at[(joined_at >= window_start) & (joined_at < inp.end) & (joined_at <= inp.as_of)]
    first_questions = inp.questions.sort_values(["asked_at", "thread_id"]).drop_duplicates("author_id")
    first_questions = first_questions.join(recent.rename("joined_at"), on="author_id", how="inner")
    days = (first_questions["first_response_at"] - first_questions["joined_at"]) / _DAY
    measured = days.notna()
    return unit_frame(first_questions.loc[measured, "author_id"], days[measured].clip(lower=0))


def retention_90d(inp: Inputs) -> pd.DataFrame:
    """Share of members active in the 90 days before the period who are active again in it.

    Units: authors with a post in ``[start - 90 days, start)``.
    x: True when they also posted in the period (by ``as_of``).
    """
    created = inp.posts["created_at"]
    before = inp.posts.loc[(created >= inp.start - RETENTION_LOOKBACK) & (created < inp.start), "author_id"]
    during = inp.posts.loc[inp.in_period(created), "author_id"]
    base = pd.Index(before.unique()).sort_values()  # by author id, as the stored path (metrics.aggregated) orders
    return unit_frame(base, base.isin(during))


def contribution_frequency(inp: Inputs) -> pd.DataFrame:
    """Posts per active member in the period.

    Units: authors who posted in the period (by ``as_of``); x: their number of posts in it.
    The mean of x is total posts / active members; n is the number of active members.
    """
    in_period = inp.posts[inp.in_period(inp.posts["created_at"])]
    counts = in_period.groupby("author_id").size().astype(float)
    return unit_frame(counts.index, counts)


def solution_acceptance_rate(inp: Inputs) -> pd.DataFrame:
    """Share of questions started in the period whose thread has an accepted answer.

    Units: questions asked in the period. x: True when any post in the thread (by
    ``as_of``, consenting or unknown author, the asker included) has ``accepted_answer``.
    """
    questions = period_questions(inp)
    return unit_frame(questions["author_id"], questions["accepted"])


def median_first_response_hours(inp: Inputs) -> pd.DataFrame:
    """Median hours from a question to the first response, for questions that got one.

    Units: questions asked in the period with a response by ``as_of``.
    x: hours from the question to the first post in its thread by another author.
    """
    questions = period_questions(inp)
    hours = (questions["first_response_at"] - questions["asked_at"]) / _HOUR
    answered = hours.notna()
    return unit_frame(questions.loc[answered, "author_id"], hours[answered])


def unanswered_rate(inp: Inputs) -> pd.DataFrame:
    """Share of questions started in the period with no response by ``as_of``.

    Units: questions asked in the period. x: True when no other author posted in the thread.
    """
    questions = period_questions(inp)
    return unit_frame(questions["author_id"], questions["first_response_at"].isna())


def stickiness(inp: Inputs) -> pd.DataFrame:
    """WAU/MAU: how many of the month's weeks an active member is active in, on average.

    Units: authors who posted in the period (the month's active members, MAU). x: the share of
    the period's weeks (7-day windows from its first day; the last one shorter) in which they
    posted. The mean of x is the mean weekly active members over the monthly active members.
    """
    in_period = inp.posts[inp.in_period(inp.posts["created_at"])]
    weeks = max(1, math.ceil((inp.end - inp.start) / pd.Timedelta(days=7)))
    week = ((in_period["created_at"] - inp.start) // pd.Timedelta(days=7)).astype(int)
    active_weeks = week.groupby(in_period["author_id"]).nunique()
    return unit_frame(active_weeks.index, active_weeks / weeks)


CONTRIBUTION_WEIGHTS = {"accepted": 3.0, "helpful_vote": 1.0, "follow_on_reply": 1.0}


def contribution_index(inp: Inputs) -> pd.DataFrame:
    """Helpfulness-weighted contribution per active member: what their posts did for others.

    Units: authors who posted in the period. x: 3 x their posts marked accepted answer + the
    helpful votes on their posts + replies by other members to their posts, counting their posts
    of the period (votes and replies seen by as_of). Posting a lot that helps no one scores 0.
    """
    posts = inp.posts
    mine = posts[inp.in_period(posts["created_at"])]
    votes = mine["helpful_votes"] if "helpful_votes" in mine else pd.Series(0, index=mine.index)
    score = (CONTRIBUTION_WEIGHTS["accepted"] * mine["accepted_answer"].astype(float)
             + CONTRIBUTION_WEIGHTS["helpful_vote"] * pd.to_numeric(votes, errors="coerce").fillna(0))
    if "parent_id" in posts:
        replies = posts.merge(mine[["post_id", "author_id"]], left_on="parent_id", right_on="post_id",
                              suffixes=("", "_parent"))
        replies = replies[replies["author_id"] != replies["author_id_parent"]]
        follow = replies.groupby("post_id_parent").size().reindex(mine["post_id"]).fillna(0).to_numpy()
        score = score + CONTRIBUTION_WEIGHTS["follow_on_reply"] * follow
    per_author = score.groupby(mine["author_id"]).sum()
    return unit_frame(per_author.index, per_author)


@dataclass(frozen=True)
class _Kpi:
    id: str
    units: Callable[[Inputs], pd.DataFrame]
    kind: Kind  # "rate" (mean of 0/1 units), "mean" or "median": the value and its interval follow


KPIS: tuple[_Kpi, ...] = (
    _Kpi("activation_rate", activation_rate, "rate"),
    _Kpi("time_to_first_value", time_to_first_value, "median"),
    _Kpi("retention_90d", retention_90d, "rate"),
    _Kpi("contribution_frequency", contribution_frequency, "mean"),
    _Kpi("solution_acceptance_rate", solution_acceptance_rate, "rate"),
    _Kpi("median_first_response_hours", median_first_response_hours, "median"),
    _Kpi("unanswered_rate", unanswered_rate, "rate"),
    _Kpi("stickiness", stickiness, "mean"),
    _Kpi("contribution_index", contribution_index, "mean"),
)
COMPUTED_KPI_IDS: tuple[str, ...] = tuple(kpi.id for kpi in KPIS)
KPI_KINDS: dict[str, Kind] = {kpi.id: kpi.kind for kpi in KPIS}


# --- public API ----------------------------------------------------------------------------


def compute_kpis(
    posts: pd.DataFrame,
    members: pd.DataFrame,
    period: str,
    *,
    as_of: datetime | None = None,
    cohorts: Sequence[str] = COHORT_DIMENSIONS,
) -> list[KpiValue]:
    """Compute every KPI of ``COMPUTED_KPI_IDS`` for each cohort of one calendar month.

    Args:
        posts: post_id, thread_id, author_id, created_at (UTC), and optionally kind,
            parent_id, accepted_answer, channel.
        members: author_id, consent_analytics, and optionally joined_at, motivation, segment.
        period: the month, ``YYYY-MM``.
        as_of: the data cutoff (posts after it are ignored); the end of the period if None.
        cohorts: which cohort dimensions to report, from ``COHORT_DIMENSIONS``.

    Returns:
        KPI values with their 95% intervals, ordered by KPI (as in ``COMPUTED_KPI_IDS``), then
        by ``cohorts`` order, then by cohort value.

    Raises:
        InputError: E604 when a required column is missing, E606 for a bad period or cohort.
    """
    samples = kpi_samples(posts, members, period, as_of=as_of, cohorts=cohorts)
    return [summarise(kpi_id, period, cohort, x) for kpi_id, by_cohort in samples.items()
            for cohort, x in by_cohort.items()]


def kpi_samples(
    posts: pd.DataFrame,
    members: pd.DataFrame,
    period: str,
    *,
    as_of: datetime | None = None,
    cohorts: Sequence[str] = COHORT_DIMENSIONS,
) -> dict[str, dict[str, np.ndarray]]:
    """The units behind each KPI value: ``{kpi_id: {cohort: x}}``, x one measurement per unit.

    ``compute_kpis`` summarises them; comparisons of two periods or two groups
    (``insight.metrics.intervals.compare``) read them directly. Same arguments and errors as
    ``compute_kpis``.
    """
    start, end = period_bounds(period)
    check_cohorts(cohorts)
    cutoff = end if as_of is None else _utc(pd.Timestamp(as_of))
    inp = prepare(posts, members, start, end, cutoff)
    labels = cohort_labels(inp.authors, cohorts, period)
    return {kpi.id: split_by_cohort(kpi.units(inp).join(inp.authors, on="author_id"), labels) for kpi in KPIS}


def kpi_units(posts: pd.DataFrame, members: pd.DataFrame, period: str, kpi_id: str) -> pd.DataFrame:
    """One KPI's units for a month with their member's cohort fields: author_id, x, joined_at,
    join_month, motivation, segment; what experiment readouts split by arm or cohort."""
    if kpi_id not in KPI_KINDS:
        raise InputError("E606", option="kpi", detail=f"'{kpi_id}'; insight computes {', '.join(COMPUTED_KPI_IDS)}")
    start, end = period_bounds(period)
    inp = prepare(posts, members, start, end, end)
    kpi = next(k for k in KPIS if k.id == kpi_id)
    return kpi.units(inp).join(inp.authors, on="author_id")


def summarise(kpi_id: str, period: str, cohort: str, x: np.ndarray) -> KpiValue:
    """The ``KpiValue`` of units ``x``: value, n and 95% interval, by the KPI's kind."""
    kind = KPI_KINDS[kpi_id]
    low, high = value_interval(x, kind)
    return KpiValue(kpi_id, period, cohort, statistic(x, kind), len(x), low, high)


def kpi_trend(
    posts: pd.DataFrame,
    members: pd.DataFrame,
    periods: list[str],
    *,
    cohorts: Sequence[str] = COHORT_DIMENSIONS,
) -> pd.DataFrame:
    """KPI values for several months, each as of its own period end.

    Returns:
        A DataFrame with columns kpi_id, period, cohort, value (float, NaN where there is
        no data), n, ci_low and ci_high, in ``periods`` order.
    """
    rows = [v.as_dict() for period in periods for v in compute_kpis(posts, members, period, cohorts=cohorts)]
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    return frame.astype({"value": "float64", "n": "int64"})


def check_period(period: str, option: str = "period") -> str:
    """``period`` as a ``YYYY-MM`` month; E606 naming ``option`` (a CLI flag, a query parameter) if not."""
    if not isinstance(period, str) or not _PERIOD.match(period.strip()):
        raise InputError("E606", option=option, detail=f"'{period}'; use a month as YYYY-MM, e.g. 2026-10")
    return period.strip()


def months_ending(period: str, count: int) -> list[str]:
    """The ``count`` months (YYYY-MM) ending with ``period``, oldest first."""
    last = pd.Period(period, freq="M")
    return [str(last - i) for i in range(count - 1, -1, -1)]


def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The UTC ``[start, end)`` of a ``YYYY-MM`` month."""
    period = check_period(period)
    start = pd.Timestamp(f"{period}-01", tz="UTC")
    return start, start + pd.DateOffset(months=1)


# --- cohorts and aggregation ---------------------------------------------------------------


def cohort_labels(authors: pd.DataFrame, cohorts: Sequence[str], period: str) -> dict[str, list[str]]:
    """Per dimension, the cohort values to report, sorted; "all" has the single value "all".

    Values come from consenting members (unknown authors have none), so a cohort with no
    data this period still appears, with n=0. Join months after the period cannot have data
    and are left out.
    """
    labels: dict[str, list[str]] = {}
    for dim in cohorts:
        if dim == "all":
            labels[dim] = ["all"]
            continue
        values = authors[dim].dropna().astype(str).unique()
        if dim == "join_month":
            values = [month for month in values if month <= period]
        labels[dim] = sorted(values)
    return labels


def split_by_cohort(units: pd.DataFrame, labels: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """{cohort: x} for every cohort label, in label order; an empty array where n is 0."""
    x = units["x"].to_numpy(dtype=float)
    out: dict[str, np.ndarray] = {}
    for dim, values in labels.items():
        if dim == "all":
            out["all"] = x
            continue
        keys = units[dim].astype("string")
        for value in values:
            out[f"{dim}={value}"] = x[(keys == value).fillna(False).to_numpy()]
    return out


# --- input checks --------------------------------------------------------------------------


def check_cohorts(cohorts: Sequence[str]) -> None:
    unknown = [c for c in cohorts if c not in COHORT_DIMENSIONS]
    if unknown or isinstance(cohorts, str):
        raise InputError(
            "E606", option="cohorts", detail=f"{list(unknown) or cohorts!r}; choose from {list(COHORT_DIMENSIONS)}"
        )


def _utc(ts: pd.Timestamp) -> pd.Timestamp:
    # A naive as_of is taken as UTC, the zone every stored timestamp is in.
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")

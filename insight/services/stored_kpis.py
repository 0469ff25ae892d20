"""KPIs of stored data from the database's aggregates: the stored path of ``insight.metrics.kpis``.

``compute_kpis`` and ``kpi_samples`` take posts and members frames (every post in memory); a report,
the story-metric pairs and the survival curves read stored data, so they ask the database for rows
per author and per question (``storage.kpi_units``) and compute the same units from those
(``metrics.aggregated``). Memory then follows the members and questions, never one row per post.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from insight.metrics import aggregated
from insight.metrics.inputs import authors_table
from insight.metrics.kpis import COHORT_DIMENSIONS, KpiValue, period_bounds, summarise
from insight.metrics.survival import lifetimes_of, survival_of
from insight.privacy import consent
from insight.services import consented
from insight.storage import kpi_units


@dataclass(frozen=True)
class Reads:
    """What every month's KPIs read alike, read once as of the latest month's end: the members' cohort
    fields, each author's first and last post, every question."""

    decisions: kpi_units.Decisions
    authors: pd.DataFrame
    spans: pd.DataFrame
    questions: pd.DataFrame

    @classmethod
    def of(cls, session: Session, unknown_members: str, as_of: pd.Timestamp) -> Reads:
        decisions, cutoff = _decisions(unknown_members), as_of.to_pydatetime()
        return cls(decisions, cohort_authors(session, unknown_members),
                   kpi_units.author_spans(session, decisions, cutoff), kpi_units.questions(session, decisions, cutoff))


def month_aggregates(session: Session, period: str, reads: Reads) -> aggregated.Aggregates:
    """What a month's KPIs read as of its end: ``reads`` and the month's own aggregates."""
    start, end = period_bounds(period)
    window = kpi_units.Window(start.to_pydatetime(), end.to_pydatetime(), end.to_pydatetime(),
                              aggregated.lookback_start(start).to_pydatetime(),
                              [w.to_pydatetime() for w in aggregated.week_starts(start, end)])
    return aggregated.Aggregates(
        spans=reads.spans, questions=reads.questions, authors=reads.authors,
        activity=kpi_units.author_activity(session, reads.decisions, window),
        replies=kpi_units.follow_on_replies(session, reads.decisions, window),
        start=start, end=end, as_of=end)


Samples = dict[str, dict[str, np.ndarray]]  # kpi_id -> cohort -> units, as ``metrics.kpis.kpi_samples``


def months_samples(session: Session, unknown_members: str, months: Sequence[str], *,
                   cohorts: Sequence[str] = COHORT_DIMENSIONS) -> Iterator[tuple[str, Samples]]:
    """(month, ``metrics.kpis.kpi_samples``) of the stored posts and members, each as of its month's end,
    one month at a time (a caller keeps what it needs of each)."""
    if not months:
        return
    reads = Reads.of(session, unknown_members, period_bounds(max(months))[1])
    for month in months:
        yield month, aggregated.samples(month_aggregates(session, month, reads), month, cohorts)


def months_kpis(session: Session, unknown_members: str, months: Sequence[str]) -> dict[str, list[KpiValue]]:
    """month -> ``metrics.kpis.compute_kpis`` of the stored posts and members, each as of its month's end."""
    return {month: [summarise(kpi_id, month, cohort, x) for kpi_id, by_cohort in samples.items()
                    for cohort, x in by_cohort.items()]
            for month, samples in months_samples(session, unknown_members, months)}


def survival(session: Session, unknown_members: str, period: str, *, min_n: int) -> list[dict[str, Any]]:
    """``metrics.survival.survival_by_cohort`` of the stored posts and members as of the month's end."""
    end = period_bounds(period)[1]
    spans = kpi_units.author_spans(session, _decisions(unknown_members), end.to_pydatetime())
    spans = spans.set_index("who").set_axis(["min", "max"], axis=1)
    return survival_of(lifetimes_of(spans, cohort_authors(session, unknown_members), end), min_n=min_n)


def cohort_authors(session: Session, unknown_members: str) -> pd.DataFrame:
    """The analysed members' cohort fields, a person's linked accounts as one (``inputs.authors_table``)."""
    return authors_table(consented.people_frame(session, unknown_members))


def _decisions(unknown_members: str) -> kpi_units.Decisions:
    """Stored consent answer -> analysed, as ``privacy.consent`` decides it (the SQL applies this table)."""
    return {answer: consent.may_analyse(answer, unknown_members) for answer in (True, False, None)}

"""Materialised reads: KPI values per period and cohort, and rendered reports, kept for readers.

``insight analyse`` writes them for the periods its new data touches; the API and pages read them
while the stored inputs still match the fingerprint they were computed under (``report_fingerprint``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from insight.storage.analysis_tables import (
    FeedbackSignalRow,
    KpiValueRow,
    MaterialisedReportRow,
    PostEmbeddingRow,
    TopicModelRow,
)
from insight.storage.stories import pairs_fingerprint
from insight.storage.tables import (
    FeedbackRow,
    MemberRow,
    PostRow,
    SignalRow,
    TopicAssignmentRow,
    TriageActionRow,
    TriageItemRow,
)


def report_fingerprint(session: Session) -> tuple[Any, ...]:
    """Everything a report reads, as aggregates in two round trips: the pairs' inputs plus signals,
    embeddings, topic models and assignments, feedback, triage rankings and moderator actions."""
    aggregates = [
        func.count(SignalRow.post_pk), func.max(SignalRow.run_id), func.count(PostEmbeddingRow.post_pk),
        func.max(TopicModelRow.id), func.count(TopicAssignmentRow.post_pk), func.max(TopicAssignmentRow.run_id),
        func.count(FeedbackRow.response_id), func.count(FeedbackSignalRow.response_id),
        func.max(TriageItemRow.id), func.max(TriageActionRow.id),
    ]
    own = tuple(session.execute(select(*[select(a).scalar_subquery() for a in aggregates])).one())
    return pairs_fingerprint(session) + own


def consent_fingerprint(session: Session) -> tuple[Any, ...]:
    """Members' consent as aggregates (one round trip over the members table, not the posts):
    what a report must never serve stale."""
    return tuple(session.execute(select(
        func.count(MemberRow.author_id), func.max(MemberRow.run_id),
        func.sum(case((MemberRow.consent_analytics.is_(False), 1), else_=0)),
        func.sum(case((MemberRow.consent_analytics.is_(None), 1), else_=0)),
        func.sum(case((MemberRow.consent_quotes.is_(True), 1), else_=0)))).one())


def save_report(session: Session, period: str, fmt: str, fingerprint: str, payload: str, run_id: str,
                at: datetime) -> None:
    session.execute(delete(MaterialisedReportRow).where(MaterialisedReportRow.period == period,
                                                         MaterialisedReportRow.fmt == fmt))
    session.add(MaterialisedReportRow(period=period, fmt=fmt, fingerprint=fingerprint, payload=payload,
                                      run_id=run_id, computed_at=at))


def report(session: Session, period: str, fmt: str) -> tuple[str, str] | None:
    """(fingerprint, payload) of the stored report of ``period`` in ``fmt``."""
    row = session.get(MaterialisedReportRow, (period, fmt))
    return None if row is None else (row.fingerprint, row.payload)


def save_kpi_values(session: Session, period: str, rows: Sequence[dict[str, Any]], run_id: str, at: datetime) -> None:
    """Replace the period's KPI values: rows of kpi_id, cohort, value, ci_low, ci_high, n."""
    session.execute(delete(KpiValueRow).where(KpiValueRow.period == period))
    session.add_all(KpiValueRow(period=period, run_id=run_id, computed_at=at, **r) for r in rows)


def kpi_values(session: Session, period: str) -> list[dict[str, Any]]:
    """The materialised KPI values of ``period``: kpi_id, cohort, value, ci_low, ci_high, n, run_id."""
    rows = session.scalars(select(KpiValueRow).where(KpiValueRow.period == period)
                           .order_by(KpiValueRow.kpi_id, KpiValueRow.cohort))
    return [{"kpi_id": r.kpi_id, "cohort": r.cohort, "value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high,
             "n": r.n, "run_id": r.run_id} for r in rows]


def periods_scored(session: Session, run_id: str) -> tuple[datetime | None, datetime | None]:
    """(first, last) creation time of the posts and feedback answers run ``run_id`` scored."""
    posts = session.execute(select(func.min(PostRow.created_at), func.max(PostRow.created_at))
                            .join(SignalRow, SignalRow.post_pk == PostRow.id).where(SignalRow.run_id == run_id)).one()
    answers = session.execute(select(func.min(FeedbackRow.created_at), func.max(FeedbackRow.created_at))
                              .join(FeedbackSignalRow, FeedbackSignalRow.response_id == FeedbackRow.response_id)
                              .where(FeedbackSignalRow.run_id == run_id)).one()
    firsts = [t for t in (posts[0], answers[0]) if t is not None]
    lasts = [t for t in (posts[1], answers[1]) if t is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)

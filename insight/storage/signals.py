"""Per-post signals (sentiment, emotion, safety) with provenance: the latest scoring of each post."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from insight.records import Provenance
from insight.storage.analysis_tables import FeedbackSignalRow, PostEmbeddingRow
from insight.storage.rows import chunks, provenance, stage_models, streamed
from insight.storage.tables import FeedbackRow, MemberRow, PostRow, SignalRow

# What ``signals_by_post`` gives per post: the signal columns, without provenance.
SIGNAL_COLUMNS = ("sentiment_label", "sentiment_score", "sentiment_scores", "emotion", "safety_label",
                  "safety_category", "safety_score", "safety_evidence")


def save_signals(session: Session, rows: Sequence[dict[str, Any]], prov: Provenance) -> None:
    """Replace the signals of the given posts (``rows`` hold post_pk and the signal columns)."""
    pks = [r["post_pk"] for r in rows]
    for chunk in chunks(pks):
        session.execute(delete(SignalRow).where(SignalRow.post_pk.in_(chunk)))
    session.add_all(SignalRow(**r, **provenance(prov)) for r in rows)


def signals_by_post(session: Session, pks: Sequence[int] | None = None) -> dict[int, dict[str, Any]]:
    """post pk -> its signal values (``SIGNAL_COLUMNS``), of every scored post or of ``pks``."""
    stmt = select(SignalRow.post_pk, *[getattr(SignalRow, c) for c in SIGNAL_COLUMNS])
    if pks is None:
        return {pk: dict(zip(SIGNAL_COLUMNS, rest, strict=True)) for pk, *rest in session.execute(stmt)}
    out = {}
    for chunk in chunks(list(pks)):
        out.update({pk: dict(zip(SIGNAL_COLUMNS, rest, strict=True))
                    for pk, *rest in session.execute(stmt.where(SignalRow.post_pk.in_(chunk)))})
    return out


def sentiment_rows(session: Session, start: datetime, end: datetime) -> list[tuple[str | None, str, str]]:
    """(channel, author_id, sentiment label) of every scored post created in [start, end)."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(PostRow.channel, PostRow.author_id, SignalRow.sentiment_label)
        .join(SignalRow, SignalRow.post_pk == PostRow.id)
        .where(PostRow.created_at >= start, PostRow.created_at < end)
    ).all()]


def snapshot_rows(session: Session, before: datetime) -> Iterator[tuple[Any, ...]]:
    """Sentiment and model of each scored post created before ``before``, in (platform, post id) order."""
    stmt = (select(PostRow.platform, PostRow.post_id, SignalRow.sentiment_label, SignalRow.sentiment_score,
                   SignalRow.model, SignalRow.model_revision).join(PostRow, PostRow.id == SignalRow.post_pk)
            .where(PostRow.created_at < before).order_by(PostRow.platform, PostRow.post_id))
    return streamed(session, stmt)


def run_ids(session: Session) -> list[str]:
    """The runs the stored signals came from."""
    return [r for r in session.scalars(select(SignalRow.run_id).distinct()) if r]


def models(session: Session) -> set[tuple[str, str | None, str | None]]:
    """Distinct (stage, model, model_revision) of the stored signals."""
    return stage_models(session, SignalRow)


# --- incremental analysis: what is still to score --------------------------------------------


def _pending_posts(columns: Any, *, since: datetime | None, stale_revision: str | None) -> Any:
    todo = or_(SignalRow.post_pk.is_(None), PostEmbeddingRow.post_pk.is_(None))
    if stale_revision is not None:
        todo = or_(todo, SignalRow.model_revision != stale_revision)
    stmt = (select(*columns).select_from(PostRow).outerjoin(SignalRow, SignalRow.post_pk == PostRow.id)
            .outerjoin(PostEmbeddingRow, PostEmbeddingRow.post_pk == PostRow.id).where(todo))
    return stmt if since is None else stmt.where(PostRow.created_at >= since)


def pending_posts(session: Session, *, after: int, limit: int, upto: int | None = None, since: datetime | None = None,
                  stale_revision: str | None = None) -> list[tuple[int, str, bool | None]]:
    """(pk, raw text, author's stored analytics consent) of the next ``limit`` posts after pk ``after``
    (and at most ``upto``) that need scoring: no signals, or no stored embedding, or (with
    ``stale_revision``, the current revision) signals from another model revision. In pk order, so
    callers page by the last pk."""
    # A raw text expired by retention is '' (issue 19): a re-score reads the redacted copy instead.
    text = func.coalesce(func.nullif(PostRow.text, ""), PostRow.text_redacted)
    stmt = (_pending_posts((PostRow.id, text, MemberRow.consent_analytics), since=since,
                           stale_revision=stale_revision)
            .outerjoin(MemberRow, MemberRow.author_id == PostRow.author_id)
            .where(PostRow.id > after).order_by(PostRow.id).limit(limit))
    if upto is not None:
        stmt = stmt.where(PostRow.id <= upto)
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def still_pending(session: Session, kind: str, keys: Sequence[Any], *, stale_revision: str | None = None) -> set[Any]:
    """Those of ``keys`` (post pks, or feedback response ids) that still need scoring: another process
    may have finished some since they were read."""
    out: set[Any] = set()
    for chunk in chunks(list(keys)):
        if kind == "post":
            stmt = _pending_posts((PostRow.id,), since=None, stale_revision=stale_revision).where(PostRow.id.in_(chunk))
        else:
            stmt = (select(FeedbackRow.response_id).outerjoin(
                FeedbackSignalRow, FeedbackSignalRow.response_id == FeedbackRow.response_id)
                .where(FeedbackRow.response_id.in_(chunk), _feedback_todo(stale_revision)))
        out.update(session.scalars(stmt))
    return out


def pending_ranges(session: Session, size: int, *, since: datetime | None = None,
                   stale_revision: str | None = None) -> list[tuple[int, int, int]]:
    """(first pk, last pk, posts) of consecutive runs of ``size`` posts that need scoring: the work
    split into ranges without holding the posts (ids only, a page at a time)."""
    out, after = [], 0
    while True:
        pks = list(session.scalars(_pending_posts((PostRow.id,), since=since, stale_revision=stale_revision)
                                   .where(PostRow.id > after).order_by(PostRow.id).limit(size)))
        if not pks:
            return out
        out.append((pks[0], pks[-1], len(pks)))
        after = pks[-1]


def _feedback_todo(stale_revision: str | None) -> Any:
    todo = FeedbackSignalRow.response_id.is_(None)
    return todo if stale_revision is None else or_(todo, FeedbackSignalRow.model_revision != stale_revision)


def pending_feedback(session: Session, *, after: str, limit: int, since: datetime | None = None,
                     stale_revision: str | None = None) -> list[tuple[str, str, bool | None]]:
    """(response id, raw text, author's analytics consent) of feedback answers still to score, by id."""
    stmt = (select(FeedbackRow.response_id, FeedbackRow.text, MemberRow.consent_analytics)
            .outerjoin(FeedbackSignalRow, FeedbackSignalRow.response_id == FeedbackRow.response_id)
            .outerjoin(MemberRow, MemberRow.author_id == FeedbackRow.author_id)
            .where(FeedbackRow.response_id > after, _feedback_todo(stale_revision))
            .order_by(FeedbackRow.response_id).limit(limit))
    if since is not None:
        stmt = stmt.where(FeedbackRow.created_at >= since)
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def save_feedback_signals(session: Session, rows: Sequence[dict[str, Any]], prov: Provenance) -> None:
    """Replace the signals of the given feedback answers (``rows`` hold response_id and the sentiment columns)."""
    ids = [r["response_id"] for r in rows]
    for chunk in chunks(ids):
        session.execute(delete(FeedbackSignalRow).where(FeedbackSignalRow.response_id.in_(chunk)))
    session.add_all(FeedbackSignalRow(**r, **provenance(prov)) for r in rows)


def feedback_labels(session: Session, start: datetime, end: datetime) -> dict[str, str]:
    """response id -> sentiment label of every scored feedback answer given in [start, end)."""
    return dict(session.execute(  # type: ignore[arg-type]
        select(FeedbackRow.response_id, FeedbackSignalRow.sentiment_label)
        .join(FeedbackSignalRow, FeedbackSignalRow.response_id == FeedbackRow.response_id)
        .where(FeedbackRow.created_at >= start, FeedbackRow.created_at < end)).all())


def counts(session: Session) -> dict[str, int]:
    """Scored posts, stored embeddings and scored feedback answers."""
    return {"signals": session.scalar(select(func.count()).select_from(SignalRow)) or 0,
            "embeddings": session.scalar(select(func.count()).select_from(PostEmbeddingRow)) or 0,
            "feedback_signals": session.scalar(select(func.count()).select_from(FeedbackSignalRow)) or 0}


def scored_in_run(session: Session, run_id: str) -> tuple[set[str], set[str], set[str]]:
    """(thread keys, post ids, feedback response ids) of what run ``run_id`` scored."""
    rows = session.execute(select(PostRow.thread_key, PostRow.post_id)
                           .join(SignalRow, SignalRow.post_pk == PostRow.id).where(SignalRow.run_id == run_id)).all()
    answers = set(session.scalars(select(FeedbackSignalRow.response_id).where(FeedbackSignalRow.run_id == run_id)))
    return {r[0] for r in rows}, {r[1] for r in rows}, answers

"""Fitted topic sets and each post's topic assignment, with provenance."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from insight.records import Provenance
from insight.storage.analysis_tables import PostEmbeddingRow, TopicModelRow
from insight.storage.rows import chunks, provenance, stage_models, streamed
from insight.storage.tables import PostRow, TopicAssignmentRow, TopicRow


def save_topics(session: Session, topics: Sequence[dict[str, Any]], assignments: Sequence[tuple[int, int, float]],
                prov: Provenance) -> None:
    """Store a fitted topic set and its assignments (replacing earlier assignments of those posts)."""
    session.add_all(TopicRow(topic=t["topic"], label=t["label"], words=t["words"], size=t["size"], **provenance(prov))
                    for t in topics)
    pks = [a[0] for a in assignments]
    for chunk in chunks(pks):
        session.execute(delete(TopicAssignmentRow).where(TopicAssignmentRow.post_pk.in_(chunk)))
    session.add_all(TopicAssignmentRow(post_pk=pk, topic=topic, probability=prob, **provenance(prov))
                    for pk, topic, prob in assignments)


def latest_topics(session: Session) -> list[dict[str, Any]]:
    """The topics of the newest fitted set: topic, label, words, size and run id."""
    last_run = session.scalar(select(TopicRow.run_id).order_by(TopicRow.id.desc()).limit(1))
    if last_run is None:
        return []
    rows = session.scalars(select(TopicRow).where(TopicRow.run_id == last_run).order_by(TopicRow.topic))
    return [{"topic": r.topic, "label": r.label, "words": r.words, "size": r.size, "run_id": r.run_id} for r in rows]


def topic_counts(session: Session, run_id: str | None, start: datetime, end: datetime) -> dict[int, int]:
    """topic -> posts created in [start, end) assigned to it (by run ``run_id``; every current
    assignment when None: ``insight analyse`` assigns new posts to the newest model in later runs)."""
    stmt = (select(TopicAssignmentRow.topic, func.count()).join(PostRow, PostRow.id == TopicAssignmentRow.post_pk)
            .where(PostRow.created_at >= start, PostRow.created_at < end).group_by(TopicAssignmentRow.topic))
    if run_id is not None:
        stmt = stmt.where(TopicAssignmentRow.run_id == run_id)
    return dict(session.execute(stmt).all())  # type: ignore[arg-type]


def snapshot_rows(session: Session, run_id: str | None, before: datetime) -> Iterator[tuple[Any, ...]]:
    """(platform, post id, topic) of run ``run_id``'s assignments of posts created before ``before``."""
    stmt = (select(PostRow.platform, PostRow.post_id, TopicAssignmentRow.topic)
            .join(PostRow, PostRow.id == TopicAssignmentRow.post_pk)
            .where(PostRow.created_at < before, TopicAssignmentRow.run_id == run_id)
            .order_by(PostRow.platform, PostRow.post_id))
    return streamed(session, stmt)


def models(session: Session, run_id: str | None) -> set[tuple[str, str | None, str | None]]:
    """Distinct (stage, model, model_revision) of a topic run (of every run when ``run_id`` is None)."""
    return stage_models(session, TopicRow, run_id)


# --- incremental analysis: the fitted model and the posts it has not seen -----------------------


def save_assignments(session: Session, assignments: Sequence[tuple[int, int, float]], prov: Provenance) -> None:
    """Replace the topic assignments of the given posts: (post pk, topic, probability)."""
    for chunk in chunks([a[0] for a in assignments]):
        session.execute(delete(TopicAssignmentRow).where(TopicAssignmentRow.post_pk.in_(chunk)))
    session.execute(TopicAssignmentRow.__table__.insert(), [  # type: ignore[attr-defined]
        {"post_pk": pk, "topic": topic, "probability": prob, **provenance(prov)} for pk, topic, prob in assignments])


def save_topic_model(session: Session, run_id: str, meta: dict[str, Any], arrays: bytes, at: datetime) -> None:
    session.add(TopicModelRow(run_id=run_id, meta=meta, arrays=arrays, created_at=at))


def latest_topic_model(session: Session) -> tuple[str, dict[str, Any], bytes] | None:
    """(run id, metadata, array bytes) of the newest stored topic model."""
    row = session.scalars(select(TopicModelRow).order_by(TopicModelRow.id.desc()).limit(1)).first()
    return None if row is None else (row.run_id, row.meta, row.arrays)


def embedded_posts(session: Session, unassigned: bool = False) -> list[int]:
    """Pks of posts with a stored embedding (only those with no topic assignment when ``unassigned``)."""
    stmt = select(PostEmbeddingRow.post_pk).order_by(PostEmbeddingRow.post_pk)
    if unassigned:
        stmt = stmt.outerjoin(TopicAssignmentRow, TopicAssignmentRow.post_pk == PostEmbeddingRow.post_pk).where(
            TopicAssignmentRow.post_pk.is_(None))
    return list(session.scalars(stmt))


def redacted_texts(session: Session, pks: Sequence[int]) -> dict[int, str]:
    """post pk -> its redacted text (what topic words are counted from)."""
    out: dict[int, str] = {}
    for chunk in chunks(list(pks)):
        out.update(session.execute(select(PostRow.id, PostRow.text_redacted).where(PostRow.id.in_(chunk))).all())  # type: ignore[arg-type]
    return out

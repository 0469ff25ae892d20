"""Fitted topic sets and each post's topic assignment, with provenance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from insight.records import Provenance
from insight.storage.rows import chunks, provenance, stage_models
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


def topic_counts(session: Session, run_id: str, start: datetime, end: datetime) -> dict[int, int]:
    """topic -> posts created in [start, end) assigned to it by run ``run_id``."""
    return dict(session.execute(  # type: ignore[arg-type]
        select(TopicAssignmentRow.topic, func.count()).join(PostRow, PostRow.id == TopicAssignmentRow.post_pk)
        .where(PostRow.created_at >= start, PostRow.created_at < end, TopicAssignmentRow.run_id == run_id)
        .group_by(TopicAssignmentRow.topic)
    ).all())


def snapshot_rows(session: Session, run_id: str | None, before: datetime) -> list[tuple[Any, ...]]:
    """(platform, post id, topic) of run ``run_id``'s assignments of posts created before ``before``."""
    return [tuple(r) for r in session.execute(
        select(PostRow.platform, PostRow.post_id, TopicAssignmentRow.topic)
        .join(PostRow, PostRow.id == TopicAssignmentRow.post_pk)
        .where(PostRow.created_at < before, TopicAssignmentRow.run_id == run_id)
        .order_by(PostRow.platform, PostRow.post_id))]


def models(session: Session, run_id: str | None) -> set[tuple[str, str | None, str | None]]:
    """Distinct (stage, model, model_revision) of a topic run (of every run when ``run_id`` is None)."""
    return stage_models(session, TopicRow, run_id)

"""Per-post signals (sentiment, emotion, safety) with provenance: the latest scoring of each post."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from insight.records import Provenance
from insight.storage.rows import chunks, provenance, stage_models
from insight.storage.tables import PostRow, SignalRow

# What ``signals_by_post`` gives per post: the signal columns, without provenance.
SIGNAL_COLUMNS = ("sentiment_label", "sentiment_score", "sentiment_scores", "emotion", "safety_label",
                  "safety_category", "safety_score", "safety_evidence")


def save_signals(session: Session, rows: Sequence[dict[str, Any]], prov: Provenance) -> None:
    """Replace the signals of the given posts (``rows`` hold post_pk and the signal columns)."""
    pks = [r["post_pk"] for r in rows]
    for chunk in chunks(pks):
        session.execute(delete(SignalRow).where(SignalRow.post_pk.in_(chunk)))
    session.add_all(SignalRow(**r, **provenance(prov)) for r in rows)


def signals_by_post(session: Session) -> dict[int, dict[str, Any]]:
    """post pk -> its signal values (``SIGNAL_COLUMNS``)."""
    columns = [getattr(SignalRow, c) for c in SIGNAL_COLUMNS]
    return {pk: dict(zip(SIGNAL_COLUMNS, rest, strict=True))
            for pk, *rest in session.execute(select(SignalRow.post_pk, *columns))}


def sentiment_rows(session: Session, start: datetime, end: datetime) -> list[tuple[str | None, str, str]]:
    """(channel, author_id, sentiment label) of every scored post created in [start, end)."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(PostRow.channel, PostRow.author_id, SignalRow.sentiment_label)
        .join(SignalRow, SignalRow.post_pk == PostRow.id)
        .where(PostRow.created_at >= start, PostRow.created_at < end)
    ).all()]


def snapshot_rows(session: Session, before: datetime) -> list[tuple[Any, ...]]:
    """Sentiment and model of each scored post created before ``before``, in (platform, post id) order."""
    return [tuple(r) for r in session.execute(
        select(PostRow.platform, PostRow.post_id, SignalRow.sentiment_label, SignalRow.sentiment_score,
               SignalRow.model, SignalRow.model_revision).join(PostRow, PostRow.id == SignalRow.post_pk)
        .where(PostRow.created_at < before).order_by(PostRow.platform, PostRow.post_id))]


def run_ids(session: Session) -> list[str]:
    """The runs the stored signals came from."""
    return [r for r in session.scalars(select(SignalRow.run_id).distinct()) if r]


def models(session: Session) -> set[tuple[str, str | None, str | None]]:
    """Distinct (stage, model, model_revision) of the stored signals."""
    return stage_models(session, SignalRow)

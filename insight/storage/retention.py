"""Retention: raw post text expires (the redacted copy, signals and aggregates stay), signal details,
ranking history and queue audit rows are dropped past their age.

A post's raw text is expired by setting it to '' (ingest never stores an empty text, so '' means
expired): readers fall back to ``text_redacted`` (``posts._post``, ``signals.pending_posts``).
Only scored posts lose their raw text: a post waiting for scoring keeps it until it is scored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from insight.storage.analysis_tables import FeedbackSignalRow, PostEmbeddingRow
from insight.storage.rows import chunks
from insight.storage.tables import FeedbackRow, PostRow, SignalRow, TriageActionRow, TriageItemRow


def expire_raw_text(session: Session, before: datetime) -> dict[str, int]:
    """Raw text of the scored posts and feedback answers created before ``before``: replaced by ''.
    (Signals' evidence spans are redacted when stored, so they stay.)"""
    scored = (select(PostRow.id).join(SignalRow, SignalRow.post_pk == PostRow.id)
              .join(PostEmbeddingRow, PostEmbeddingRow.post_pk == PostRow.id)
              .where(PostRow.created_at < before, PostRow.text != ""))
    pks = list(session.scalars(scored))
    for chunk in chunks(pks):
        session.execute(update(PostRow).where(PostRow.id.in_(chunk)).values(text=""))
    answers = list(session.scalars(
        select(FeedbackRow.response_id)
        .join(FeedbackSignalRow, FeedbackSignalRow.response_id == FeedbackRow.response_id)
        .where(FeedbackRow.created_at < before, FeedbackRow.text != "")))
    for chunk in chunks(answers):
        session.execute(update(FeedbackRow).where(FeedbackRow.response_id.in_(chunk)).values(text=""))
    return {"posts_raw_text_expired": len(pks), "feedback_raw_text_expired": len(answers)}


def thin_signals(session: Session, before: datetime) -> int:
    """Signals of posts created before ``before`` keep their labels and scores (what reports count)
    and lose their detail: per-class scores, emotions and evidence spans."""
    pks = list(session.scalars(select(SignalRow.post_pk).join(PostRow, PostRow.id == SignalRow.post_pk)
                               .where(PostRow.created_at < before)))
    for chunk in chunks(pks):
        session.execute(update(SignalRow).where(SignalRow.post_pk.in_(chunk))
                        .values(sentiment_scores={}, emotion=None, safety_evidence=None))
    return len(pks)


def drop_queue_history(session: Session, before: datetime) -> dict[str, int]:
    """Rankings (``triage_items``) and queue audit rows (``triage_actions``) older than ``before``."""
    items = session.execute(delete(TriageItemRow).where(TriageItemRow.as_of < before)).rowcount
    actions = session.execute(delete(TriageActionRow).where(TriageActionRow.at < before)).rowcount
    return {"triage_items_dropped": int(items or 0), "triage_actions_dropped": int(actions or 0)}

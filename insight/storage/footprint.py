"""A member's footprint: every stored row about a set of accounts, as plain dicts.

Read by ``insight.services.members.export``; erasure (``insight.storage.erasure``) removes what this
finds, so the two are kept side by side in what they cover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from insight.storage import persons, privacy_audit
from insight.storage.analysis_tables import FeedbackSignalRow, PostEmbeddingRow
from insight.storage.business_tables import AccountLinkRow, TouchpointRow
from insight.storage.privacy_tables import ErasureRow, MemberIdentityRow, PersonAccountRow
from insight.storage.rows import chunks, values
from insight.storage.tables import (
    FeedbackRow,
    MemberRow,
    PostRow,
    ReviewDecisionRow,
    SignalRow,
    StoryLinkRow,
    StoryRow,
    TagSuggestionRow,
    TopicAssignmentRow,
    TriageQueueRow,
)


def _rows(session: Session, table: Any, column: Any, keys: Sequence[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for chunk in chunks(sorted(set(keys))):
        out += [values(r) for r in session.scalars(select(table).where(column.in_(chunk)))]
    return out


def footprint(session: Session, author_ids: Sequence[str]) -> dict[str, Any]:
    """Every row held about ``author_ids``, per table (embeddings as a count: they are numbers)."""
    ids = sorted(set(author_ids))
    posts = sorted(_rows(session, PostRow, PostRow.author_id, ids), key=lambda r: (r["created_at"], r["id"]))
    pks = [p["id"] for p in posts]
    stories = _rows(session, StoryRow, StoryRow.author_id, ids)
    story_ids = [s["story_id"] for s in stories]
    answers = _rows(session, FeedbackRow, FeedbackRow.author_id, ids)
    embeddings = sum(int(session.scalar(select(func.count(PostEmbeddingRow.post_pk))
                                        .where(PostEmbeddingRow.post_pk.in_(chunk))) or 0) for chunk in chunks(pks))
    return {
        "members": _rows(session, MemberRow, MemberRow.author_id, ids),
        "identities": _rows(session, MemberIdentityRow, MemberIdentityRow.author_id, ids),
        "person_links": _rows(session, PersonAccountRow, PersonAccountRow.author_id, ids),
        "posts": posts,
        "signals": _rows(session, SignalRow, SignalRow.post_pk, pks),
        "topic_assignments": _rows(session, TopicAssignmentRow, TopicAssignmentRow.post_pk, pks),
        "embeddings": embeddings,
        "feedback_answers": answers,
        "feedback_signals": _rows(session, FeedbackSignalRow, FeedbackSignalRow.response_id,
                                  [a["response_id"] for a in answers]),
        "stories": stories,
        "tag_suggestions": _rows(session, TagSuggestionRow, TagSuggestionRow.story_id, story_ids),
        "review_decisions": _rows(session, ReviewDecisionRow, ReviewDecisionRow.story_id, story_ids),
        "story_links": _rows(session, StoryLinkRow, StoryLinkRow.story_id, story_ids),
        "triage_evidence": _triage_evidence(session, {p["post_id"] for p in posts}),
        "account_links": _rows(session, AccountLinkRow, AccountLinkRow.author_id, ids),
        "touchpoints": _rows(session, TouchpointRow, TouchpointRow.author_id, ids),
        "consent_history": persons.consent_history(session, ids),
        "privacy_audit": privacy_audit.rows(session, ids),
        "erasures": _rows(session, ErasureRow, ErasureRow.subject, ids),
    }


def _triage_evidence(session: Session, post_ids: set[str]) -> list[dict[str, Any]]:
    """Queue items that cite one of the posts as evidence: the item and the posts it cites."""
    if not post_ids:
        return []
    out = []
    for row in session.scalars(select(TriageQueueRow).order_by(TriageQueueRow.id)):
        cited = sorted(post_ids.intersection(str(p) for p in (row.evidence_post_ids or [])))
        if cited:
            out.append({"item_id": row.id, "thread_key": row.thread_key, "status": row.status,
                        "reasons": row.reasons, "explanation": row.explanation, "evidence_post_ids": cited,
                        "details": _own_spans(row.details, post_ids), "run_id": row.run_id, "model": row.model,
                        "model_revision": row.model_revision, "config_hash": row.config_hash})
    return out


def _own_spans(details: list[Any], post_ids: set[str]) -> list[dict[str, Any]]:
    """The queue item's per-signal details with only the spans of the member's own posts (another
    member's words are not theirs to receive)."""
    out = []
    for signal in details or []:
        spans = [s for s in signal.get("spans", []) if s.get("post_id") in post_ids]
        out.append({**signal, "spans": spans} if "spans" in signal else signal)
    return out

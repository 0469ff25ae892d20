"""Erasure: every row of text a member wrote, and what was derived from it, removed for good.

``erase_authors`` deletes the accounts' posts (raw and redacted text, titles, signals with their
evidence spans, embeddings, topic assignments, claims), feedback answers, stories with their tag
suggestions, review decisions and links, the queue's quoted evidence spans, scoring jobs still
holding raw rows, the member records, identity hashes, links and consent history, and every
materialised report (they quote stories; readers rebuild them), and words only they used from the
stored topic models' vocabularies, words and labels (``topic_scrub``). The privacy audit keeps its rows
with the notes tombstoned (``privacy_audit.tombstone``), and an ``erasures`` row records what went.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from insight.storage import persons, privacy_audit, topic_scrub
from insight.storage.analysis_tables import AnalysisClaimRow, FeedbackSignalRow, MaterialisedReportRow
from insight.storage.business_tables import AccountLinkRow, TouchpointRow
from insight.storage.posts import purge_author
from insight.storage.privacy_tables import ErasureRow
from insight.storage.rows import chunks
from insight.storage.tables import (
    FeedbackRow,
    MemberRow,
    PostRow,
    ReviewDecisionRow,
    ScoringJobRow,
    StoryLinkRow,
    StoryRow,
    TagSuggestionRow,
    TriageQueueRow,
)


def erase_authors(session: Session, author_ids: Sequence[str], job_ids: Sequence[int] = ()) -> dict[str, int]:
    """Remove what ``author_ids`` wrote and what came of it; returns rows removed per kind.
    ``job_ids``: scoring jobs whose raw row is theirs (the caller knows the pseudonym key)."""
    ids = sorted(set(author_ids))
    words = _their_topic_words(session, ids)
    post_ids = set(session.scalars(select(PostRow.post_id).where(PostRow.author_id.in_(ids))))
    pks = list(session.scalars(select(PostRow.id).where(PostRow.author_id.in_(ids))))
    counts: dict[str, int] = {"stories": delete_stories(session, ids)}
    counts["queue_spans"] = scrub_queue(session, post_ids)
    counts["scoring_jobs"] = _clear_jobs(session, pks, job_ids)
    answers = list(session.scalars(select(FeedbackRow.response_id).where(FeedbackRow.author_id.in_(ids))))
    for chunk in chunks(answers):
        session.execute(delete(FeedbackSignalRow).where(FeedbackSignalRow.response_id.in_(chunk)))
        session.execute(delete(AnalysisClaimRow).where(AnalysisClaimRow.response_id.in_(chunk)))
    counts["feedback"] = len(answers)
    counts["posts"] = sum(purge_author(session, author_id) for author_id in ids)
    counts["members"] = int(session.execute(delete(MemberRow).where(MemberRow.author_id.in_(ids))).rowcount or 0)
    counts["account_links"] = int(session.execute(delete(AccountLinkRow).where(AccountLinkRow.author_id.in_(ids)))
                                  .rowcount or 0)
    counts["touchpoints"] = int(session.execute(delete(TouchpointRow).where(TouchpointRow.author_id.in_(ids)))
                                .rowcount or 0)
    counts.update(persons.forget(session, ids))
    counts["audit_tombstoned"] = privacy_audit.tombstone(session, ids)
    counts["reports_invalidated"] = invalidate_reports(session)
    session.flush()
    only_theirs = words - topic_scrub.used_elsewhere(session, words)  # checked once their posts are gone
    counts["topic_words_scrubbed"] = topic_scrub.scrub_words(session, only_theirs)
    return counts


def _their_topic_words(session: Session, author_ids: Sequence[str]) -> set[str]:
    """The words of the authors' texts (raw and redacted) that a stored topic model or topic holds."""
    vocabulary = topic_scrub.topic_vocabulary(session)
    if not vocabulary:
        return set()
    theirs: set[str] = set()
    for column, author in ((PostRow.text, PostRow.author_id), (PostRow.text_redacted, PostRow.author_id),
                           (PostRow.title, PostRow.author_id), (FeedbackRow.text, FeedbackRow.author_id)):
        for chunk in chunks(list(author_ids)):
            for text_value in session.scalars(select(column).where(author.in_(chunk))):
                theirs.update(w.lower() for w in re.findall(r"[^\W_]+", text_value or ""))
    return theirs & vocabulary


def delete_stories(session: Session, author_ids: Sequence[str]) -> int:
    """The authors' stories with their suggestions, review decisions and links (the story audit
    keeps its rows: ids, tags and scores, no text)."""
    story_ids = list(session.scalars(select(StoryRow.story_id).where(StoryRow.author_id.in_(list(author_ids)))))
    for chunk in chunks(story_ids):
        session.execute(delete(StoryLinkRow).where(StoryLinkRow.story_id.in_(chunk)))
        session.execute(delete(ReviewDecisionRow).where(ReviewDecisionRow.story_id.in_(chunk)))
        session.execute(delete(TagSuggestionRow).where(TagSuggestionRow.story_id.in_(chunk)))
        session.execute(delete(StoryRow).where(StoryRow.story_id.in_(chunk)))
    return len(story_ids)


def scrub_queue(session: Session, post_ids: set[str]) -> int:
    """Drop the quoted evidence spans of ``post_ids`` from the queue's details; returns spans dropped."""
    if not post_ids:
        return 0
    dropped = 0
    for row in session.scalars(select(TriageQueueRow)):
        details, n = _scrubbed(row.details, post_ids)
        if n:
            row.details = details
            dropped += n
    session.flush()
    return dropped


def _scrubbed(value: Any, post_ids: set[str]) -> tuple[Any, int]:
    if isinstance(value, list):
        items = [_scrubbed(v, post_ids) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(value, dict):
        if value.get("post_id") in post_ids and "span" in value:
            return {k: v for k, v in value.items() if k not in ("span", "start", "end")}, 1
        items2 = {k: _scrubbed(v, post_ids) for k, v in value.items()}
        return {k: v for k, (v, _) in items2.items()}, sum(n for _, n in items2.values())
    return value, 0


def _clear_jobs(session: Session, pks: Sequence[int], job_ids: Sequence[int]) -> int:
    cleared = 0
    for chunk in chunks(list(pks)):
        cleared += int(session.execute(update(ScoringJobRow).where(ScoringJobRow.post_pk.in_(chunk))
                                       .values(row={})).rowcount or 0)
    if job_ids:
        cleared += int(session.execute(delete(ScoringJobRow).where(ScoringJobRow.id.in_(list(job_ids)))).rowcount or 0)
    return cleared


def invalidate_reports(session: Session) -> int:
    """Delete every materialised report: the next read rebuilds it from what is stored now."""
    return int(session.execute(delete(MaterialisedReportRow)).rowcount or 0)


def record(session: Session, subject: str, person_id: str | None, reason: str, actor: str, at: datetime,
           counts: dict[str, int]) -> int:
    row = ErasureRow(subject=subject, person_id=person_id, reason=reason, actor=actor[:120], at=at, counts=counts)
    session.add(row)
    session.flush()
    return row.id


def pending_job_rows(session: Session) -> list[tuple[int, str, dict[str, Any]]]:
    """(id, format, raw row) of the scoring jobs still holding a raw row."""
    stmt = select(ScoringJobRow.id, ScoringJobRow.fmt, ScoringJobRow.row).where(ScoringJobRow.status != "done")
    return [(i, f, r or {}) for i, f, r in session.execute(stmt)]


def withdraw_author(session: Session, author_id: str) -> dict[str, int]:
    """Consent withdrawn at ingest: the member's posts, answers and stories go with their text (the
    member record stays, holding the "no"); reports that may quote them are invalidated."""
    post_ids = set(session.scalars(select(PostRow.post_id).where(PostRow.author_id == author_id)))
    counts = {"stories": delete_stories(session, [author_id]), "queue_spans": scrub_queue(session, post_ids),
              "posts": purge_author(session, author_id)}
    if counts["stories"] or counts["posts"]:
        counts["reports_invalidated"] = invalidate_reports(session)
    return counts

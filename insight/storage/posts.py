"""Posts, their threads and feedback answers: writes from ingest, reads for analysis, reports and review.

Each post comes back with its author's stored analytics consent where a caller must decide
whether it is analysed (``insight.privacy.consent`` decides, above storage). Raw text leaves
only for the models (``stored_posts``, ``scoring_state``); everything shown is ``text_redacted``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from insight.records import FeedbackAnswer, Post, StoredPost, utc
from insight.storage.analysis_tables import AnalysisClaimRow, PostEmbeddingRow
from insight.storage.rows import STREAM_CHUNK, chunks, streamed, values
from insight.storage.tables import (
    FeedbackRow,
    MemberRow,
    PostRow,
    SignalRow,
    ThreadRow,
    TopicAssignmentRow,
    TriageQueueRow,
)

_FRAME_COLUMNS = ["post_id", "thread_id", "author_id", "created_at", "kind", "parent_id", "accepted_answer", "channel",
                  "platform", "helpful_votes"]
_TEXT_COLUMNS = ("post_id", "thread_id", "author_id", "kind", "parent_id", "channel", "platform")
_TEXT = "string[pyarrow]"


def thread_key(platform: str, thread_id: str) -> str:
    return f"{platform}:{thread_id}"


# --- writes -------------------------------------------------------------------------------


def existing_post_ids(session: Session, platform: str, post_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(list(post_ids)):
        stmt = select(PostRow.post_id).where(PostRow.platform == platform, PostRow.post_id.in_(chunk))
        found.update(session.scalars(stmt))
    return found


def insert_post(session: Session, post: Post, text_redacted: str, source: str | None, run_id: str) -> None:
    insert_posts(session, [(post, text_redacted, source)], run_id)


def insert_posts(session: Session, items: Sequence[tuple[Post, str, str | None]], run_id: str) -> None:
    """``insert_post`` for a batch of (post, redacted text, source): the batch's threads are read in one
    query and written in one flush, then the posts in another (a round trip per post made PostgreSQL slow)."""
    keys = sorted({thread_key(p.platform, p.thread_id) for p, _, _ in items})
    threads = {t.thread_key: t for chunk in chunks(keys)
               for t in session.scalars(select(ThreadRow).where(ThreadRow.thread_key.in_(chunk)))}
    for post, _, _ in items:
        key = thread_key(post.platform, post.thread_id)
        thread = threads.get(key)
        if thread is None:
            threads[key] = ThreadRow(thread_key=key, platform=post.platform, thread_id=post.thread_id,
                                     channel=post.channel, title=post.title, created_at=post.created_at)
            session.add(threads[key])
        else:
            _update_thread(thread, post)
    session.flush()  # threads first: the posts' foreign key needs them
    session.add_all([_post_row(post, text_redacted, source, run_id) for post, text_redacted, source in items])
    session.flush()


def _update_thread(thread: ThreadRow, post: Post) -> None:
    # The thread's title and start come from its earliest post, whatever the ingest order.
    if post.title and (not thread.title or post.created_at < utc(thread.created_at)):  # type: ignore[operator]
        thread.title = post.title
    if post.created_at < utc(thread.created_at):  # type: ignore[operator]
        thread.created_at = post.created_at
    thread.channel = thread.channel or post.channel


def _post_row(post: Post, text_redacted: str, source: str | None, run_id: str) -> PostRow:
    return PostRow(
        platform=post.platform, post_id=post.post_id, thread_key=thread_key(post.platform, post.thread_id),
        author_id=post.author_id, created_at=post.created_at, text=post.text, text_redacted=text_redacted,
        channel=post.channel, parent_id=post.parent_id, title=post.title, kind=post.kind,
        accepted_answer=post.accepted_answer, reactions=post.reactions, helpful_votes=post.helpful_votes,
        views=post.views, url=post.url, source=source, run_id=run_id)


def insert_feedback(session: Session, answer: FeedbackAnswer, text_redacted: str, run_id: str) -> bool:
    if session.get(FeedbackRow, answer.response_id) is not None:
        return False
    session.add(FeedbackRow(
        response_id=answer.response_id, prompt_id=answer.prompt_id, moment=answer.moment,
        author_id=answer.author_id, created_at=answer.created_at, text=answer.text,
        text_redacted=text_redacted, rating=answer.rating, run_id=run_id,
    ))
    return True


def rekey_author(session: Session, old: str, new: str) -> int:
    """Posts and feedback of author ``old`` now belong to ``new`` (an account linked to its member).

    Returns the number of posts moved.
    """
    moved = session.execute(update(PostRow).where(PostRow.author_id == old).values(author_id=new)).rowcount
    session.execute(update(FeedbackRow).where(FeedbackRow.author_id == old).values(author_id=new))
    return int(moved or 0)


def purge_author(session: Session, author_id: str) -> int:
    """Remove everything a member wrote (consent withdrawn) and what was derived from it. Returns posts removed."""
    post_pks = list(session.scalars(select(PostRow.id).where(PostRow.author_id == author_id)))
    threads = set(session.scalars(select(PostRow.thread_key).where(PostRow.author_id == author_id,
                                                                   PostRow.title.is_not(None))))
    for chunk in chunks(post_pks):
        for table in (SignalRow, TopicAssignmentRow, PostEmbeddingRow, AnalysisClaimRow):  # embeddings: issue 19
            session.execute(delete(table).where(table.post_pk.in_(chunk)))
        session.execute(delete(PostRow).where(PostRow.id.in_(chunk)))
    session.execute(delete(FeedbackRow).where(FeedbackRow.author_id == author_id))
    for key in sorted(threads):
        _retitle(session, key)
    return len(post_pks)


def _retitle(session: Session, thread_key: str) -> None:
    """A thread's title after its titled post went: the earliest remaining post's title, else none.

    The queue's copy of the title follows, so a withdrawn member's title is shown nowhere.
    """
    title = session.scalar(select(PostRow.title).where(PostRow.thread_key == thread_key, PostRow.title.is_not(None))
                           .order_by(PostRow.created_at, PostRow.id).limit(1))
    session.execute(update(ThreadRow).where(ThreadRow.thread_key == thread_key).values(title=title))
    session.execute(update(TriageQueueRow).where(TriageQueueRow.thread_key == thread_key).values(title=title))


# --- reads for analysis ---------------------------------------------------------------------


def stored_posts(session: Session, thread_keys: Sequence[str] | None = None) -> list[tuple[StoredPost, bool | None]]:
    """Every post (of ``thread_keys`` when given) in thread and time order, with its author's stored
    analytics consent. The consent is None both for unknown consent and for authors with no member record.
    """
    stmt = select(PostRow, MemberRow.consent_analytics).outerjoin(MemberRow, MemberRow.author_id == PostRow.author_id)
    stmt = stmt.order_by(PostRow.thread_key, PostRow.created_at, PostRow.id)
    if thread_keys is None:
        return [(StoredPost(pk=row.id, post=_post(row), text_redacted=row.text_redacted), consent)
                for row, consent in session.execute(stmt)]
    out = []
    for chunk in chunks(sorted(thread_keys)):
        out += [(StoredPost(pk=row.id, post=_post(row), text_redacted=row.text_redacted), consent)
                for row, consent in session.execute(stmt.where(PostRow.thread_key.in_(chunk)))]
    return out


def active_thread_keys(session: Session, since: datetime) -> list[str]:
    """Keys of the threads with a post created at or after ``since``."""
    return list(session.scalars(select(PostRow.thread_key).where(PostRow.created_at >= since).distinct()))


def first_post_times(session: Session, author_ids: Collection[str]) -> dict[str, datetime]:
    """author id -> the time of their first stored post (UTC), for the authors among ``author_ids``."""
    out: dict[str, datetime] = {}
    for chunk in chunks(sorted(author_ids)):
        stmt = (select(PostRow.author_id, func.min(PostRow.created_at))
                .where(PostRow.author_id.in_(chunk)).group_by(PostRow.author_id))
        out.update({author: utc(at) for author, at in session.execute(stmt)})
    return out


def feedback_answers(session: Session) -> list[tuple[dict[str, Any], bool | None]]:
    """Every feedback answer (column values) by time, with its author's stored analytics consent
    (None for unknown consent and for authors with no member record)."""
    stmt = select(FeedbackRow, MemberRow.consent_analytics).outerjoin(
        MemberRow, MemberRow.author_id == FeedbackRow.author_id).order_by(FeedbackRow.created_at)
    return [(values(row), consent) for row, consent in session.execute(stmt)]


def posts_frame(session: Session) -> pd.DataFrame:
    """All posts as a DataFrame (columns of the canonical post contract), UTC times, in time order
    (the KPI inputs then cut each month's posts as a slice, not a copy: ``metrics.inputs``).

    Read a chunk at a time into Arrow-backed string columns: a cell costs its bytes and an offset
    instead of a Python object, so a million posts take about 140 megabytes of columns, and never a
    million row objects at once. (Not pandas categoricals: a groupby over one keeps unobserved
    values, which would add members with no post to every KPI.)
    """
    stmt = select(
        PostRow.post_id, PostRow.thread_key.label("thread_id"), PostRow.author_id, PostRow.created_at, PostRow.kind,
        PostRow.parent_id, PostRow.accepted_answer, PostRow.channel, PostRow.platform, PostRow.helpful_votes,
    ).order_by(PostRow.created_at, PostRow.id).execution_options(yield_per=STREAM_CHUNK)
    parts = [_frame_part(rows) for rows in session.execute(stmt).partitions()]
    return pd.concat(parts, ignore_index=True) if parts else _frame_part(())


def _frame_part(rows: Sequence[Any]) -> pd.DataFrame:
    """One chunk of rows as frame columns: the text ones Arrow-backed, times in UTC."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_FRAME_COLUMNS)
    frame = pd.DataFrame({name: pd.array(values, dtype=_TEXT) if name in _TEXT_COLUMNS else list(values)
                          for name, values in zip(_FRAME_COLUMNS, columns, strict=True)})
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def scoring_state(session: Session, platform: str, post_ids: Sequence[str]) -> dict[str, tuple[int, bool, str]]:
    """post id -> (primary key, already scored, raw text) of the stored posts among ``post_ids``."""
    rows = session.execute(
        select(PostRow.post_id, PostRow.id, PostRow.text, SignalRow.post_pk)
        .outerjoin(SignalRow, SignalRow.post_pk == PostRow.id)
        .where(PostRow.platform == platform, PostRow.post_id.in_(list(post_ids)))).all()
    return {post_id: (pk, scored is not None, text) for post_id, pk, text, scored in rows}


# --- reads for display: redacted text only --------------------------------------------------


def redacted_posts(session: Session, platform: str, post_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Thread key, post id, time (UTC), redacted text and url of the stored posts among ``post_ids``.

    Looked up by (platform, post_id), the posts' unique index.
    """
    rows = session.execute(select(PostRow.thread_key, PostRow.post_id, PostRow.created_at, PostRow.text_redacted,
                                  PostRow.url)
                           .where(PostRow.platform == platform, PostRow.post_id.in_(sorted(post_ids)))).all()
    return [{"thread_key": key, "post_id": post_id, "created_at": utc(created_at), "text_redacted": text, "url": url}
            for key, post_id, created_at, text, url in rows]


def source_texts(session: Session, source_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Redacted text, author and time of each story source: post ids, or ``feedback:<response_id>``."""
    out: dict[str, dict[str, Any]] = {}
    feedback = [s.removeprefix("feedback:") for s in source_ids if s.startswith("feedback:")]
    posts = [s for s in source_ids if not s.startswith("feedback:")]
    for row in session.scalars(select(PostRow).where(PostRow.post_id.in_(posts))):
        out[row.post_id] = {"text_redacted": row.text_redacted, "author_id": row.author_id,
                            "created_at": utc(row.created_at), "thread_key": row.thread_key, "channel": row.channel,
                            "url": row.url}
    for row in session.scalars(select(FeedbackRow).where(FeedbackRow.response_id.in_(feedback))):
        out[f"feedback:{row.response_id}"] = {"text_redacted": row.text_redacted, "author_id": row.author_id,
                                              "created_at": utc(row.created_at), "thread_key": None,
                                              "channel": None, "url": None}
    return out


# --- reads for reports ----------------------------------------------------------------------


def any_between(session: Session, start: datetime, end: datetime) -> bool:
    """Whether a post was created in [start, end) (the first match on ``ix_posts_created_at``, not a count)."""
    return session.scalar(select(PostRow.id).where(PostRow.created_at >= start, PostRow.created_at < end)
                          .limit(1)) is not None


def time_span(session: Session) -> tuple[datetime | None, datetime | None]:
    """The first and the last post's creation time as stored (None, None when nothing is stored)."""
    # Two subqueries, not min() and max() in one select: SQLite reads either end of
    # ix_posts_created_at only for a lone min() or max(), and scans every post otherwise.
    first = select(func.min(PostRow.created_at)).scalar_subquery()
    last = select(func.max(PostRow.created_at)).scalar_subquery()
    return tuple(session.execute(select(first, last)).one())  # type: ignore[return-value]


def snapshot_rows(session: Session, before: datetime) -> Iterator[tuple[Any, ...]]:
    """The post columns a report reads, of posts created before ``before``, in (platform, post id) order."""
    stmt = (select(PostRow.platform, PostRow.post_id, PostRow.thread_key, PostRow.author_id, PostRow.created_at,
                   PostRow.text_redacted, PostRow.channel, PostRow.kind, PostRow.parent_id, PostRow.accepted_answer)
            .where(PostRow.created_at < before).order_by(PostRow.platform, PostRow.post_id))
    return streamed(session, stmt)


def _post(row: PostRow) -> Post:
    # An empty raw text was expired by retention (ingest never stores one): the redacted copy stands in.
    _, _, thread_id = row.thread_key.partition(":")
    return Post(post_id=row.post_id, thread_id=thread_id, author_id=row.author_id,
                created_at=utc(row.created_at), text=row.text or row.text_redacted, platform=row.platform,  # type: ignore[arg-type]
                channel=row.channel, parent_id=row.parent_id, title=row.title, kind=row.kind,
                accepted_answer=row.accepted_answer, reactions=row.reactions, helpful_votes=row.helpful_votes,
                views=row.views, url=row.url)

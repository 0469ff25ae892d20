"""What a month's KPIs need of the stored posts, aggregated in the database: one row per member or per
question, never one per post, so computing KPIs holds memory in proportion to a month's members and
questions, not to the corpus.

Each read counts posts as ``insight.metrics.inputs.prepare`` does with the frames of
``services.consented.kpi_frames``: posts created by ``as_of``; a post is *kept* unless its author has a
member record whose consent decision is no; a person's analysed linked accounts count as the person
(``privacy.identity.by_person``). The consent decision stays in ``privacy.consent``: callers pass it as
a table, stored answer -> analysed. ``metrics.aggregated`` turns these rows into KPI units, and
``tests/metrics/test_aggregated.py`` holds the two ways equal on the same data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from insight.records import utc
from insight.storage.privacy_tables import PersonAccountRow
from insight.storage.tables import MemberRow, PostRow

# stored consent answer (True, False, None: unknown) -> whether the member is analysed
Decisions = Mapping[bool | None, bool]

SPAN_COLUMNS = ["who", "first_at", "last_at"]
ACTIVITY_COLUMNS = ["who", "period_posts", "in_lookback", "period_weeks", "period_accepted", "period_votes"]
QUESTION_COLUMNS = ["who", "asked_at", "first_response_at", "first_accepted_at", "first_of_asker", "question_order",
                    "thread_order"]
REPLY_COLUMNS = ["who", "replies"]


@dataclass(frozen=True)
class Window:
    """The times a month's KPIs read: posts created by ``as_of``; the month ``[start, end)``; retention's
    lookback ``[lookback, start)``; stickiness's weeks, by their starts (the first is ``start``)."""

    start: datetime
    end: datetime
    as_of: datetime
    lookback: datetime
    week_starts: Sequence[datetime]


@dataclass(frozen=True)
class _Posts:
    """An alias of the posts table with, per post, who wrote it (the person, for an analysed linked
    account) and whether it is kept (its author is analysed or has no member record)."""

    row: Any
    who: ColumnElement[Any]
    kept: ColumnElement[bool]
    member: Any
    link: Any

    def select(self, *columns: Any) -> Select[Any]:
        """``columns`` from this alias joined to its author's member record and person link."""
        return self.people(select(*columns).select_from(self.row))

    def people(self, stmt: Select[Any]) -> Select[Any]:
        """``stmt`` (which reads this alias) joined to the author's member record and person link."""
        return (stmt.outerjoin(self.member, self.member.author_id == self.row.author_id)
                .outerjoin(self.link, self.link.author_id == self.row.author_id))


def _posts(decisions: Decisions) -> _Posts:
    row, member, link = aliased(PostRow), aliased(MemberRow), aliased(PersonAccountRow)
    answer = member.consent_analytics
    said = [answer.is_(None) if key is None else answer.is_(key) for key, yes in decisions.items() if yes]
    analysed = and_(member.author_id.is_not(None), or_(*said) if said else false())
    who = case((and_(analysed, link.person_id.is_not(None)), link.person_id), else_=row.author_id)
    return _Posts(row, who, or_(member.author_id.is_(None), analysed), member, link)


def author_spans(session: Session, decisions: Decisions, as_of: datetime) -> pd.DataFrame:
    """First and last kept post by ``as_of`` per author (person): ``SPAN_COLUMNS``."""
    p = _posts(decisions)
    stmt = p.select(p.who, func.min(p.row.created_at), func.max(p.row.created_at)).where(
        p.kept, p.row.created_at <= as_of).group_by(p.who)
    return _times(pd.DataFrame(session.execute(stmt).all(), columns=SPAN_COLUMNS), "first_at", "last_at")


def author_activity(session: Session, decisions: Decisions, window: Window) -> pd.DataFrame:
    """One row per author (person) with a kept post in the lookback or the month (by ``as_of``): posts in
    the month, any post in the lookback, weeks of the month posted in, accepted answers and helpful
    votes on the month's posts (``ACTIVITY_COLUMNS``). Reads those four months only (an index range)."""
    p = _posts(decisions)
    created = p.row.created_at
    in_month = created >= window.start
    week = case(*((created < bound, i) for i, bound in enumerate(window.week_starts[1:])),
                else_=len(window.week_starts) - 1)
    stmt = p.select(
        p.who, func.sum(case((in_month, 1), else_=0)),
        func.max(case((created < window.start, 1), else_=0)),
        func.count(func.distinct(case((in_month, week)))),
        func.sum(case((and_(in_month, p.row.accepted_answer.is_(True)), 1), else_=0)),
        func.sum(case((in_month, func.coalesce(p.row.helpful_votes, 0)), else_=0)),
    ).where(p.kept, created >= window.lookback, created < window.end, created <= window.as_of).group_by(p.who)
    frame = pd.DataFrame(session.execute(stmt).all(), columns=ACTIVITY_COLUMNS)
    frame["in_lookback"] = frame["in_lookback"].astype(bool)
    return frame


def follow_on_replies(session: Session, decisions: Decisions, window: Window) -> pd.DataFrame:
    """Per author (person) of kept posts of the month: kept replies to those posts by others, by
    ``as_of`` (``REPLY_COLUMNS``). A reply's parent is the post of that id on the reply's platform."""
    parent, reply = _posts(decisions), _posts(decisions)
    stmt = (reply.people(parent.select(parent.who, func.count()).join(
        reply.row, and_(reply.row.platform == parent.row.platform, reply.row.parent_id == parent.row.post_id)))
            .where(parent.kept, parent.row.created_at >= window.start, parent.row.created_at < window.end,
                   parent.row.created_at <= window.as_of, reply.kept, reply.row.created_at <= window.as_of,
                   reply.who != parent.who)
            .group_by(parent.who))
    return pd.DataFrame(session.execute(stmt).all(), columns=REPLY_COLUMNS)


def questions(session: Session, decisions: Decisions, as_of: datetime) -> pd.DataFrame:
    """Every question by ``as_of`` (``QUESTION_COLUMNS``): asker (person), asked_at, the first response
    by another author and the first accepted answer among the thread's kept posts, whether it is the
    asker's first question (by asked_at, then thread), and two orders: by (asked_at, root post id) and
    by (asked_at, thread id), as ``inputs.prepare`` and ``kpis.time_to_first_value`` order them.

    A question is a thread's first post (earliest, ties by post id), of kind question or none, whose
    author is kept: roots are found among every post, kept or not, so dropping an unanalysed asker's
    root drops the thread instead of promoting its first reply. Read once for the latest month a
    caller needs; an earlier month's questions are those asked by its end, with the responses and
    acceptances by then (``metrics.aggregated``).
    """
    p = _posts(decisions)
    order = (p.row.created_at, _bytewise(session, p.row.post_id))
    firsts = p.select(p.row.thread_key.label("thread_id"), p.row.post_id.label("root_post_id"), p.who.label("who"),
                      p.row.created_at.label("asked_at"), p.row.kind.label("kind"), p.kept.label("kept"),
                      func.row_number().over(partition_by=p.row.thread_key, order_by=order).label("rank"),
                      ).where(p.row.created_at <= as_of).subquery()
    asked = select(firsts.c.thread_id, firsts.c.root_post_id, firsts.c.who, firsts.c.asked_at).where(
        firsts.c.rank == 1, firsts.c.kept, or_(firsts.c.kind.is_(None), firsts.c.kind == "question")).subquery()
    r = _posts(decisions)
    response = case((and_(r.who != asked.c.who, r.row.created_at >= asked.c.asked_at), r.row.created_at))
    accepted = case((r.row.accepted_answer.is_(True), r.row.created_at))
    answered = (r.people(select(asked.c.thread_id, asked.c.root_post_id, asked.c.who, asked.c.asked_at,
                                func.min(response).label("first_response_at"),
                                func.min(accepted).label("first_accepted_at"))
                         .select_from(asked)
                         .join(r.row, and_(r.row.thread_key == asked.c.thread_id, r.row.created_at <= as_of)))
                .where(r.kept)
                .group_by(asked.c.thread_id, asked.c.root_post_id, asked.c.who, asked.c.asked_at)).subquery()
    by_thread = (answered.c.asked_at, _bytewise(session, answered.c.thread_id))
    stmt = select(
        answered.c.who, answered.c.asked_at, answered.c.first_response_at, answered.c.first_accepted_at,
        func.row_number().over(partition_by=answered.c.who, order_by=by_thread) == 1,
        func.row_number().over(order_by=(answered.c.asked_at, _bytewise(session, answered.c.root_post_id))),
        func.row_number().over(order_by=by_thread))
    frame = pd.DataFrame(session.execute(stmt).all(), columns=QUESTION_COLUMNS)
    frame["who"] = frame["who"].astype("string[pyarrow]")  # a question a row: no Python object per asker id
    frame["first_of_asker"] = frame["first_of_asker"].astype(bool)
    return _times(frame, "asked_at", "first_response_at", "first_accepted_at")


def _times(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:  # SQLite gives naive datetimes: stored times are UTC
        frame[column] = pd.to_datetime([utc(t) for t in frame[column]], utc=True)
    return frame


def _bytewise(session: Session, column: Any) -> Any:
    """``column`` ordered by its bytes, as Python orders strings (PostgreSQL's default collation
    follows the locale; SQLite compares bytes already)."""
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column

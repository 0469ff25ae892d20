"""Business data (issue 20): accounts, member links, touchpoints, outcomes and support costs.

Writes are idempotent: a row whose id is stored is a duplicate (accounts and support costs are
updated when a value changed, and keep their run id when nothing did, so a re-ingest does not
invalidate a materialised report). Reads return DataFrames for ``insight.attribution``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from insight.records import Account, AccountLink, Outcome, SupportCost, Touchpoint, utc
from insight.storage.business_tables import AccountLinkRow, AccountRow, OutcomeRow, SupportCostRow, TouchpointRow
from insight.storage.rows import chunks
from insight.storage.tables import MemberRow, PostRow

ACCOUNT_FIELDS = ("segment", "plan", "region", "size", "started_at")


def _changed(row: Any, record: Any, fields: Iterable[str]) -> bool:
    def norm(value: Any) -> Any:
        return utc(value) if isinstance(value, datetime) else value
    return any(norm(getattr(row, f)) != norm(getattr(record, f)) for f in fields)


def upsert_account(session: Session, account: Account, run_id: str) -> str:
    """``"inserted"``, ``"updated"`` (a value changed) or ``"same"``."""
    row = session.get(AccountRow, account.account_id)
    if row is None:
        session.add(AccountRow(account_id=account.account_id, run_id=run_id,
                               **{f: getattr(account, f) for f in ACCOUNT_FIELDS}))
        session.flush()
        return "inserted"
    if not _changed(row, account, ACCOUNT_FIELDS):
        return "same"
    for name in ACCOUNT_FIELDS:
        setattr(row, name, getattr(account, name))
    row.run_id = run_id
    return "updated"


def known_accounts(session: Session, account_ids: Iterable[str]) -> set[str]:
    ids = sorted(set(account_ids))
    found: set[str] = set()
    for chunk in chunks(ids):
        found.update(session.scalars(select(AccountRow.account_id).where(AccountRow.account_id.in_(chunk))))
    return found


def insert_link(session: Session, link: AccountLink, run_id: str) -> bool:
    if session.get(AccountLinkRow, (link.author_id, link.account_id)) is not None:
        return False
    session.add(AccountLinkRow(author_id=link.author_id, account_id=link.account_id, run_id=run_id))
    session.flush()
    return True


def insert_touchpoint(session: Session, touchpoint: Touchpoint, run_id: str) -> bool:
    if session.get(TouchpointRow, touchpoint.touchpoint_id) is not None:
        return False
    session.add(TouchpointRow(touchpoint_id=touchpoint.touchpoint_id, account_id=touchpoint.account_id,
                              author_id=touchpoint.author_id, occurred_at=touchpoint.occurred_at,
                              kind=touchpoint.kind, channel=touchpoint.channel, source_id=touchpoint.source_id,
                              run_id=run_id))
    session.flush()
    return True


def insert_outcome(session: Session, outcome: Outcome, run_id: str) -> bool:
    if session.get(OutcomeRow, outcome.outcome_id) is not None:
        return False
    session.add(OutcomeRow(outcome_id=outcome.outcome_id, account_id=outcome.account_id, kind=outcome.kind,
                           occurred_at=outcome.occurred_at, amount=outcome.amount, run_id=run_id))
    session.flush()
    return True


def upsert_support_cost(session: Session, cost: SupportCost, run_id: str) -> str:
    row = session.get(SupportCostRow, cost.period)
    if row is None:
        session.add(SupportCostRow(period=cost.period, tickets=cost.tickets, cost_per_ticket=cost.cost_per_ticket,
                                   run_id=run_id))
        session.flush()
        return "inserted"
    if not _changed(row, cost, ("tickets", "cost_per_ticket")):
        return "same"
    row.tickets, row.cost_per_ticket, row.run_id = cost.tickets, cost.cost_per_ticket, run_id
    return "updated"


# --- reads -----------------------------------------------------------------------------------


def _frame(session: Session, columns: list[Any], names: list[str], times: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(session.execute(select(*columns)).all(), columns=names)
    for name in times:
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def accounts_frame(session: Session) -> pd.DataFrame:
    """account_id, segment, plan, region, size, started_at (UTC)."""
    return _frame(session, [AccountRow.account_id, *(getattr(AccountRow, f) for f in ACCOUNT_FIELDS)],
                  ["account_id", *ACCOUNT_FIELDS], ("started_at",))


def links_frame(session: Session) -> pd.DataFrame:
    """author_id (pseudonym), account_id."""
    return _frame(session, [AccountLinkRow.author_id, AccountLinkRow.account_id], ["author_id", "account_id"])


def touchpoints_frame(session: Session) -> pd.DataFrame:
    """The stored touchpoints: touchpoint_id, account_id, author_id, occurred_at, kind, channel, source_id."""
    names = ["touchpoint_id", "account_id", "author_id", "occurred_at", "kind", "channel", "source_id"]
    return _frame(session, [getattr(TouchpointRow, n) for n in names], names, ("occurred_at",))


def outcomes_frame(session: Session) -> pd.DataFrame:
    """outcome_id, account_id, kind, occurred_at (UTC), amount."""
    names = ["outcome_id", "account_id", "kind", "occurred_at", "amount"]
    return _frame(session, [getattr(OutcomeRow, n) for n in names], names, ("occurred_at",))


def support_cost(session: Session, period: str) -> SupportCost | None:
    row = session.get(SupportCostRow, period)
    return None if row is None else SupportCost(row.period, row.tickets, row.cost_per_ticket)


def solved_thread_posts(session: Session, start: datetime, end: datetime) -> pd.DataFrame:
    """Posts of the threads whose accepted answer was posted in [start, end): thread_key, author_id,
    accepted_answer, views and the author's stored analytics consent answer (None: unknown)."""
    solved = select(PostRow.thread_key).where(PostRow.accepted_answer.is_(True), PostRow.created_at >= start,
                                              PostRow.created_at < end).distinct()
    stmt = (select(PostRow.thread_key, PostRow.author_id, PostRow.accepted_answer, PostRow.views,
                   MemberRow.consent_analytics)
            .outerjoin(MemberRow, MemberRow.author_id == PostRow.author_id)
            .where(PostRow.thread_key.in_(solved)))
    return pd.DataFrame(session.execute(stmt).all(),
                        columns=["thread_key", "author_id", "accepted_answer", "views", "consent_analytics"])


def post_authors(session: Session, post_ids: Iterable[str]) -> dict[str, str]:
    """post id -> author pseudonym of the stored posts among ``post_ids``."""
    out: dict[str, str] = {}
    for chunk in chunks(sorted(set(post_ids))):
        out.update(session.execute(select(PostRow.post_id, PostRow.author_id).where(PostRow.post_id.in_(chunk))).all())
    return out


def fingerprint(session: Session) -> tuple[Any, ...]:
    """What community influence reads, as aggregates: per table its row count and the run ids that
    wrote its rows (an update takes the new run's id), so a stored report is rebuilt after a change."""
    out: list[Any] = []
    for table in (AccountRow, AccountLinkRow, TouchpointRow, OutcomeRow, SupportCostRow):
        out.append(tuple(session.execute(select(table.run_id, func.count()).group_by(table.run_id)
                                         .order_by(table.run_id)).all()))
    return tuple(tuple(tuple(r) for r in runs) for runs in out)

"""Business data (issue 20): accounts, member links, touchpoints, outcomes and support costs.

Writes are idempotent and per batch (one query for the stored keys of a batch): a row whose id is
stored is a duplicate (accounts and support costs are updated when a value changed, and keep their
run id when nothing did, so a re-ingest does not invalidate a materialised report). Reads return
DataFrames for ``insight.attribution``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
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


def _existing(session: Session, table: Any, key: str, ids: Sequence[Any]) -> dict[Any, Any]:
    column = getattr(table, key)
    found: dict[Any, Any] = {}
    for chunk in chunks(sorted(set(ids))):
        found.update((getattr(row, key), row) for row in session.scalars(select(table).where(column.in_(chunk))))
    return found


def _upsert(session: Session, table: Any, key: str, fields: Sequence[str], records: Sequence[Any], run_id: str
            ) -> Counter[str]:
    """Insert new rows, update changed ones (taking ``run_id``), leave equal ones: counts of each."""
    counts: Counter[str] = Counter()
    rows = _existing(session, table, key, [getattr(r, key) for r in records])
    for record in records:
        row = rows.get(getattr(record, key))
        if row is None:
            rows[getattr(record, key)] = row = table(**{key: getattr(record, key)}, run_id=run_id,
                                                   **{f: getattr(record, f) for f in fields})
            session.add(row)
            counts["inserted"] += 1
        elif _changed(row, record, fields):
            for name in fields:
                setattr(row, name, getattr(record, name))
            row.run_id = run_id
            counts["updated"] += 1
        else:
            counts["same"] += 1
    session.flush()
    return counts


def save_accounts(session: Session, accounts: Sequence[Account], run_id: str) -> Counter[str]:
    """Accounts inserted, updated (a value changed) or left the same: counts by outcome."""
    return _upsert(session, AccountRow, "account_id", ACCOUNT_FIELDS, accounts, run_id)


def save_support_costs(session: Session, costs: Sequence[SupportCost], run_id: str) -> Counter[str]:
    return _upsert(session, SupportCostRow, "period", ("tickets", "cost_per_ticket"), costs, run_id)


def known_accounts(session: Session, account_ids: Iterable[str]) -> set[str]:
    return set(_existing(session, AccountRow, "account_id", list(account_ids)))


def _insert_new(session: Session, table: Any, keys: Sequence[str], fields: Sequence[str], records: Sequence[Any],
                run_id: str) -> Counter[str]:
    """Rows whose key is not stored (nor earlier in ``records``) inserted; the others are duplicates."""
    seen: set[tuple[Any, ...]] = set()
    if len(keys) == 1:
        seen = {(k,) for k in _existing(session, table, keys[0], [getattr(r, keys[0]) for r in records])}
    else:
        for record in records:
            if session.get(table, tuple(getattr(record, k) for k in keys)) is not None:
                seen.add(tuple(getattr(record, k) for k in keys))
    counts: Counter[str] = Counter()
    for record in records:
        key = tuple(getattr(record, k) for k in keys)
        if key in seen:
            counts["same"] += 1
            continue
        seen.add(key)
        session.add(table(run_id=run_id, **{f: getattr(record, f) for f in (*keys, *fields)}))
        counts["inserted"] += 1
    session.flush()
    return counts


def insert_links(session: Session, links: Sequence[AccountLink], run_id: str) -> Counter[str]:
    return _insert_new(session, AccountLinkRow, ("author_id", "account_id"), (), links, run_id)


def insert_touchpoints(session: Session, touchpoints: Sequence[Touchpoint], run_id: str) -> Counter[str]:
    return _insert_new(session, TouchpointRow, ("touchpoint_id",),
                       ("account_id", "author_id", "occurred_at", "kind", "channel", "source_id"), touchpoints, run_id)


def insert_outcomes(session: Session, outcomes: Sequence[Outcome], run_id: str) -> Counter[str]:
    return _insert_new(session, OutcomeRow, ("outcome_id",), ("account_id", "kind", "occurred_at", "amount"),
                       outcomes, run_id)


def support_cost(session: Session, period: str) -> SupportCost | None:
    row = session.get(SupportCostRow, period)
    return None if row is None else SupportCost(row.period, row.tickets, row.cost_per_ticket)


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


def has_outcomes(session: Session) -> bool:
    """Whether any business outcome is stored."""
    return session.scalar(select(OutcomeRow.outcome_id).limit(1)) is not None


def outcomes_frame(session: Session) -> pd.DataFrame:
    """outcome_id, account_id, kind, occurred_at (UTC), amount."""
    names = ["outcome_id", "account_id", "kind", "occurred_at", "amount"]
    return _frame(session, [getattr(OutcomeRow, n) for n in names], names, ("occurred_at",))


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

"""Claims on posts and feedback answers being scored by ``insight analyse``: leased, taken once.

A process claims the items of a batch before scoring them and commits their results only for
the claims it still holds (``owned``), deleting them in the same transaction. So two processes
never score one item, and a process that dies leaves claims another may take over: when the lease
ran out, or at once when the caller's ``gone`` says the owner process no longer exists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from insight.records import utc
from insight.storage.analysis_tables import AnalysisClaimRow
from insight.storage.rows import chunks

KINDS = ("post", "feedback")


def _column(kind: str) -> Any:
    return AnalysisClaimRow.post_pk if kind == "post" else AnalysisClaimRow.response_id


def claim(session: Session, kind: str, keys: Sequence[Any], owner: str, *, now: datetime, lease_seconds: float,
          gone: Callable[[str], bool]) -> set[Any]:
    """Claim ``keys`` (post pks or response ids) for ``owner``; returns the keys it now holds."""
    column = _column(kind)
    held: set[Any] = set()
    for chunk in chunks(list(keys)):
        others = session.execute(select(column, AnalysisClaimRow.owner, AnalysisClaimRow.lease_until)
                                 .where(column.in_(chunk), AnalysisClaimRow.owner != owner)).all()
        for key, other, until in others:
            if utc(until) < now or gone(other):  # type: ignore[operator]
                # Only while that owner still holds it: a concurrent takeover deletes nothing twice.
                session.execute(delete(AnalysisClaimRow).where(column == key, AnalysisClaimRow.owner == other))
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        lease = now + timedelta(seconds=lease_seconds)
        session.execute(insert(AnalysisClaimRow).values([{column.key: k, "owner": owner, "lease_until": lease}
                                                         for k in chunk])
                        .on_conflict_do_nothing(index_elements=[column.key]))
        held |= owned(session, kind, chunk, owner)
    return held


def owned(session: Session, kind: str, keys: Sequence[Any], owner: str) -> set[Any]:
    """The keys among ``keys`` that ``owner`` holds now."""
    column = _column(kind)
    out: set[Any] = set()
    for chunk in chunks(list(keys)):
        out.update(session.scalars(select(column).where(column.in_(chunk), AnalysisClaimRow.owner == owner)))
    return out


def finish(session: Session, kind: str, keys: Sequence[Any], owner: str) -> None:
    """Drop ``owner``'s claims on ``keys`` (their results are being committed in this transaction)."""
    column = _column(kind)
    for chunk in chunks(list(keys)):
        session.execute(delete(AnalysisClaimRow).where(column.in_(chunk), AnalysisClaimRow.owner == owner))


def release(session: Session, owner: str) -> int:
    """Drop every claim ``owner`` still holds (a run that ends, or fails, gives back what it did not finish)."""
    return session.execute(delete(AnalysisClaimRow).where(AnalysisClaimRow.owner == owner)).rowcount  # type: ignore[attr-defined]

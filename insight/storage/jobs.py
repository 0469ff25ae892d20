"""Scoring jobs of webhook posts: queued, claimed under a lease, done once (see ``insight.services.jobs``).

Every write that finishes or gives back a job checks that the worker still holds its lease, so a
worker whose lease ran out changes nothing. Jobs come back as dicts of ``JOB_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from insight.storage.tables import ScoringJobRow

JOB_COLUMNS = ("id", "platform", "post_id", "fmt", "source", "row", "attempts")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def enqueue(session: Session, jobs: Sequence[dict[str, Any]]) -> int:
    """Insert jobs (column values); one already queued for its (platform, post_id), in any status, is skipped.

    Returns how many were inserted.
    """
    if not jobs:
        return 0
    insert = postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert
    stmt = (insert(ScoringJobRow).values(list(jobs)).on_conflict_do_nothing(index_elements=["platform", "post_id"])
            .returning(ScoringJobRow.id))
    return len(session.execute(stmt).all())


def claim(session: Session, worker: str, *, now: datetime, limit: int, max_attempts: int,
          lease_seconds: float) -> list[dict[str, Any]]:
    """Lease up to ``limit`` queued jobs (or running ones whose lease ran out) to ``worker``, by id."""
    expired = and_(ScoringJobRow.status == "running", ScoringJobRow.lease_until < now)
    # Jobs that used every attempt (and whose last worker died) fail for good instead of looping.
    session.execute(update(ScoringJobRow).where(expired, ScoringJobRow.attempts >= max_attempts)
                    .values(status="failed", lease_owner=None, finished_at=now, row={},
                            error=func.coalesce(ScoringJobRow.error, "lease ran out on every attempt")))
    claimable = or_(ScoringJobRow.status == "queued", expired)
    pick = select(ScoringJobRow.id).where(claimable).order_by(ScoringJobRow.id).limit(limit)
    if _dialect(session) == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    # ``claimable`` is checked again on the row itself: on PostgreSQL a concurrent claim that
    # won the row makes it fail here, so two workers never hold one job.
    stmt = (update(ScoringJobRow).where(ScoringJobRow.id.in_(pick.scalar_subquery()), claimable)
            .values(status="running", lease_owner=worker, attempts=ScoringJobRow.attempts + 1,
                    lease_until=now + timedelta(seconds=lease_seconds))
            .returning(*(getattr(ScoringJobRow, c) for c in JOB_COLUMNS)))
    jobs = [dict(zip(JOB_COLUMNS, r, strict=True)) for r in session.execute(stmt).all()]
    return sorted(jobs, key=lambda j: j["id"])


def finish(session: Session, job_id: int, worker: str, *, outcome: str, post_pk: int | None, now: datetime) -> bool:
    """Mark a job done (its row emptied: raw text stays only in ``posts``); False when ``worker`` lost the lease."""
    result = session.execute(
        update(ScoringJobRow).where(ScoringJobRow.id == job_id, ScoringJobRow.lease_owner == worker,
                                    ScoringJobRow.status == "running")
        .values(status="done", outcome=outcome, finished_at=now, row={}, lease_owner=None, error=None,
                post_pk=post_pk))
    return result.rowcount == 1  # type: ignore[attr-defined]


def release(session: Session, job_id: int, worker: str, *, final: bool, error: str, now: datetime) -> None:
    """Give a job back after an error: queued again, or failed when ``final``; only while ``worker`` holds it.

    A failed job's row (raw text, raw author id) is emptied: the job is kept as a record, not its content.
    """
    final_values: dict[str, Any] = {"row": {}} if final else {}
    session.execute(update(ScoringJobRow).where(ScoringJobRow.id == job_id, ScoringJobRow.lease_owner == worker)
                    .values(status="failed" if final else "queued", lease_owner=None, lease_until=None,
                            error=error, finished_at=now if final else None, **final_values))


def has_pending(session: Session) -> bool:
    """Whether some job is queued or running."""
    return session.scalar(select(ScoringJobRow.id).where(ScoringJobRow.status.in_(("queued", "running")))
                          .limit(1)) is not None


def retry_failed(session: Session) -> int:
    """Queue every failed job again with fresh attempts; returns how many."""
    result = session.execute(update(ScoringJobRow).where(ScoringJobRow.status == "failed")
                             .values(status="queued", attempts=0, lease_owner=None, lease_until=None,
                                     finished_at=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def counts(session: Session) -> tuple[dict[str, int], dict[str, int], datetime | None]:
    """Jobs per status, jobs per outcome, and when the oldest queued job was created (as stored)."""
    by_status = dict(session.execute(select(ScoringJobRow.status, func.count())
                                     .group_by(ScoringJobRow.status)).all())
    by_outcome = dict(session.execute(select(ScoringJobRow.outcome, func.count())
                                      .where(ScoringJobRow.outcome.is_not(None))
                                      .group_by(ScoringJobRow.outcome)).all())
    oldest = session.scalar(select(func.min(ScoringJobRow.created_at)).where(ScoringJobRow.status == "queued"))
    return by_status, by_outcome, oldest  # type: ignore[return-value]

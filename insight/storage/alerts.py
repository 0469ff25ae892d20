"""Alert jobs: queued by the queue refresh, claimed under a lease, delivered once (``insight.services.alerts``).

Every write that records an attempt checks that the notifier still holds the lease, so a notifier
whose lease ran out (or that died) changes nothing. Jobs come back as dicts of ``ALERT_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from insight.storage.alert_tables import AlertJobRow

ALERT_COLUMNS = ("id", "destination", "dedupe_key", "delivery_id", "queue_item_id", "payload", "status", "attempts",
                 "next_attempt_at", "created_at", "delivered_at", "last_status", "error")


def enqueue(session: Session, alerts: Sequence[dict[str, Any]]) -> int:
    """Insert alerts (column values); one already stored for its (destination, dedupe_key) is skipped.

    Returns how many were inserted.
    """
    if not alerts:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (insert(AlertJobRow).values(list(alerts))
            .on_conflict_do_nothing(index_elements=["destination", "dedupe_key"]).returning(AlertJobRow.id))
    return len(session.execute(stmt).all())


def claim(session: Session, owner: str, *, now: datetime, limit: int, lease_seconds: float) -> list[dict[str, Any]]:
    """Lease up to ``limit`` due alerts (queued and due, or running with a lease that ran out) to ``owner``."""
    expired = and_(AlertJobRow.status == "running", AlertJobRow.lease_until < now)
    claimable = or_(and_(AlertJobRow.status == "queued", AlertJobRow.next_attempt_at <= now), expired)
    pick = select(AlertJobRow.id).where(claimable).order_by(AlertJobRow.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    # ``claimable`` checked again on the row: a concurrent claim that won it makes this a no-op.
    stmt = (update(AlertJobRow).where(AlertJobRow.id.in_(pick.scalar_subquery()), claimable)
            .values(status="running", lease_owner=owner, attempts=AlertJobRow.attempts + 1,
                    lease_until=now + timedelta(seconds=lease_seconds))
            .returning(*(getattr(AlertJobRow, c) for c in ALERT_COLUMNS)))
    return sorted((dict(zip(ALERT_COLUMNS, r, strict=True)) for r in session.execute(stmt).all()),
                  key=lambda a: a["id"])


def delivered(session: Session, alert_id: int, owner: str, *, now: datetime, status: int) -> bool:
    """Mark an alert delivered after a 2xx; False when ``owner`` no longer holds it."""
    result = session.execute(
        update(AlertJobRow).where(AlertJobRow.id == alert_id, AlertJobRow.lease_owner == owner,
                                  AlertJobRow.status == "running")
        .values(status="delivered", delivered_at=now, lease_owner=None, lease_until=None, last_status=status,
                error=None))
    return result.rowcount == 1  # type: ignore[attr-defined]


def retry_later(session: Session, alert_id: int, owner: str, *, at: datetime | None, error: str,
                status: int | None) -> bool:
    """After a failed attempt: queued again for ``at``, or failed for good when ``at`` is None."""
    values: dict[str, Any] = ({"status": "queued", "next_attempt_at": at} if at is not None else {"status": "failed"})
    result = session.execute(
        update(AlertJobRow).where(AlertJobRow.id == alert_id, AlertJobRow.lease_owner == owner,
                                  AlertJobRow.status == "running")
        .values(lease_owner=None, lease_until=None, error=error, last_status=status, **values))
    return result.rowcount == 1  # type: ignore[attr-defined]


def fail_exhausted(session: Session, *, now: datetime, max_attempts: int) -> int:
    """Running alerts whose lease ran out on their last attempt fail for good instead of looping."""
    result = session.execute(
        update(AlertJobRow).where(AlertJobRow.status == "running", AlertJobRow.lease_until < now,
                                  AlertJobRow.attempts >= max_attempts)
        .values(status="failed", lease_owner=None, lease_until=None,
                error=func.coalesce(AlertJobRow.error, "the notifier died on every attempt")))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def requeue(session: Session, alert_id: int | None, *, now: datetime) -> int:
    """Queue failed alerts again with fresh attempts (one, or every failed one); returns how many."""
    stmt = update(AlertJobRow).where(AlertJobRow.status == "failed")
    if alert_id is not None:
        stmt = stmt.where(AlertJobRow.id == alert_id)
    result = session.execute(stmt.values(status="queued", attempts=0, next_attempt_at=now, error=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def alerts(session: Session, *, statuses: Sequence[str] | None = None, limit: int | None = None
           ) -> list[dict[str, Any]]:
    """Alerts, newest first."""
    stmt = select(*(getattr(AlertJobRow, c) for c in ALERT_COLUMNS)).order_by(AlertJobRow.id.desc()).limit(limit)
    if statuses:
        stmt = stmt.where(AlertJobRow.status.in_(list(statuses)))
    return [dict(zip(ALERT_COLUMNS, r, strict=True)) for r in session.execute(stmt).all()]


def next_due(session: Session) -> datetime | None:
    """When the earliest queued alert is due (as stored), or None."""
    return session.scalar(select(func.min(AlertJobRow.next_attempt_at)).where(AlertJobRow.status == "queued"))


def has_pending(session: Session) -> bool:
    """Whether some alert is queued or running."""
    return session.scalar(select(AlertJobRow.id).where(AlertJobRow.status.in_(("queued", "running")))
                          .limit(1)) is not None


def exists(session: Session, alert_id: int) -> bool:
    return session.get(AlertJobRow, alert_id) is not None

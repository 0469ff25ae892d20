"""ORM table of alerts (issue 18): new queue items waiting to be sent to a configured destination.

Kept beside ``tables`` (same ``Base``); ``schema`` imports it so migrations see it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from insight.storage.tables import Base


class AlertJobRow(Base):
    """One alert for one destination: queued, claimed under a lease, delivered once (``insight.services.alerts``).

    ``(destination, dedupe_key)`` is unique, so a queue refresh that runs twice (or two processes
    refreshing at once) queues one alert per item episode. ``delivery_id`` is sent with every
    attempt, so a receiver that got an attempt whose answer was lost (the notifier died before it
    recorded the 2xx) recognises the retry. ``payload`` holds only redacted text.
    """

    __tablename__ = "alert_jobs"
    __table_args__ = (
        UniqueConstraint("destination", "dedupe_key", name="uq_alert_jobs_destination_key"),
        Index("ix_alert_jobs_status_due", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    destination: Mapped[str] = mapped_column(String(20))  # webhook | slack
    dedupe_key: Mapped[str] = mapped_column(String(200))
    delivery_id: Mapped[str] = mapped_column(String(40), unique=True)
    queue_item_id: Mapped[int] = mapped_column(Integer, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20))  # queued | running | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)  # the last attempt's HTTP status, if any
    error: Mapped[str | None] = mapped_column(Text)

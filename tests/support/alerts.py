"""Builders for alert tests: a queue item as the refresh stores it."""

from __future__ import annotations

from datetime import UTC, datetime

from insight.records import QueueItem

T = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


def queue_item(reasons: tuple[str, ...], priority: float, title: str | None = "Billing") -> QueueItem:
    return QueueItem(id=3, thread_key="discourse:9", status="open", priority=priority, needs_attention=True,
                     reasons=reasons, raised_reasons=reasons, explanation="A post threatens harm (post p1).",
                     evidence_post_ids=("p1",), details=(), channel="billing", title=title, opened_at=T,
                     ranked_at=T, status_changed_at=T, attention_at=T)

"""Builders for attribution tests: touchpoint and outcome frames from short tuples, times in days around T."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from insight.records import COMMUNITY_TOUCHPOINTS

T = datetime(2026, 10, 10, tzinfo=UTC)


def at(days: float) -> pd.Timestamp:
    """``days`` after T (negative: before)."""
    return pd.Timestamp(T + timedelta(days=days))


def touches(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    """(touchpoint_id, account_id, days from T, kind) rows, with channel and community filled in."""
    return pd.DataFrame([{"touchpoint_id": tid, "account_id": account, "author_id": None, "occurred_at": at(days),
                          "kind": kind, "channel": "community" if kind in COMMUNITY_TOUCHPOINTS else "sales",
                          "source_id": None, "community": kind in COMMUNITY_TOUCHPOINTS}
                         for tid, account, days, kind in rows])


def outcomes(*rows: tuple[str, str, float, float] | tuple[str, str, float, float, str]) -> pd.DataFrame:
    """(outcome_id, account_id, days from T, amount[, kind]) rows; kind defaults to closed_won."""
    return pd.DataFrame([{"outcome_id": r[0], "account_id": r[1], "occurred_at": at(r[2]), "amount": r[3],
                          "kind": r[4] if len(r) > 4 else "closed_won"} for r in rows])

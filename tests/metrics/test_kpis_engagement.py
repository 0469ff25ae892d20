"""Stickiness (WAU/MAU) and the helpfulness-weighted contribution index, on hand-counted data."""

from __future__ import annotations

import pandas as pd
import pytest

from insight.metrics.kpis import CONTRIBUTION_WEIGHTS, compute_kpis


def frame(rows: list[dict]) -> pd.DataFrame:  # type: ignore[type-arg]
    out = pd.DataFrame([{"kind": "reply", "parent_id": None, "accepted_answer": False, "helpful_votes": 0,
                         "channel": "help", **r} for r in rows])
    out["created_at"] = pd.to_datetime(out["created_at"], utc=True)
    return out


MEMBERS = pd.DataFrame([{"author_id": a, "consent_analytics": True, "joined_at": pd.Timestamp("2025-01-01", tz="UTC"),
                         "motivation": "learn", "segment": "startup"} for a in ("a", "b", "c")])


def value(values: list, kpi_id: str) -> tuple[float, int]:  # type: ignore[type-arg]
    row = next(v for v in values if v.kpi_id == kpi_id and v.cohort == "all")
    return row.value, row.n


def test_stickiness_is_weekly_over_monthly_active() -> None:
    # March has five 7-day windows from the 1st (the last is 3 days): a posts in windows 1, 2, 5; b in 1 only.
    posts = frame([
        {"post_id": "p1", "thread_id": "t1", "author_id": "a", "created_at": "2026-03-01T10:00Z", "kind": "question"},
        {"post_id": "p2", "thread_id": "t1", "author_id": "a", "created_at": "2026-03-09T10:00Z"},
        {"post_id": "p3", "thread_id": "t1", "author_id": "a", "created_at": "2026-03-30T10:00Z"},
        {"post_id": "p4", "thread_id": "t1", "author_id": "b", "created_at": "2026-03-02T10:00Z"},
    ])
    stickiness, n = value(compute_kpis(posts, MEMBERS, "2026-03"), "stickiness")
    assert n == 2 and stickiness == pytest.approx((3 / 5 + 1 / 5) / 2)


def test_contribution_index_weights_what_helped_others() -> None:
    posts = frame([
        {"post_id": "q", "thread_id": "t1", "author_id": "a", "created_at": "2026-03-01T10:00Z", "kind": "question"},
        {"post_id": "r1", "thread_id": "t1", "author_id": "b", "created_at": "2026-03-01T11:00Z", "parent_id": "q",
         "accepted_answer": True, "helpful_votes": 4},
        {"post_id": "r2", "thread_id": "t1", "author_id": "a", "created_at": "2026-03-01T12:00Z", "parent_id": "r1"},
        {"post_id": "r3", "thread_id": "t1", "author_id": "c", "created_at": "2026-03-01T13:00Z", "parent_id": "r1"},
        {"post_id": "r4", "thread_id": "t1", "author_id": "b", "created_at": "2026-03-01T14:00Z", "parent_id": "r1"},
    ])
    # b: accepted (3) + 4 votes + 2 replies by others (a, c; b's own reply does not count) = 9;
    # a: 1 reply to the question, by b; c: nothing. Mean over the three active members.
    index, n = value(compute_kpis(posts, MEMBERS, "2026-03"), "contribution_index")
    b = CONTRIBUTION_WEIGHTS["accepted"] + 4 * CONTRIBUTION_WEIGHTS["helpful_vote"] + 2 * CONTRIBUTION_WEIGHTS[
        "follow_on_reply"]
    assert n == 3 and index == pytest.approx((b + CONTRIBUTION_WEIGHTS["follow_on_reply"] + 0) / 3)

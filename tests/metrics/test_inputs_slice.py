"""The KPI inputs cut a clean, time-ordered frame (as ``storage.posts.posts_frame`` reads it) by
slicing, not copying, and every KPI unit is the same as from the same posts in any order and dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.metrics import inputs
from insight.metrics.kpis import kpi_samples

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")


def _community(seed: int = 3, n_posts: int = 900, n_authors: int = 70) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Threads of a question (or a discussion) and replies over four months; some members without consent."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-12-01", tz="UTC")
    rows, thread = [], 0
    while len(rows) < n_posts:
        thread += 1
        asked = start + pd.Timedelta(hours=float(rng.uniform(0, 24 * 140)))
        kind = rng.choice(["question", "discussion", None])
        root = f"p{len(rows)}"
        for k in range(int(rng.integers(1, 7))):
            at = asked + pd.Timedelta(hours=float(rng.exponential(30)) if k else 0.0)
            rows.append({"post_id": f"p{len(rows)}", "thread_id": f"t{thread}",
                         "author_id": f"a{int(rng.integers(n_authors))}", "created_at": at,
                         "kind": kind if k == 0 else "reply", "parent_id": None if k == 0 else root,
                         "accepted_answer": bool(k > 0 and rng.random() < 0.15),
                         "helpful_votes": int(rng.integers(0, 4)), "channel": "help", "platform": "discourse"})
    posts = pd.DataFrame(rows)
    members = pd.DataFrame({
        "author_id": [f"a{i}" for i in range(n_authors - 5)],  # five authors have no member record
        "consent_analytics": [i % 9 != 0 for i in range(n_authors - 5)],
        "joined_at": [start - pd.Timedelta(days=int(d)) + pd.Timedelta(days=150)
                      for d in rng.integers(0, 200, n_authors - 5)],
        "motivation": [("learn", "help", "build")[i % 3] for i in range(n_authors - 5)],
        "segment": [("free", "paid")[i % 2] for i in range(n_authors - 5)]})
    return posts, members


def _as_stored(posts: pd.DataFrame) -> pd.DataFrame:
    """The frame as ``posts_frame`` gives it: Arrow-backed text, UTC times, in time order."""
    text = ("post_id", "thread_id", "author_id", "kind", "parent_id", "channel", "platform")
    ordered = posts.sort_values(["created_at", "post_id"], kind="stable").reset_index(drop=True)
    return ordered.astype(dict.fromkeys(text, "string[pyarrow]"))


def _as_a_user_wrote_it(posts: pd.DataFrame) -> pd.DataFrame:
    """The same posts shuffled, times as ISO text, flags as objects."""
    out = posts.sample(frac=1.0, random_state=11).reset_index(drop=True)
    out["created_at"] = out["created_at"].map(lambda t: t.isoformat())
    out["accepted_answer"] = out["accepted_answer"].astype(object)
    return out


@pytest.mark.parametrize("month", MONTHS)
def test_kpi_units_are_the_same_from_a_stored_frame_and_from_any_frame(month: str) -> None:
    posts, members = _community()
    stored, loose = kpi_samples(_as_stored(posts), members, month), kpi_samples(_as_a_user_wrote_it(posts), members,
                                                                                  month)
    assert stored.keys() == loose.keys()
    measured = 0
    for kpi_id, by_cohort in stored.items():
        assert by_cohort.keys() == loose[kpi_id].keys(), kpi_id
        for cohort, x in by_cohort.items():
            np.testing.assert_allclose(np.sort(x), np.sort(loose[kpi_id][cohort]), err_msg=f"{kpi_id} {cohort}")
            measured += len(x)
    assert measured > 100  # the community is big enough that every KPI has units to compare


def test_a_stored_frame_is_cut_by_a_slice_and_any_other_frame_by_a_copy() -> None:
    posts, _ = _community()
    stored = _as_stored(posts)
    as_of = pd.Timestamp("2026-02-01", tz="UTC")
    cut = inputs._clean_posts(stored, as_of)
    assert len(cut) == int((stored["created_at"] <= as_of).sum()) and 0 < len(cut) < len(stored)
    assert np.shares_memory(cut["created_at"].array._ndarray, stored["created_at"].array._ndarray)
    copied = inputs._clean_posts(_as_a_user_wrote_it(posts), as_of)
    assert len(copied) == len(cut) and copied["accepted_answer"].dtype == bool
    # Out of time order, the same dtypes still take the copy: a slice would drop posts.
    shuffled = stored.sample(frac=1.0, random_state=5)
    assert len(inputs._clean_posts(shuffled, as_of)) == len(cut)


def test_a_time_ordered_frame_without_an_accepted_flag_is_cleaned_not_sliced() -> None:
    posts, _ = _community()
    bare = _as_stored(posts).drop(columns=["accepted_answer"])
    cut = inputs._clean_posts(bare, pd.Timestamp("2026-02-01", tz="UTC"))
    assert cut["accepted_answer"].dtype == bool and not cut["accepted_answer"].any()

"""Feedback answers per moment (solution accepted, event attended, resource finished...): ratings
with their 95% intervals.

Per moment of the period: n answers, n rated, the mean rating (seeded bootstrap interval) and the
share satisfied, rating ``SATISFIED`` or more (Wilson interval); with a ``sentiment`` column (the
stored label of each scored answer), the sentiment shares of the scored ones, the positive share
with its Wilson interval; with ``themes``, each moment's distinctive words. Moments under
``min_n`` answers are left out: their intervals span most of the scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from insight.metrics.intervals import value_interval

SATISFIED = 4  # on the 1-5 scale: 4 and 5 are satisfied


def feedback_by_moment(answers: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *,
                       min_n: int = 8, themes: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """Rows by moment (alphabetical) of the answers created in ``[start, end)``.

    Args:
        answers: moment, created_at (UTC) and rating (1-5 or missing) of the answers that may be
            analysed (consent already applied).
    """
    if answers.empty:
        return []
    created = pd.to_datetime(answers["created_at"], utc=True)
    inside = answers[(created >= start) & (created < end)]
    rows = []
    for moment, group in sorted(inside.groupby("moment"), key=lambda g: str(g[0])):
        if len(group) < max(min_n, 1):
            continue
        ratings = pd.to_numeric(group["rating"], errors="coerce").dropna().to_numpy(dtype=float)
        satisfied = (ratings >= SATISFIED).astype(float)
        mean_low, mean_high = value_interval(ratings, "mean")
        share_low, share_high = value_interval(satisfied, "rate")
        rows.append({"moment": str(moment), "n": int(len(group)), "rated": int(len(ratings)),
                     "mean_rating": float(np.mean(ratings)) if len(ratings) else None,
                     "mean_ci_low": mean_low, "mean_ci_high": mean_high,
                     "satisfied": float(np.mean(satisfied)) if len(ratings) else None,
                     "satisfied_ci_low": share_low, "satisfied_ci_high": share_high,
                     **_sentiment(group), "themes": (themes or {}).get(str(moment), [])})
    return rows


def _sentiment(group: pd.DataFrame) -> dict[str, Any]:
    """Sentiment shares of a moment's scored answers (None without any), positive with its interval."""
    labels = group["sentiment"].dropna() if "sentiment" in group else pd.Series(dtype=object)
    n = len(labels)
    positive = (labels == "positive").to_numpy(dtype=float)
    low, high = value_interval(positive, "rate") if n else (None, None)
    return {"scored": n, **{k: float((labels == k).mean()) if n else None for k in ("positive", "neutral", "negative")},
            "positive_ci_low": low, "positive_ci_high": high}

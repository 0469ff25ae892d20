"""Multi-touch attribution: how an outcome's amount is shared among the touchpoints before it.

Every model gives each outcome's touchpoints weights that sum to 1, so the credit of an outcome
with at least one touchpoint in its lookback window sums to its amount; an outcome with none is
unattributed. Touchpoints count from ``lookback_days`` before the outcome up to its time, both
ends included.

- **first_touch** / **last_touch**: all credit to the earliest / latest touchpoint; touchpoints
  at the same time share it equally (a tie is not broken by an arbitrary order).
- **linear**: equal shares.
- **position_based**: ``position_first`` (0.4) to the earliest, ``position_last`` (0.4) to the
  latest, the rest shared by the touchpoints between; tied touchpoints share their position's
  weight. Two distinct times: first and last in proportion first : last; one time: equal.
- **time_decay**: weight ``2 ** (-age / half_life_days)``, age in days before the outcome.
- **blended**: the weighted mean of the models' weights (``blend`` weights, any positive sum).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")
BLENDED = "blended"
DAY = 86400.0
CREDIT_COLUMNS = ["outcome_id", "account_id", "touchpoint_id", "kind", "channel", "community", "credit"]


@dataclass(frozen=True)
class Params:
    lookback_days: float = 90.0
    position_first: float = 0.4
    position_last: float = 0.4
    half_life_days: float = 7.0
    blend: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(MODELS, 1.0))


def _ties(ages: np.ndarray, target: float) -> np.ndarray:
    mask = np.isclose(ages, target, rtol=0, atol=1e-9)
    return mask / mask.sum()


def _position_based(ages: np.ndarray, first: float, last: float) -> np.ndarray:
    times = np.unique(np.round(ages, 9))  # ascending age: latest first
    if len(times) == 1:
        return np.full(len(ages), 1 / len(ages))
    is_first = np.isclose(ages, times[-1], rtol=0, atol=1e-9)
    is_last = np.isclose(ages, times[0], rtol=0, atol=1e-9)
    middle = ~(is_first | is_last)
    if len(times) == 2:
        total = first + last
        first, last = (first / total, last / total) if total > 0 else (0.5, 0.5)
        middle_share = 0.0
    else:
        middle_share = 1 - first - last
    weights = np.zeros(len(ages))
    weights[is_first] = first / is_first.sum()
    weights[is_last] = last / is_last.sum()
    if middle.any():
        weights[middle] = middle_share / middle.sum()
    return weights


def weights(ages_days: np.ndarray, model: str, params: Params = Params()) -> np.ndarray:
    """Each touchpoint's share of one outcome (summing to 1), from its age in days before the outcome.

    Raises:
        ValueError: for an unknown model or no touchpoints.
    """
    ages = np.asarray(ages_days, dtype=float)
    if len(ages) == 0:
        raise ValueError("an outcome without touchpoints has no weights")
    if model == "first_touch":
        return _ties(ages, ages.max())
    if model == "last_touch":
        return _ties(ages, ages.min())
    if model == "linear":
        return np.full(len(ages), 1 / len(ages))
    if model == "position_based":
        return _position_based(ages, params.position_first, params.position_last)
    if model == "time_decay":
        raw = np.power(2.0, -ages / params.half_life_days)
        return raw / raw.sum()
    if model == BLENDED:
        total = sum(w for w in params.blend.values() if w > 0)
        return sum((w / total) * weights(ages, name, params) for name, w in params.blend.items() if w > 0)
    raise ValueError(f"unknown attribution model {model!r}")


def in_window(touchpoints: pd.DataFrame, outcomes: pd.DataFrame, lookback_days: float) -> pd.DataFrame:
    """Each outcome beside each touchpoint of its account in its lookback window, with ``age_days``."""
    pairs = outcomes[["outcome_id", "account_id", "occurred_at", "amount"]].merge(
        touchpoints.rename(columns={"occurred_at": "touched_at"}), on="account_id")
    pairs["age_days"] = (pairs["occurred_at"] - pairs["touched_at"]).dt.total_seconds() / DAY
    return pairs[(pairs["age_days"] >= 0) & (pairs["age_days"] <= lookback_days)].reset_index(drop=True)


def attribute(touchpoints: pd.DataFrame, outcomes: pd.DataFrame, model: str, params: Params = Params()
              ) -> pd.DataFrame:
    """Credit rows (``CREDIT_COLUMNS``): each outcome's amount shared among its account's touchpoints.

    Args:
        touchpoints: touchpoint_id, account_id, occurred_at (UTC), kind, channel, community (bool).
        outcomes: outcome_id, account_id, occurred_at (UTC), amount.
    """
    pairs = in_window(touchpoints, outcomes, params.lookback_days)
    if pairs.empty:
        return pd.DataFrame(columns=CREDIT_COLUMNS)
    credit = np.zeros(len(pairs))
    for _, index in pairs.groupby("outcome_id", sort=False).indices.items():
        share = weights(pairs["age_days"].to_numpy()[index], model, params)
        credit[index] = share * pairs["amount"].to_numpy()[index]
    pairs["credit"] = credit
    return pairs[CREDIT_COLUMNS]


def summarise(credit: pd.DataFrame, outcomes: pd.DataFrame, model: str, cohorts: Mapping[str, str]
              ) -> dict[str, Any]:
    """One model's totals: community credit (influenced), attributed and total amount, the community's
    share of the total, and community credit per touchpoint kind, channel and account cohort."""
    total = float(outcomes["amount"].sum())
    community = credit[credit["community"].astype(bool)]
    influenced = float(community["credit"].sum())

    def by(column: pd.Series) -> dict[str, float]:
        grouped = community.groupby(column)["credit"].sum()
        return {str(k): round(float(v), 2) for k, v in sorted(grouped.items())}

    return {
        "model": model,
        "influenced": round(influenced, 2),
        "attributed": round(float(credit["credit"].sum()), 2),
        "total": round(total, 2),
        "community_share": None if total <= 0 else round(influenced / total, 4),
        "by_kind": by(community["kind"]),
        "by_channel": by(community["channel"].fillna("(none)")),
        "by_cohort": by(community["account_id"].map(lambda a: cohorts.get(a, "(unknown)"))),
    }


def any_touch(touchpoints: pd.DataFrame, outcomes: pd.DataFrame, lookback_days: float) -> float:
    """The whole amount of every outcome with a community touchpoint in its window: the upper bound
    ("influenced" in the loosest sense), beside which the models' credit reads."""
    pairs = in_window(touchpoints[touchpoints["community"].astype(bool)], outcomes, lookback_days)
    touched = set(pairs["outcome_id"])
    return round(float(outcomes.loc[outcomes["outcome_id"].isin(touched), "amount"].sum()), 2)

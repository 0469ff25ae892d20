"""Engaged vs matched accounts: close, renewal and expansion rates of accounts with community
touchpoints before the outcome against accounts without, matched on segment, plan, size and tenure.

Units per metric (outcomes in [start, end)):

- ``close_rate``: accounts with a decided deal (closed_won or closed_lost; the last one counts),
  success = won, at the decision's time;
- ``renewal_rate``: accounts with a renewal or churn (the last one), success = renewal;
- ``expansion_rate``: customers (a closed_won or renewal before ``end``), success = an expansion in
  the window, at its time (else at ``end``).

A unit is **engaged** when its account has a community touchpoint in the ``lookback_days`` before
the unit's time. Matching is exact on segment and plan and coarsened on size and tenure (bins),
1:1 without replacement inside each stratum, in a seeded order (a hash of the account id), so
the matched sample is reproducible. The difference of rates gets the Agresti-Caffo interval
(``metrics.intervals.compare``). This is an association: engaged accounts may differ in ways the
strata do not hold; only an experiment (the experiments registry) makes it causal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from insight.metrics.intervals import compare, rate_interval

METRICS = ("close_rate", "renewal_rate", "expansion_rate")
_DECISIONS = {"close_rate": ("closed_won", "closed_lost"), "renewal_rate": ("renewal", "churn")}
_SUCCESS = {"close_rate": "closed_won", "renewal_rate": "renewal"}
EPOCH = pd.Timestamp(0, tz="UTC")


def units(outcomes: pd.DataFrame, metric: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """account_id, success (0/1), at: one unit per account for ``metric``."""
    inside = outcomes[(outcomes["occurred_at"] >= start) & (outcomes["occurred_at"] < end)]
    if metric in _DECISIONS:
        decided = inside[inside["kind"].isin(_DECISIONS[metric])].sort_values(["occurred_at", "outcome_id"])
        last = decided.groupby("account_id").tail(1)
        return pd.DataFrame({"account_id": last["account_id"].to_numpy(),
                             "success": (last["kind"] == _SUCCESS[metric]).astype(int).to_numpy(),
                             "at": last["occurred_at"].to_numpy()})
    customers = outcomes[outcomes["kind"].isin(("closed_won", "renewal")) & (outcomes["occurred_at"] < end)]
    expansions = inside[inside["kind"] == "expansion"].groupby("account_id")["occurred_at"].min()
    ids = sorted(set(customers["account_id"]))
    at = [expansions.get(a, end) for a in ids]
    return pd.DataFrame({"account_id": ids, "success": [int(a in expansions.index) for a in ids],
                         "at": pd.to_datetime(at, utc=True)})


def engaged(unit_frame: pd.DataFrame, community_touches: pd.DataFrame, lookback_days: float) -> np.ndarray:
    """Whether each unit's account had a community touchpoint in the lookback window before its time."""
    seconds = (pd.to_datetime(community_touches["occurred_at"], utc=True) - EPOCH).dt.total_seconds()
    touches = seconds.groupby(community_touches["account_id"]).apply(lambda s: np.sort(s.to_numpy()))
    out = []
    for account, at in zip(unit_frame["account_id"], unit_frame["at"], strict=True):
        times = touches.get(account)
        if times is None:
            out.append(False)
            continue
        hi = (pd.Timestamp(at) - EPOCH).total_seconds()
        out.append(bool(((times >= hi - lookback_days * 86400.0) & (times < hi)).any()))
    return np.array(out, dtype=bool)


def strata(unit_frame: pd.DataFrame, accounts: pd.DataFrame, size_bins: Sequence[int],
           tenure_bins_days: Sequence[int]) -> pd.Series:
    """The matching stratum of each unit: segment | plan | size bin | tenure bin ("?" when unknown)."""
    info = accounts.set_index("account_id")
    rows = info.reindex(unit_frame["account_id"])
    size = [_bin(s, size_bins) for s in rows["size"]]
    tenure_days = [(at - started).days if pd.notna(started) else None
                   for at, started in zip(unit_frame["at"], rows["started_at"], strict=True)]
    tenure = [_bin(t, tenure_bins_days) for t in tenure_days]
    return pd.Series([f"{seg if pd.notna(seg) else '?'}|{plan if pd.notna(plan) else '?'}|{s}|{t}"
                      for seg, plan, s, t in zip(rows["segment"], rows["plan"], size, tenure, strict=True)],
                     index=unit_frame.index)


def _bin(value: Any, edges: Sequence[int]) -> str:
    if value is None or pd.isna(value):
        return "?"
    return str(int(np.searchsorted(np.asarray(edges), float(value), side="right")))


def _order(account_id: str) -> str:
    return hashlib.sha256(f"match:{account_id}".encode()).hexdigest()


def matched_pairs(unit_frame: pd.DataFrame, is_engaged: np.ndarray, stratum: pd.Series) -> tuple[list[int], list[int]]:
    """Row positions of the matched engaged units and of their matched controls, 1:1 per stratum."""
    treated, control = [], []
    frame = pd.DataFrame({"account_id": unit_frame["account_id"].to_numpy(), "engaged": is_engaged,
                          "stratum": stratum.to_numpy()})
    for _, group in frame.groupby("stratum", sort=True):
        e = sorted(group.index[group["engaged"]], key=lambda i: _order(frame.at[i, "account_id"]))
        c = sorted(group.index[~group["engaged"]], key=lambda i: _order(frame.at[i, "account_id"]))
        k = min(len(e), len(c))
        treated += e[:k]
        control += c[:k]
    return treated, control


def compare_matched(unit_frame: pd.DataFrame, is_engaged: np.ndarray, stratum: pd.Series, metric: str
                    ) -> dict[str, Any]:
    """The metric's rates for matched engaged and matched other accounts, their difference with 95% interval."""
    treated, control = matched_pairs(unit_frame, is_engaged, stratum)
    success = unit_frame["success"].to_numpy()
    e, c = success[treated].astype(float), success[control].astype(float)
    result = compare(e, c, "rate")
    engaged_ci, matched_ci = rate_interval(int(e.sum()), len(e)), rate_interval(int(c.sum()), len(c))
    return {
        "metric": metric,
        "engaged_rate": None if len(e) == 0 else round(float(e.mean()), 4),
        "matched_rate": None if len(c) == 0 else round(float(c.mean()), 4),
        "engaged_ci": [_r(v) for v in engaged_ci], "matched_ci": [_r(v) for v in matched_ci],
        "difference": _r(result.change), "ci_low": _r(result.ci_low), "ci_high": _r(result.ci_high),
        "p_value": _r(result.p_value), "method": f"1:1 exact/coarsened matching; {result.method}",
        "n": len(treated), "n_engaged": int(is_engaged.sum()), "n_not_engaged": int((~is_engaged).sum()),
        "unmatched_engaged": int(is_engaged.sum()) - len(treated),
        "raw_difference": _raw(success, is_engaged),
    }


def _raw(success: np.ndarray, is_engaged: np.ndarray) -> float | None:
    """The unmatched difference, shown beside the matched one: how much the matching moved it."""
    if is_engaged.all() or not is_engaged.any():
        return None
    return round(float(success[is_engaged].mean() - success[~is_engaged].mean()), 4)


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)

"""Experiment readouts: the uplift a registered experiment (``insight.metrics.experiments``) had on its KPI.

- **Randomised arms**: each arm's KPI units over the experiment's months; the uplift is the
  treatment arm's value minus the control's, with its 95% interval and p-value
  (``insight.metrics.intervals.compare``: two-proportion test for rates, a seeded bootstrap
  otherwise), and the power the registered minimum detectable effect had at the observed n.
- **A cohort rule with a comparison group** (no randomisation): difference-in-differences, the
  OLS interaction ``x ~ treated * post`` (statsmodels, heteroskedasticity-robust HC1 errors), over
  ``pre_months`` before the start and the experiment's months. Its premise, parallel trends before
  the start, is checked and shown: the pre-period slope difference ``x ~ treated * month`` and its
  p-value; a significant difference says the estimate is not to be trusted.

Readouts are pure functions of the posts and members frames.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from insight.errors import InputError
from insight.metrics.experiments import Experiment
from insight.metrics.intervals import ALPHA, compare, statistic
from insight.metrics.kpis import KPI_KINDS, kpi_units


def readout(experiment: Experiment, posts: pd.DataFrame, members: pd.DataFrame) -> dict[str, Any]:
    """The experiment's readout: at least uplift, ci_low, ci_high, p_value, n_per_arm and method.

    Raises:
        InputError: E660 when an arm or group has no units in the experiment's months.
    """
    base = {**experiment.summary(), "months": experiment_months(experiment)}
    if experiment.randomised:
        return {**base, **_randomised(experiment, posts, members, base["months"])}
    return {**base, **_difference_in_differences(experiment, posts, members, base["months"])}


def experiment_months(experiment: Experiment) -> list[str]:
    """The calendar months (``YYYY-MM``) the experiment ran in."""
    first, last = pd.Period(experiment.start, freq="M"), pd.Period(experiment.end, freq="M")
    return [str(first + i) for i in range((last - first).n + 1)]


def _units(experiment: Experiment, posts: pd.DataFrame, members: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    frames = [kpi_units(posts, members, month, experiment.kpi).assign(month=month) for month in months]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _randomised(experiment: Experiment, posts: pd.DataFrame, members: pd.DataFrame,
                months: list[str]) -> dict[str, Any]:
    kind = KPI_KINDS[experiment.kpi]
    units = _units(experiment, posts, members, months)
    arm_of = {member: arm for arm, ids in experiment.arms.items() for member in ids}
    units["arm"] = units["author_id"].map(arm_of)
    by_arm = {arm: units.loc[units["arm"] == arm, "x"].to_numpy(dtype=float) for arm in experiment.arms}
    empty = [arm for arm, x in by_arm.items() if len(x) == 0]
    if empty:
        raise InputError("E660", name=experiment.name, detail=f"arm(s) {', '.join(empty)} have no units in "
                                                               f"{months[0]} to {months[-1]}")
    control = by_arm[str(experiment.control)]
    arms = {arm: compare(x, control, kind).as_dict() for arm, x in by_arm.items() if arm != experiment.control}
    treatment = next(iter(arms))
    main = arms[treatment]
    return {"design": "randomised", "treatment": treatment, "uplift": main["change"], "ci_low": main["ci_low"],
            "ci_high": main["ci_high"], "p_value": main["p_value"], "within_noise": main["within_noise"],
            "method": f"randomised arms, {treatment} minus {experiment.control}: {main['method']}",
            "n_per_arm": {arm: len(x) for arm, x in by_arm.items()},
            "values": {arm: statistic(x, kind) for arm, x in by_arm.items()},
            "arms_compared": arms, "power_at_mde": _power(experiment, control, len(by_arm[treatment]), kind)}


def _power(experiment: Experiment, control: np.ndarray, n_treatment: int, kind: str) -> float | None:
    """Power the registered MDE had at the observed arm sizes (rates only: two-proportion, 5% two-sided)."""
    if kind != "rate" or not len(control) or not n_treatment:
        return None
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    base = float(np.mean(control))
    target = min(max(base + experiment.mde, 1e-6), 1 - 1e-6)
    effect = abs(proportion_effectsize(target, base))
    return float(NormalIndPower().power(effect, nobs1=n_treatment, alpha=ALPHA, ratio=len(control) / n_treatment))


def _difference_in_differences(experiment: Experiment, posts: pd.DataFrame, members: pd.DataFrame,
                               months: list[str]) -> dict[str, Any]:
    import statsmodels.formula.api as smf

    first = pd.Period(months[0], freq="M")
    pre = [str(first - i) for i in range(experiment.pre_months, 0, -1)]
    frame = _groups(experiment, _units(experiment, posts, members, [*pre, *months]))
    frame["post"] = frame["month"].isin(months).astype(int)
    frame["t"] = frame["month"].map({m: i for i, m in enumerate([*pre, *months])})
    cells = frame.groupby(["treated", "post"]).size()
    if len(cells) < 4:
        raise InputError("E660", name=experiment.name, detail=f"{experiment.treated} and {experiment.comparison} "
                                                               "each need units before and during the experiment")
    fit = smf.ols("x ~ treated * post", data=frame).fit(cov_type="HC1")
    low, high = fit.conf_int(alpha=ALPHA).loc["treated:post"]
    during = frame[frame["post"] == 1]
    return {"design": "difference-in-differences", "uplift": float(fit.params["treated:post"]),
            "ci_low": float(low), "ci_high": float(high), "p_value": float(fit.pvalues["treated:post"]),
            "within_noise": bool(low <= 0 <= high),
            "method": f"difference-in-differences of means, OLS x ~ treated * post (HC1 errors); {experiment.treated} "
                      f"against {experiment.comparison}, {pre[0]} to {pre[-1]} before",
            "n_per_arm": {"treated": int(during["treated"].sum()), "comparison": int((1 - during["treated"]).sum())},
            "values": {"treated": _mean(during, 1), "comparison": _mean(during, 0)},
            "pre_trend": _pre_trend(frame[frame["post"] == 0], pre)}


def _groups(experiment: Experiment, units: pd.DataFrame) -> pd.DataFrame:
    """Units of the treated cohort (treated=1) and of the comparison group (treated=0); others dropped."""
    def member_of(rule: str) -> pd.Series:
        dim, value = rule.split("=", 1)
        return units[dim].astype("string").eq(value).fillna(False)

    treated, comparison = member_of(str(experiment.treated)), member_of(str(experiment.comparison))
    out = units.loc[treated | comparison, ["x", "month"]].copy()
    out["x"] = out["x"].astype(float)
    out["treated"] = treated[treated | comparison].astype(int).to_numpy()
    return out


def _pre_trend(pre: pd.DataFrame, months: list[str]) -> dict[str, Any]:
    """The parallel-trends check: do the groups' pre-period slopes differ? Plus their monthly means."""
    import statsmodels.formula.api as smf

    means = [{"month": m, "treated": _mean(pre[pre["month"] == m], 1), "comparison": _mean(pre[pre["month"] == m], 0)}
             for m in months]
    if pre.groupby("treated")["t"].nunique().min() < 2 if len(pre) else True:
        return {"slope_difference": None, "p_value": None, "parallel": None, "means": means,
                "detail": "too few pre-period months with data in both groups to check"}
    fit = smf.ols("x ~ treated * t", data=pre).fit(cov_type="HC1")
    p = float(fit.pvalues["treated:t"])
    return {"slope_difference": float(fit.params["treated:t"]), "p_value": p, "parallel": p >= ALPHA,
            "means": means, "detail": "pre-period slopes do not differ significantly" if p >= ALPHA else
            "pre-period slopes differ: the groups were already drifting apart, so the estimate is suspect"}


def _mean(frame: pd.DataFrame, treated: int) -> float | None:
    x = frame.loc[frame["treated"] == treated, "x"]
    return float(x.mean()) if len(x) else None

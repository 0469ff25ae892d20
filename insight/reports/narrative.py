"""The report's narrative, derived from the numbers: which cohort drives each KPI, one win, one worry,
one experiment, and the topics that rise and fall.

Everything here is a pure function of the aggregated KPI and topic rows the report service
builds, and returns numbers, not sentences: ``insight.reports.render`` words them, so the
JSON report carries the evidence behind every claim.

A KPI's *move* is its relative change against the previous period, signed so that positive
is good (a drop in response hours is a positive move). KPIs measured on fewer than
``MIN_N`` units, and cohorts under ``MIN_COHORT_N``, never make a headline: small samples
swing by chance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

MIN_N = 20
MIN_COHORT_N = 8
TOPIC_MOVES = 3  # topics listed as rising, and as falling
MIN_TOPIC_POSTS = 5  # a topic needs this many posts in one of the two periods to count as moving
ALPHA_Z = 1.959964  # two-sided 5%
POWER_Z = 0.841621  # 80% power
MIN_PER_ARM = 30  # for KPIs that are medians or means: at least this many measurements per arm
ALPHA = 0.05  # evidence below this p-value can headline
HORIZON_MONTHS = 3  # default: a proposed experiment must fill its arms within this many months

# What one could try to move each KPI: the experiment's lever. Which KPI and cohort it targets,
# the baseline, the goal and the sample size all come from the data.
LEVERS: dict[str, str] = {
    "activation_rate": "a personal welcome reply from a mentor within 24 hours of joining",
    "time_to_first_value": "pairing each new member with a mentor for their first question",
    "retention_90d": "a check-in message from a community manager after 30 days without a post",
    "contribution_frequency": "a weekly digest of open questions that match each member's past answers",
    "solution_acceptance_rate": "a reminder to the asker, 24 hours after the first reply, to mark the answer "
                                "that solved it",
    "median_first_response_hours": "routing new questions to an on-call rota of helpers",
    "unanswered_rate": "surfacing questions still without a reply after 24 hours to the helper rota",
    "support_deflection": "suggesting matching solved threads before a support ticket is opened",
}
DEFAULT_LEVER = "a change aimed at this cohort"


def move(value: float | None, previous: float | None, direction: str | None) -> float | None:
    """Relative change from ``previous`` to ``value``, positive when it is good; None when unknown."""
    if value is None or previous is None or direction not in ("up", "down") or previous == 0:
        return None
    change = (value - previous) / abs(previous)
    return change if direction == "up" else -change


def cohort_changes(current: Sequence[Mapping[str, Any]], previous: Mapping[str, Mapping[str, Any]],
                   direction: str | None) -> list[dict[str, Any]]:
    """Per cohort: value, previous value, change, n and its share of the KPI's overall move.

    ``impact`` is the change weighted by n (signed good-positive, like ``move``): the cohort
    with the largest impact explains most of the overall move, which a small cohort's wild
    swing does not. Sorted by impact, most negative first; cohorts under MIN_COHORT_N or
    without a previous value come last, unranked.
    """
    sign = -1.0 if direction == "down" else 1.0
    rows = []
    for row in current:
        before = previous.get(row["cohort"], {})
        value, prev, n = row.get("value"), before.get("value"), int(row.get("n") or 0)
        change = None if value is None or prev is None else value - prev
        ranked = change is not None and n >= MIN_COHORT_N
        # Extra fields of the row (its interval, the change's interval) pass through.
        rows.append({**row, "cohort": row["cohort"], "value": value, "previous": prev, "n": n,
                     "previous_n": int(before.get("n") or 0), "change": change,
                     "impact": sign * change * n if ranked else None})  # type: ignore[operator]
    return sorted(rows, key=lambda r: (r["impact"] is None, r["impact"] or 0.0, r["cohort"]))


def focus_cohort(kpi: Mapping[str, Any]) -> str | None:
    """The cohort that explains most of the KPI's move: the worst one when it got worse, else the best."""
    ranked = [c for c in kpi.get("cohorts") or [] if c.get("impact") is not None]
    if not ranked:
        return None
    kpi_move = move(kpi.get("value"), kpi.get("previous"), kpi.get("direction")) or 0.0
    chosen = ranked[0] if kpi_move < 0 else ranked[-1]
    return str(chosen["cohort"])


def headline(kpis: Sequence[Mapping[str, Any]], *, horizon_months: int = HORIZON_MONTHS) -> dict[str, Any]:
    """One win and one worry chosen by evidence, the ranking behind them, and an experiment on the worry.

    Each KPI's ``evidence`` (``insight.metrics.evidence``: the month's change, or a trend over three
    or more months, whichever test is stronger) is ranked by its p-value, then by the size of the
    move against its interval. Only KPIs on ``MIN_N`` or more units whose evidence is significant
    (p < ``ALPHA``) can headline: the largest relative change on a handful of questions cannot.
    """
    ranking = rank_evidence(kpis)
    by_id = {str(k["id"]): k for k in kpis}
    win = next((r for r in ranking if r["eligible"] and r["verdict"] == "better"), None)
    worry = next((r for r in ranking if r["eligible"] and r["verdict"] == "worse"), None)
    worry_claim = _claim(by_id[worry["kpi_id"]], worry) if worry else None
    return {"win": _claim(by_id[win["kpi_id"]], win) if win else None, "worry": worry_claim,
            "experiment": experiment(by_id[worry["kpi_id"]], worry_claim, horizon_months)
            if worry and worry_claim else None,
            "ranking": ranking}


def rank_evidence(kpis: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every KPI with tested evidence, strongest first: p-value, then |change| over its interval's half-width."""
    rows = []
    for kpi in kpis:
        evidence, direction = kpi.get("evidence"), kpi.get("direction")
        if not evidence or evidence.get("p_value") is None or not evidence.get("change") or \
                direction not in ("up", "down"):
            continue
        better = (evidence["change"] > 0) == (direction == "up")
        low, high = evidence.get("ci_low"), evidence.get("ci_high")
        half = (high - low) / 2 if low is not None and high is not None and high > low else None
        rows.append({"kpi_id": str(kpi["id"]), "name": kpi.get("name"), "verdict": "better" if better else "worse",
                     "test": evidence["test"], "method": evidence.get("method"), "p_value": evidence["p_value"],
                     "from_period": evidence.get("from_period"), "to_period": evidence.get("to_period"),
                     "moves": evidence.get("moves"), "from_value": evidence.get("from_value"),
                     "to_value": evidence.get("to_value"), "change": evidence["change"], "ci_low": low,
                     "ci_high": high, "strength": abs(evidence["change"]) / half if half else 0.0,
                     "n": int(kpi.get("n") or 0),
                     "eligible": int(kpi.get("n") or 0) >= MIN_N and evidence["p_value"] < ALPHA})
    rows.sort(key=lambda r: (not r["eligible"], r["p_value"], -r["strength"], r["kpi_id"]))
    return [{"rank": i, **r} for i, r in enumerate(rows, start=1)]


def _claim(kpi: Mapping[str, Any], evidence: Mapping[str, Any]) -> dict[str, Any]:
    cohort_id = focus_cohort(kpi)
    cohort = next((c for c in kpi.get("cohorts") or [] if c["cohort"] == cohort_id), None)
    start, end = evidence.get("from_value"), evidence.get("to_value")
    relative = None if start in (None, 0) or end is None else (end - start) / abs(start)
    return {"kpi_id": kpi["id"], "name": kpi.get("name"), "value": kpi.get("value"), "previous": kpi.get("previous"),
            "n": kpi.get("n"), "verdict": evidence["verdict"], "rank": evidence["rank"],
            # The value's own relative change over the evidence's span: a fall is negative, whatever is good.
            "relative_change": relative,
            "evidence": {k: evidence.get(k) for k in ("test", "method", "p_value", "from_period", "to_period",
                                                       "moves", "from_value", "to_value", "change", "ci_low",
                                                       "ci_high")},
            "cohort": cohort_id, "cohort_value": cohort["value"] if cohort else None,
            "cohort_previous": cohort["previous"] if cohort else None, "cohort_n": cohort["n"] if cohort else None}


def experiment(kpi: Mapping[str, Any], worry: Mapping[str, Any],
               horizon_months: int = HORIZON_MONTHS) -> dict[str, Any]:
    """An A/B test of the KPI's lever on the worry's cohort, sized and checked against the horizon.

    The goal is to win back the level before the worry (the trend's first month, or the previous
    month; the community's when a cohort's was 0% or 100%, which a small cohort reaches by chance).
    For rates the sample per arm is the two-proportion formula (5% two-sided, 80% power); for
    medians and means MIN_PER_ARM measurements. ``months`` is how long the unit's monthly n takes to
    fill both arms; past ``horizon_months`` the cohort widens to all members (a larger unit), and
    when even that is too slow the plan says it is not feasible and suggests another lever.
    """
    evidence = worry.get("evidence") or {}
    in_cohort = worry.get("cohort") is not None and worry.get("cohort_value") is not None
    overall_goal = evidence.get("from_value", worry["previous"])
    plan = {**_sized(kpi, worry["cohort_value"], worry["cohort_previous"], worry["cohort_n"], overall_goal),
            "cohort": worry["cohort"]} if in_cohort else None
    if plan is None or not _fits(plan, horizon_months):
        wider = {**_sized(kpi, worry["value"], overall_goal, worry["n"], overall_goal), "cohort": "all"}
        if plan is None or _fits(wider, horizon_months):
            plan = {**wider, "widened_from": worry.get("cohort") if plan is not None else None}
    feasible = _fits(plan, horizon_months)
    return {"kpi_id": str(kpi["id"]), "name": kpi.get("name"), "lever": LEVERS.get(str(kpi["id"]), DEFAULT_LEVER),
            **plan, "horizon_months": horizon_months, "feasible": feasible,
            "alternative": None if feasible else
            f"not feasible within {horizon_months} months at the observed flow: choose a lever with a larger "
            "expected effect, a longer horizon, or randomise by a larger unit (channels or teams)",
            "test": "two-proportion z-test" if _is_rate(kpi) else "Mann-Whitney U test"}


def _is_rate(kpi: Mapping[str, Any]) -> bool:
    """A share of 0/1 units (WAU/MAU is shown as a percentage but is a mean of fractions)."""
    return kpi.get("kind", "rate" if kpi.get("unit") == "rate" else None) == "rate"


def _sized(kpi: Mapping[str, Any], baseline: float | None, goal: float | None, monthly: Any,
           fallback: float | None) -> dict[str, Any]:
    if _is_rate(kpi) and goal is not None and not 0 < goal < 1:
        goal = fallback  # a small cohort's 0% or 100% last month is luck, not a level to plan for
    monthly_n = int(monthly or 0)
    per_arm = two_proportion_n(baseline, goal) if _is_rate(kpi) else MIN_PER_ARM
    months = math.ceil(2 * per_arm / monthly_n) if per_arm and monthly_n else None
    return {"baseline": baseline, "goal": goal, "monthly_n": monthly_n, "per_arm": per_arm, "months": months,
            "widened_from": None}


def _fits(plan: Mapping[str, Any], horizon_months: int) -> bool:
    return plan.get("months") is not None and plan["months"] <= horizon_months


def two_proportion_n(p1: float | None, p2: float | None) -> int | None:
    """Members per arm to tell ``p1`` from ``p2`` (5% two-sided, 80% power); None when they are equal."""
    if p1 is None or p2 is None or p1 == p2 or not (0 < p1 < 1 and 0 < p2 < 1):
        return None
    mean = (p1 + p2) / 2
    top = ALPHA_Z * math.sqrt(2 * mean * (1 - mean)) + POWER_Z * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top**2 / (p1 - p2) ** 2)


def topic_moves(current: Mapping[int, int], previous: Mapping[int, int], labels: Mapping[int, str],
                limit: int = TOPIC_MOVES) -> dict[str, list[dict[str, Any]]]:
    """Topics whose share of posts rose or fell most against the previous period.

    Shares, not counts: a community that posts more overall should not make every topic "rise".
    Outliers (topic -1) and topics with under MIN_TOPIC_POSTS posts in both periods are left out.
    """
    # Shares of topical posts: a month with more outliers should not make every topic "fall".
    total_now = sum(v for k, v in current.items() if k != -1) or 1
    total_before = sum(v for k, v in previous.items() if k != -1) or 1
    rows = []
    for topic in sorted(set(current) | set(previous)):
        now, before = current.get(topic, 0), previous.get(topic, 0)
        if topic == -1 or max(now, before) < MIN_TOPIC_POSTS:
            continue
        share, share_before = now / total_now, before / total_before
        rows.append({"topic": topic, "label": labels.get(topic, str(topic)), "posts": now, "previous_posts": before,
                     "share": share, "previous_share": share_before, "change": share - share_before})
    rising = sorted((r for r in rows if r["change"] > 0), key=lambda r: (-r["change"], r["topic"]))[:limit]
    falling = sorted((r for r in rows if r["change"] < 0), key=lambda r: (r["change"], r["topic"]))[:limit]
    return {"rising": rising, "falling": falling}

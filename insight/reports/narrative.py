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
        rows.append({"cohort": row["cohort"], "value": value, "previous": prev, "n": n,
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


def headline(kpis: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One win (largest good move), one worry (largest bad move) and an experiment on the worry's cohort."""
    moves = []
    for kpi in kpis:
        m = move(kpi.get("value"), kpi.get("previous"), kpi.get("direction"))
        if m is not None and int(kpi.get("n") or 0) >= MIN_N:
            moves.append((m, str(kpi["id"]), kpi))
    wins = sorted((x for x in moves if x[0] > 0), key=lambda x: (-x[0], x[1]))
    worries = sorted((x for x in moves if x[0] < 0), key=lambda x: (x[0], x[1]))
    win = _claim(*wins[0]) if wins else None
    worry = _claim(*worries[0]) if worries else None
    return {"win": win, "worry": worry,
            "experiment": experiment(worries[0][2], worry) if worries and worry else None}


def _claim(m: float, kpi_id: str, kpi: Mapping[str, Any]) -> dict[str, Any]:
    cohort_id = focus_cohort(kpi)
    cohort = next((c for c in kpi.get("cohorts") or [] if c["cohort"] == cohort_id), None)
    return {"kpi_id": kpi_id, "name": kpi.get("name"), "value": kpi.get("value"), "previous": kpi.get("previous"),
            "n": kpi.get("n"), "relative_change": round(m, 6), "cohort": cohort_id,
            "cohort_value": cohort["value"] if cohort else None,
            "cohort_previous": cohort["previous"] if cohort else None,
            "cohort_n": cohort["n"] if cohort else None}


def experiment(kpi: Mapping[str, Any], worry: Mapping[str, Any]) -> dict[str, Any]:
    """An A/B test of the KPI's lever on the worry's cohort: baseline, goal and the sample it needs.

    The goal is to win back the cohort's previous value (the community's when the cohort's was
    0% or 100%, which a small cohort reaches by chance). For rates the sample per arm is the
    two-proportion formula (5% two-sided, 80% power); for medians and means it is MIN_PER_ARM
    measurements. ``months`` is how long the cohort's monthly n takes to fill both arms.
    """
    kpi_id = str(kpi["id"])
    in_cohort = worry.get("cohort") is not None and worry.get("cohort_value") is not None
    baseline = worry["cohort_value"] if in_cohort else worry["value"]
    goal = worry["cohort_previous"] if in_cohort and worry.get("cohort_previous") is not None else worry["previous"]
    if kpi.get("unit") == "rate" and goal is not None and not 0 < goal < 1:
        # A small cohort's 0% or 100% last month is luck, not a level to plan for: aim for the community's.
        goal = worry["previous"]
    monthly_n = int((worry["cohort_n"] if in_cohort else worry["n"]) or 0)
    per_arm = two_proportion_n(baseline, goal) if kpi.get("unit") == "rate" else MIN_PER_ARM
    months = math.ceil(2 * per_arm / monthly_n) if per_arm and monthly_n else None
    return {"kpi_id": kpi_id, "name": kpi.get("name"), "cohort": worry.get("cohort") if in_cohort else "all",
            "lever": LEVERS.get(kpi_id, DEFAULT_LEVER), "baseline": baseline, "goal": goal,
            "monthly_n": monthly_n, "per_arm": per_arm, "months": months,
            "test": "two-proportion z-test" if kpi.get("unit") == "rate" else "Mann-Whitney U test"}


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

"""Links of a confirmed story: the KPIs its tag names and its member's cohorts at the time."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from insight.records import Member


def member_cohorts(member: Member | None) -> list[str]:
    """``all`` plus the member's join month, motivation and segment cohorts (KPI cohort labels)."""
    cohorts = ["all"]
    if member is None:
        return cohorts
    if member.joined_at is not None:
        cohorts.append(f"join_month={member.joined_at:%Y-%m}")
    if member.motivation:
        cohorts.append(f"motivation={member.motivation}")
    if member.segment:
        cohorts.append(f"segment={member.segment}")
    return cohorts


def link_id(suggestion_id: int, kind: str, target: str) -> str:
    return "lk-" + hashlib.sha1(f"{suggestion_id}|{kind}|{target}".encode()).hexdigest()[:16]


def link_targets(kpis: Sequence[str], cohorts: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, target) pairs: one link per KPI, one per cohort."""
    return [("kpi", k) for k in dict.fromkeys(kpis)] + [("cohort", c) for c in dict.fromkeys(cohorts)]

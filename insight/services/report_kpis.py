"""The report's KPI section: per KPI of the dictionary its value, change, cohorts and trend, each
with a 95% interval, and the evidence (change or trend test) a headline cites.

insight's own KPIs come from their units (``insight.metrics.kpis.kpi_samples``); external KPIs
(observations imported from CSV) carry a value and n, which for a rate is enough to rebuild its
0/1 units and give it the same intervals. Cohorts under ``min_cohort_n`` units are not shown:
their intervals span most of the scale.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.errors import StorageError
from insight.metrics.dictionary import load_kpi_dictionary
from insight.metrics.evidence import kpi_evidence
from insight.metrics.intervals import Kind, compare
from insight.metrics.kpis import COMPUTED_KPI_IDS, KPI_KINDS, summarise
from insight.reports import narrative
from insight.reports.annotations import Annotation
from insight.reports.formatting import kpi_unit
from insight.services import stored_kpis, story_taxonomy

# (kpi, month) -> {cohort: units}; an observed KPI with no units to rebuild holds (value, n) instead.
Samples = dict[tuple[str, str], dict[str, Any]]


def kpi_section(session: Session, unknown_members: str, periods: list[str], kpi_path: Path | None,
                observations: list[Any], numbered: list[tuple[str, Annotation]], start: pd.Timestamp, *,
                min_cohort_n: int = narrative.MIN_COHORT_N) -> list[dict[str, Any]]:
    """One dict per KPI of the dictionary (see ``insight.reports.render.ReportData.kpis``), from the
    stored posts and members (``stored_kpis``: aggregated in the database)."""
    dictionary = load_kpi_dictionary(kpi_path)
    samples = _samples(session, unknown_members, periods, observations)
    out = []
    for kpi_id, definition in dictionary.items():
        kind = _kind(kpi_id)
        kpi = {"id": kpi_id, "name": definition.name, "direction": definition.direction,
               "category": definition.category, "definition": definition.definition, "unit": kpi_unit(kpi_id),
               "kind": kind, **_values(kpi_id, samples, periods, kind, min_cohort_n)}
        kpi["cohorts"] = narrative.cohort_changes(kpi.pop("current"), kpi.pop("before"), definition.direction)
        kpi["annotations"] = [{"mark": mark, "period": max(a.date, start.date()).strftime("%Y-%m"), **a.as_dict()}
                              for mark, a in numbered if a.concerns(kpi_id)]
        kpi["focus_cohort"] = narrative.focus_cohort(kpi)
        out.append(kpi)
    return out


def _values(kpi_id: str, samples: Samples, periods: list[str], kind: Kind | None,
            min_cohort_n: int) -> dict[str, Any]:
    period, previous = periods[-1], str(pd.Period(periods[-1], freq="M") - 1)
    now, before = samples.get((kpi_id, period), {}), samples.get((kpi_id, previous), {})
    overall = _summary(kpi_id, period, "all", now.get("all"), kind)
    last = _summary(kpi_id, previous, "all", before.get("all"), kind)
    change = _change(now.get("all"), before.get("all"), kind)
    trend = [{"period": m, **_summary(kpi_id, m, "all", samples.get((kpi_id, m), {}).get("all"), kind)}
             for m in periods]
    series = [samples.get((kpi_id, m), {}).get("all") for m in periods]
    evidence = kpi_evidence([x if _units(x) else None for x in series], periods, kind) if kind else \
        {"change": None, "trend": None, "evidence": None}
    current = [{"cohort": c, **_summary(kpi_id, period, c, x, kind), **_change(x, before.get(c), kind)}
               for c, x in sorted(now.items()) if c != "all" and _size(x) >= max(min_cohort_n, 1)]
    previous_rows = {c: _summary(kpi_id, previous, c, x, kind) for c, x in before.items()}
    return {"value": overall["value"], "ci_low": overall["ci_low"], "ci_high": overall["ci_high"],
            "n": overall["n"], "previous": last["value"], "previous_ci_low": last["ci_low"],
            "previous_ci_high": last["ci_high"], "previous_n": last["n"], **change,
            "relative_change": relative_change(overall["value"], last["value"]),
            "trend": trend, "evidence": evidence["evidence"], "trend_evidence": evidence["trend"],
            "current": current, "before": previous_rows}


def relative_change(value: float | None, previous: float | None) -> float | None:
    """``(value - previous) / |previous|``: the value's own relative change (a rise is positive), one
    sign convention for the JSON and the words."""
    if value is None or previous is None or previous == 0:
        return None
    return (value - previous) / abs(previous)


def _summary(kpi_id: str, period: str, cohort: str, x: np.ndarray | None, kind: Kind | None) -> dict[str, Any]:
    if isinstance(x, tuple):  # an observed value without units: shown without an interval
        return {"value": x[0], "ci_low": None, "ci_high": None, "n": x[1]}
    if x is None or len(x) == 0 or kind is None:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    row = summarise(kpi_id, period, cohort, x) if kpi_id in KPI_KINDS else None
    if row is not None:
        return {"value": row.value, "ci_low": row.ci_low, "ci_high": row.ci_high, "n": row.n}
    from insight.metrics.intervals import statistic, value_interval

    low, high = value_interval(x, kind)
    return {"value": statistic(x, kind), "ci_low": low, "ci_high": high, "n": len(x)}


def _change(now: np.ndarray | None, before: np.ndarray | None, kind: Kind | None) -> dict[str, Any]:
    if isinstance(now, tuple) and isinstance(before, tuple):
        return {"change": now[0] - before[0], "change_ci_low": None, "change_ci_high": None,
                "change_p_value": None, "within_noise": True}
    if kind is None or not _units(now) or not _units(before):
        return {"change": None, "change_ci_low": None, "change_ci_high": None, "change_p_value": None,
                "within_noise": True}
    result = compare(now, before, kind)
    return {"change": result.change, "change_ci_low": result.ci_low, "change_ci_high": result.ci_high,
            "change_p_value": result.p_value, "within_noise": result.within_noise}


def _size(x: Any) -> int:
    return int(x[1]) if isinstance(x, tuple) else len(x)


def _units(x: Any) -> bool:
    return isinstance(x, np.ndarray) and len(x) > 0


def _kind(kpi_id: str) -> Kind | None:
    if kpi_id in KPI_KINDS:
        return KPI_KINDS[kpi_id]
    return "rate" if kpi_unit(kpi_id) == "rate" else None


def _samples(session: Session, unknown_members: str, periods: list[str], observations: list[Any]) -> Samples:
    """Units per (KPI, month) and cohort: computed, then rebuilt from observations for external KPIs.

    An observed rate with n becomes n units of 0/1 (its value times n of them 1); another observed
    KPI keeps ``(value, n)``, shown without an interval.
    """
    table: Samples = defaultdict(dict)
    previous = str(pd.Period(periods[-1], freq="M") - 1)
    for month, samples in stored_kpis.months_samples(session, unknown_members, sorted({*periods, previous})):
        for kpi_id, by_cohort in samples.items():
            # Cohorts are compared for the last two months only; the trend reads everyone's units.
            table[kpi_id, month] = by_cohort if month in (periods[-1], previous) else {"all": by_cohort["all"]}
    for obs in observations:
        month = obs.period_start.strftime("%Y-%m")
        if obs.kpi_id in COMPUTED_KPI_IDS or month not in {*periods, previous} or obs.value is None:
            continue
        n = int(obs.n or 0)
        if _kind(obs.kpi_id) == "rate" and n:
            ones = int(round(float(obs.value) * n))
            table[obs.kpi_id, month][obs.cohort] = np.array([1.0] * ones + [0.0] * (n - ones))
        else:
            table[obs.kpi_id, month][obs.cohort] = (float(obs.value), n)
    return table


def tag_valences(engine: Engine) -> dict[str, str]:
    """Tag -> valence ("mechanism" or "friction") of the stored taxonomy; {} before one is stored."""
    try:
        tags = story_taxonomy.taxonomy(engine)["tags"]
    except StorageError as exc:
        if exc.code != "E434":
            raise
        return {}
    return {t["id"]: t.get("valence", "mechanism") for t in tags}


def preferred_valence(kpi: dict[str, Any]) -> str | None:
    """A friction story for a KPI that got worse, a mechanism story for one that got better."""
    change, direction = kpi.get("change"), kpi.get("direction")
    if not change or direction not in ("up", "down"):
        return None
    return "mechanism" if (change > 0) == (direction == "up") else "friction"

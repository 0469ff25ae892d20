"""What reporting roles read: KPI values and reports for a period, from the report service.

KPI values are the report's own KPI section, so the API, the pages and ``insight report``
never disagree. Nothing here carries author ids; text in a report is redacted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from insight.config import Settings
from insight.errors import InputError
from insight.metrics.kpis import check_period
from insight.reports.render import render_report
from insight.services import reports
from insight.storage.db import session_scope
from insight.storage.tables import PostRow


def kpi_values(engine: Engine, settings: Settings, period: str, cohort: str | None = None) -> list[dict[str, Any]]:
    """Each KPI's value for ``period`` (all members and per cohort), with its previous value."""
    data = reports.build_report(engine, settings, check_period(period))
    out = []
    for kpi in data.kpis:
        cohorts = [c for c in kpi["cohorts"] if cohort is None or c["cohort"] == cohort]
        out.append({**kpi, "cohorts": cohorts})
    return out


def report(engine: Engine, settings: Settings, period: str, fmt: str = "json") -> Any:
    """The report for ``period``: its JSON data, or rendered as ``md`` or ``html``."""
    if fmt not in ("json", "md", "html"):
        raise InputError("E606", option="format", detail=f"'{fmt}'; use json, md or html")
    data = reports.build_report(engine, settings, check_period(period))
    return reports.report_json(data) if fmt == "json" else render_report(data, fmt)  # type: ignore[arg-type]


def latest_period(engine: Engine) -> str:
    """The last month that has stored posts (the report page opens on it), else the current month."""
    with session_scope(engine) as session:
        latest = session.scalar(select(func.max(PostRow.created_at)))
    return (latest or datetime.now(UTC)).strftime("%Y-%m")

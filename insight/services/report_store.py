"""Materialised reports and KPI values: computed by ``insight analyse``, read by the API and pages.

A report is built from every stored post (KPIs over all members and cohorts, story-metric
pairs), which takes seconds at 100,000 posts. The analyse run's last stage builds the report of
each period its new data touches and stores it as JSON, with the KPI values per period and cohort
in ``kpi_values``; Markdown and HTML are drawn from that JSON on their first read and stored too.
Readers get the stored copy while the stored inputs still match the fingerprint it was built under,
and build (and store) it again only after a change.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.errors import InputError
from insight.reports.render import ReportData, render_report
from insight.services.reports import build_report, check_period, report_json
from insight.storage import business, materialised
from insight.storage.db import session_scope

FORMATS = ("json", "md", "html")
# Stored beside the formats: the KPI section alone, so KPI reads parse a few KB, not the whole report.
KPIS = "kpis"


def fingerprint(engine: Engine, settings: Settings, fresh_seconds: float = 0.0) -> str:
    """A digest of everything a report reads (and of the settings it is built with).

    The aggregates over the large tables (posts, signals, embeddings, topic assignments) cost a
    scan each, which grows with the corpus; with ``fresh_seconds`` (the API's reads) they are
    taken at most that often per database, so a report may trail new data by that long. Consent
    is read every time (a withdrawal never waits), and so are the small business tables.
    """
    with session_scope(engine) as session:
        # Read every time: consent (a withdrawal never waits) and the business tables (small, and a
        # user's import should show at once; they feed "community influence").
        always = (materialised.consent_fingerprint(session), business.fingerprint(session))
        aggregates = _aggregates(session, str(engine.url), fresh_seconds)
    return hashlib.sha256(repr((aggregates, always, settings.config_hash())).encode()).hexdigest()


_TAKEN: dict[str, tuple[float, tuple[Any, ...]]] = {}  # database url -> (monotonic time, aggregates)
_TAKEN_LOCK = threading.Lock()


def _aggregates(session: Any, url: str, fresh_seconds: float) -> tuple[Any, ...]:
    now = time.monotonic()
    with _TAKEN_LOCK:
        taken = _TAKEN.get(url)
    if taken is not None and now - taken[0] < fresh_seconds:
        return taken[1]
    aggregates = materialised.report_fingerprint(session)
    with _TAKEN_LOCK:
        _TAKEN[url] = (now, aggregates)
    return aggregates


def kpi_rows(data: ReportData) -> list[dict[str, Any]]:
    """One row per KPI and cohort ("all" for every member) of the report's KPI section."""
    def row(kpi_id: str, cohort: str, values: dict[str, Any]) -> dict[str, Any]:
        return {"kpi_id": kpi_id, "cohort": cohort, **{k: values.get(k) for k in ("value", "ci_low", "ci_high", "n")}}

    rows = []
    for kpi in data.kpis:
        rows.append(row(kpi["id"], "all", kpi))
        rows += [row(kpi["id"], c["cohort"], c) for c in kpi.get("cohorts", [])]
    return rows


def materialise(engine: Engine, settings: Settings, period: str, run_id: str, digest: str | None = None,
                formats: tuple[str, ...] = ("json", KPIS)) -> dict[str, str] | None:
    """Build the report of ``period`` and store it in ``formats``, with its KPI values; None when the
    period has no stored posts. (Markdown and HTML draw charts, seconds a period: they are stored
    on first read instead of for every touched period.)"""
    digest = digest or fingerprint(engine, settings)  # taken first: a change during the build shows next time
    try:
        data = build_report(engine, settings, period)
    except InputError as exc:
        if exc.code == "E654":
            return None
        raise
    payloads = {fmt: _render(data, fmt) for fmt in formats}
    at = datetime.now(UTC)
    with session_scope(engine) as session:
        for fmt, payload in payloads.items():
            materialised.save_report(session, period, fmt, digest, payload, run_id, at)
        materialised.save_kpi_values(session, period, kpi_rows(data), run_id, at)
    return payloads


def _render(data: ReportData, fmt: str) -> str:
    if fmt == KPIS:
        return json.dumps(report_json(data)["kpis"], ensure_ascii=False)
    return json.dumps(report_json(data), ensure_ascii=False) if fmt == "json" else render_report(data, fmt)  # type: ignore[arg-type]


def materialise_periods(engine: Engine, settings: Settings, periods: Sequence[str], run_id: str) -> list[str]:
    """Materialise each period; returns those that had data."""
    digest = fingerprint(engine, settings)
    return [p for p in periods if materialise(engine, settings, p, run_id, digest) is not None]


def _payload(engine: Engine, settings: Settings, period: str, fmt: str, fresh_seconds: float = 0.0) -> str:
    with session_scope(engine) as session:
        found = materialised.report(session, period, fmt)
    digest = fingerprint(engine, settings, fresh_seconds)
    if found is not None and found[0] != digest and fresh_seconds:
        digest = fingerprint(engine, settings)  # the remembered aggregates may trail the run that stored it
    if found is not None and found[0] == digest:
        return found[1]
    if fmt in ("md", "html") and (drawn := _drawn_from_stored_json(engine, period, fmt, digest)) is not None:
        return drawn
    payloads = materialise(engine, settings, period, "read-through", digest, (fmt,))
    if payloads is None:  # no data: the coded error, as the report command gives it
        build_report(engine, settings, period)
    return payloads[fmt]  # type: ignore[index]


def _drawn_from_stored_json(engine: Engine, period: str, fmt: str, digest: str) -> str | None:
    """Markdown or HTML drawn from the stored JSON report of the same inputs, and stored; None when there
    is none. The first page read after ``insight analyse`` then draws charts (seconds) instead of building
    the report's data again (a minute and more at 10^6 posts)."""
    with session_scope(engine) as session:
        stored = materialised.report(session, period, "json")
    if stored is None or stored[0] != digest:
        return None
    payload = render_report(ReportData(**json.loads(stored[1])), fmt)  # type: ignore[arg-type]
    with session_scope(engine) as session:
        materialised.save_report(session, period, fmt, digest, payload, "read-through", datetime.now(UTC))
    return payload


def report_text(engine: Engine, settings: Settings, period: str, fmt: str = "json", *,
                fresh_seconds: float = 0.0) -> str:
    """The report for ``period`` as stored: JSON text, Markdown or HTML (sent as is, never re-encoded).
    ``fresh_seconds``: see ``fingerprint``."""
    if fmt not in FORMATS:
        raise InputError("E606", option="format", detail=f"'{fmt}'; use json, md or html")
    return _payload(engine, settings, check_period(period), fmt, fresh_seconds)


def report(engine: Engine, settings: Settings, period: str, fmt: str = "json", *, fresh_seconds: float = 0.0) -> Any:
    """The report for ``period``: its JSON data, or rendered as ``md`` or ``html`` (from the stored copy)."""
    payload = report_text(engine, settings, period, fmt, fresh_seconds=fresh_seconds)
    return json.loads(payload) if fmt == "json" else payload


def kpi_values(engine: Engine, settings: Settings, period: str, cohort: str | None = None, *,
               fresh_seconds: float = 0.0) -> list[dict[str, Any]]:
    """Each KPI's value for ``period`` (all members and per cohort), with its previous value: the
    report's own KPI section. ``fresh_seconds``: see ``fingerprint``."""
    out = []
    for kpi in json.loads(_payload(engine, settings, check_period(period), KPIS, fresh_seconds)):
        cohorts = [c for c in kpi["cohorts"] if cohort is None or c["cohort"] == cohort]
        out.append({**kpi, "cohorts": cohorts})
    return out

"""Report use-case: aggregate stored results for a period into ReportData and render it.

Only redacted text and aggregate numbers reach a report; author ids never do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter, defaultdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from insight.config import Settings
from insight.errors import StorageError
from insight.metrics.dictionary import load_kpi_dictionary
from insight.metrics.kpis import compute_kpis
from insight.reports.render import ReportData, render_report
from insight.services.stories import story_metric_pairs
from insight.storage import repository as repo
from insight.storage.db import session_scope
from insight.storage.tables import PostRow, SignalRow, ThreadRow, TopicAssignmentRow, TriageItemRow


def previous_period(period: str) -> str:
    return str((pd.Period(period, freq="M") - 1))


def _input_hash(session) -> str:  # type: ignore[no-untyped-def]
    """A fingerprint of the stored inputs: post count, latest post and newest ingest run."""
    count, latest = session.execute(select(func.count(PostRow.id), func.max(PostRow.created_at))).one()
    return hashlib.sha256(f"{count}|{latest}".encode()).hexdigest()[:12]


def _kpi_section(posts: pd.DataFrame, members: pd.DataFrame, period: str, kpi_path: Path | None,
                 observations: list[Any]) -> list[dict[str, Any]]:
    dictionary = load_kpi_dictionary(kpi_path)
    current = compute_kpis(posts, members, period)
    previous = compute_kpis(posts, members, previous_period(period))
    prev_all = {v.kpi_id: v.value for v in previous if v.cohort == "all"}
    by_kpi: dict[str, list[Any]] = defaultdict(list)
    for value in current:
        by_kpi[value.kpi_id].append(value)
    external = _external_values(observations, period)
    out = []
    for kpi_id, definition in dictionary.items():
        values = by_kpi.get(kpi_id) or external.get(kpi_id, [])
        overall = next((v for v in values if v.cohort == "all"), None)
        previous_value = prev_all.get(kpi_id) if kpi_id in by_kpi else _external_previous(observations, kpi_id, period)
        out.append({
            "id": kpi_id, "name": definition.name, "direction": definition.direction, "category": definition.category,
            "definition": definition.definition, "value": overall.value if overall else None,
            "previous": previous_value, "n": overall.n if overall else 0,
            # Cohorts with no members in the period say nothing; leave them out of the table.
            "cohorts": [{"cohort": v.cohort, "value": v.value, "n": v.n} for v in values
                        if v.cohort != "all" and v.n],
        })
    return out


class _Obs:
    def __init__(self, kpi_id: str, cohort: str, value: float, n: int | None) -> None:
        self.kpi_id, self.cohort, self.value, self.n = kpi_id, cohort, value, n or 0


def _external_values(observations: list[Any], period: str) -> dict[str, list[_Obs]]:
    out: dict[str, list[_Obs]] = defaultdict(list)
    for obs in observations:
        if obs.period_start.strftime("%Y-%m") == period:
            out[obs.kpi_id].append(_Obs(obs.kpi_id, obs.cohort, obs.value, obs.n))
    return out


def _external_previous(observations: list[Any], kpi_id: str, period: str) -> float | None:
    prev = previous_period(period)
    return next((o.value for o in observations if o.kpi_id == kpi_id and o.cohort == "all"
                 and o.period_start.strftime("%Y-%m") == prev), None)


def _topics_section(session, period: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    topics = repo.latest_topics(session)
    if not topics:
        return []
    start, end = pd.Period(period, freq="M").start_time.tz_localize("UTC"), pd.Period(period, freq="M").end_time.tz_localize("UTC")
    counts = Counter(dict(session.execute(
        select(TopicAssignmentRow.topic, func.count()).join(PostRow, PostRow.id == TopicAssignmentRow.post_pk)
        .where(PostRow.created_at >= start.to_pydatetime(), PostRow.created_at <= end.to_pydatetime())
        .group_by(TopicAssignmentRow.topic)
    ).all()))
    total = sum(counts.values()) or 1
    rows = [{"topic": t["topic"], "label": t["label"], "words": t["words"], "size": counts.get(t["topic"], 0),
             "share": counts.get(t["topic"], 0) / total} for t in topics if t["topic"] != -1]
    return sorted(rows, key=lambda r: (-r["size"], r["topic"]))[:12]


def _sentiment_section(session, period: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    start = pd.Period(period, freq="M").start_time.tz_localize("UTC").to_pydatetime()
    end = pd.Period(period, freq="M").end_time.tz_localize("UTC").to_pydatetime()
    rows = session.execute(
        select(PostRow.channel, SignalRow.sentiment_label, func.count())
        .join(SignalRow, SignalRow.post_pk == PostRow.id)
        .where(PostRow.created_at >= start, PostRow.created_at <= end)
        .group_by(PostRow.channel, SignalRow.sentiment_label)
    ).all()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for channel, label, count in rows:
        table[channel or "(none)"][label] += count
    out = []
    for channel in sorted(table):
        n = sum(table[channel].values())
        out.append({"channel": channel, "n": n, **{k: table[channel][k] / n for k in ("positive", "neutral", "negative")}})
    return out


def _queue_section(session, limit: int = 15) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    last_run = session.scalar(select(TriageItemRow.run_id).order_by(TriageItemRow.id.desc()).limit(1))
    if last_run is None:
        return []
    rows = session.execute(
        select(TriageItemRow, ThreadRow.title, ThreadRow.channel).join(ThreadRow, ThreadRow.thread_key == TriageItemRow.thread_key)
        .where(TriageItemRow.run_id == last_run, TriageItemRow.needs_attention.is_(True))
        .order_by(TriageItemRow.priority.desc(), TriageItemRow.thread_key).limit(limit)
    ).all()
    return [{"thread_id": r.thread_key, "title": title, "channel": channel, "priority": r.priority,
             "reasons": r.reasons, "explanation": r.explanation} for r, title, channel in rows]


def build_report(engine: Engine, settings: Settings, period: str, *, run_id: str,
                 kpi_dictionary: Path | None = None) -> ReportData:
    with session_scope(engine) as session:
        posts = repo.posts_frame(session)
        members = repo.members_frame(session, settings.ingest.unknown_members)
        observations = repo.kpi_observations(session)
        data = ReportData(
            title=f"Community insight report, {period}",
            period=period,
            generated_for=pd.Period(period, freq="M").end_time.tz_localize("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"),
            run={"run_id": run_id, "config_hash": settings.config_hash(), "input_hash": _input_hash(session),
                 "models": {"embedder": "all-MiniLM-L6-v2 (packaged)", "sentiment": settings.models.sentiment,
                            "bertopic": version("bertopic")}},
            kpis=_kpi_section(posts, members, period, kpi_dictionary, observations),
            topics=_topics_section(session, period),
            sentiment_by_channel=_sentiment_section(session, period),
            queue=_queue_section(session),
            notes=["Members without analytics consent are excluded from every number.",
                   "Quoted text is redacted for emails, phone numbers, secrets and person names."],
        )
    return dataclasses.replace(data, story_metric_pairs=_story_pairs(engine, period, settings))


def _story_pairs(engine: Engine, period: str, settings: Settings) -> list[dict[str, Any]]:
    """Confirmed stories beside their KPI values (quotes only with consent); none before a taxonomy is stored."""
    try:
        pairs = story_metric_pairs(engine, period, unknown_members=settings.ingest.unknown_members)
    except StorageError as exc:
        if exc.code != "E434":
            raise
        return []
    return [p.as_dict() for p in pairs]


def write_report(data: ReportData, folder: Path, formats: tuple[str, ...] = ("md", "html")) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in formats:
        target = folder / f"report-{data.period}.{fmt}"
        if fmt == "json":
            target.write_text(json.dumps(report_json(data), indent=2, ensure_ascii=False, default=str) + "\n",
                              encoding="utf-8")
        else:
            target.write_text(render_report(data, fmt), encoding="utf-8")  # type: ignore[arg-type]
        paths[fmt] = str(target)
    return paths


def report_json(data: ReportData) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(data)

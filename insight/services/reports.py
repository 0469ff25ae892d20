"""Report use-case: aggregate stored results for a period into ReportData and render it; what
reporting roles read (KPI values, a report as JSON, Markdown or HTML) comes from here too, so the
API, the pages and ``insight report`` never disagree.

Per KPI of the dictionary: its trend over the last ``TREND_PERIODS`` months, the change by
cohort, the annotations that fall in that window, one member story (chosen by
``insight.reports.story_choice``) and the sample size. Then topics rising and falling,
sentiment by channel and cohort, the triage summary, and one win, one worry and one
experiment from ``insight.reports.narrative``. A run record makes it reproducible.

Only redacted text and aggregate numbers reach a report; author ids never do, and a story
is quoted only when its member consented to quotes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.config import Settings
from insight.errors import InputError, StorageError
from insight.metrics.dictionary import DEFAULT_KPIS_RESOURCE
from insight.metrics.evidence import TREND_MIN_MOVES
from insight.metrics.experiments import load_experiments
from insight.metrics.feedback import feedback_by_moment
from insight.metrics.kpis import check_period as _month
from insight.metrics.kpis import months_ending
from insight.records import StoryMetricPair, utc
from insight.reports import narrative
from insight.reports.annotations import Annotation, load_annotations
from insight.reports.render import ReportData, chart_files, render_report, report_charts
from insight.reports.run_record import run_record, snapshot, text_digest
from insight.reports.story_choice import KpiFocus, choose_stories
from insight.services import consented, stored_kpis
from insight.services.experiments import as_annotations, experiments_file, report_readouts
from insight.services.influence import report_influence
from insight.services.report_kpis import kpi_section, preferred_valence, tag_valences
from insight.services.stories import story_metric_pairs
from insight.storage import kpis, members, posts, queue, signals, topics
from insight.storage.db import session_scope
from insight.topics.groups import words_per_group
from insight.version import __version__

TREND_PERIODS = 6
SENTIMENT_COHORT_DIMENSIONS = ("motivation", "segment")


# The months a report can cover: year 1 or 9999 is an input error (E606), not a date overflow.
FIRST_YEAR, LAST_YEAR = 1970, 2200


def check_period(period: str, option: str = "period") -> str:
    """``period`` as a ``YYYY-MM`` month from FIRST_YEAR to LAST_YEAR; E606 naming ``option`` if not."""
    period = _month(period, option)
    if not FIRST_YEAR <= int(period[:4]) <= LAST_YEAR:
        raise InputError("E606", option=option, detail=f"'{period}'; use a month from {FIRST_YEAR} to {LAST_YEAR}")
    return period


def previous_period(period: str) -> str:
    return str(pd.Period(period, freq="M") - 1)


def trend_periods(period: str, count: int = TREND_PERIODS) -> list[str]:
    """The ``count`` months ending with ``period``, oldest first."""
    return months_ending(period, count)


def story_candidates(engine: Engine, settings: Settings, period: str) -> list[StoryMetricPair]:
    """Story-metric pairs of the stories told in the report's story window (``stories.story_window``:
    the period and the two months before, as the pairs API gives them), from the stories service;
    none before a taxonomy is stored. The choice prefers the period's own stories (``story_choice``).
    """
    try:
        return story_metric_pairs(engine, period, unknown_members=settings.ingest.unknown_members)
    except StorageError as exc:
        if exc.code != "E434":  # E434: no taxonomy stored, so no stories yet
            raise
        return []


def build_report(engine: Engine, settings: Settings, period: str, *, kpi_dictionary: Path | None = None,
                 annotations: Path | None = None, experiments: Path | None = None) -> ReportData:
    """Everything the report for ``period`` (YYYY-MM) shows, from what is stored.

    Raises:
        InputError: E654 when no post is stored for the period; E651/E652 for an unreadable
            annotations file (bad entries are skipped and named in the notes, E653).
    """
    notes_loaded: list[Annotation] = []
    notes_from_file: list[str] = []
    if annotations is None and settings.reports.annotations:
        annotations = Path(settings.reports.annotations)  # the CLI, the API and the pages read the same notes
    if annotations is not None:
        notes_loaded, notes_from_file = load_annotations(annotations)
    experiments_path = experiments_file(settings, experiments)
    registered = load_experiments(experiments_path) if experiments_path else {}
    notes_loaded = sorted([*notes_loaded, *as_annotations(registered)], key=lambda a: (a.date, a.title))
    pairs = story_candidates(engine, settings, period)
    with session_scope(engine) as session:
        first_month = _require_data(session, period)
        # Months before the first stored post would show as 0% activity, an artefact, not a trend.
        periods = [m for m in trend_periods(period) if m >= first_month]
        start, end = _bounds(periods[0])[0], _bounds(period)[1]
        unknown = settings.ingest.unknown_members
        member_frame = consented.people_frame(session, unknown)
        observations = kpis.kpi_observations(session)
        sections = kpi_section(session, unknown, periods, kpi_dictionary, observations,
                               _numbered(notes_loaded, start, end), start, min_cohort_n=settings.reports.min_cohort_n)
        valences = tag_valences(engine)
        choices = choose_stories(pairs, [KpiFocus(k["id"], k["focus_cohort"], _population(k), period,
                                                  preferred_valence(k), valences) for k in sections])
        for kpi in sections:
            kpi["story"] = choices[kpi["id"]].as_dict()
        topic_rows, moves = _topics_section(session, period)
        shown, open_total = _queue_section(session)
        record = _run_record(session, settings, period, kpi_dictionary, annotations, pairs, experiments_path)
        data = ReportData(
            title=f"Community insight report, {period}",
            period=period,
            generated_for=_bounds(period)[1].strftime("%Y-%m-%dT%H:%M:%SZ"),
            run=record,
            kpis=sections,
            topics=topic_rows,
            topic_moves=moves,
            sentiment_by_channel=_sentiment_by_channel(session, period),
            sentiment_by_cohort=_sentiment_by_cohort(session, member_frame, period),
            queue=shown,
            queue_total=open_total,
            headline=narrative.headline(sections, horizon_months=settings.reports.experiment_horizon_months),
            annotations=[a.as_dict() for a in notes_loaded if _overlaps(a, start, end)],
            experiments=report_readouts(session, settings, registered),
            feedback=_feedback_section(session, settings, period),
            survival=stored_kpis.survival(session, unknown, period, min_n=settings.reports.min_cohort_n),
            story_metric_pairs=[p.as_dict() for p in sorted(pairs, key=_pair_key)],
            community_influence=report_influence(session, settings, period, pairs, registered),
            notes=_notes(notes_from_file, settings) + consented.linked_note(session),
        )
    return data


def _notes(from_file: list[str], settings: Settings) -> list[str]:
    """The report's closing notes: skipped annotations, then what every number means."""
    return [*from_file,
            "Members without analytics consent are excluded from every number.",
            "Quoted text is redacted for emails, phone numbers, secrets and person names, and only "
            "members who consented to quotes are quoted.",
            f"Every value and change carries a 95% interval; a change whose interval spans zero is "
            f"within noise. Headlines need n >= {narrative.MIN_N} and evidence (a significant change, or "
            f"a trend over {TREND_MIN_MOVES} or more months); cohorts under n = "
            f"{settings.reports.min_cohort_n} are not shown."]


def write_report(data: ReportData, folder: Path, formats: tuple[str, ...] = ("md", "html")) -> dict[str, str]:
    """Write the report in each format; Markdown gets its chart images in ``report-<period>-charts/``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    specs = report_charts(data) if {"md", "html"} & set(formats) else {}
    for fmt in formats:
        target = folder / f"report-{data.period}.{fmt}"
        if fmt == "json":
            target.write_text(json.dumps(report_json(data), indent=2, ensure_ascii=False, default=str) + "\n",
                              encoding="utf-8")
        else:
            target.write_text(render_report(data, fmt, specs), encoding="utf-8")  # type: ignore[arg-type]
        if fmt == "md":
            for name, png in chart_files(data, specs).items():
                image = folder / name
                image.parent.mkdir(parents=True, exist_ok=True)
                image.write_bytes(png)
        paths[fmt] = str(target)
    return paths


def report_json(data: ReportData) -> dict[str, Any]:
    return data.as_dict()


# --- what reporting roles read (API and pages) -----------------------------------------------


def require_period(engine: Engine, period: str, option: str = "period") -> str:
    """``period`` checked (E606) and holding stored posts (E654, a 404 in the API): what every surface
    asks before it answers for a month, so none answers an empty month with an empty list."""
    period = check_period(period, option)
    with session_scope(engine) as session:
        _require_data(session, period)
    return period


def retention_survival(engine: Engine, settings: Settings, period: str) -> list[dict[str, Any]]:
    """Kaplan-Meier retention by cohort as of the end of ``period``: the report's survival section.

    Raises:
        InputError: E606 for a bad period, E654 when the period has no stored post.
    """
    period = require_period(engine, period)
    with session_scope(engine) as session:
        return stored_kpis.survival(session, settings.ingest.unknown_members, period,
                                    min_n=settings.reports.min_cohort_n)


def latest_period(engine: Engine) -> str:
    """The last month that has stored posts (the report page opens on it), else the current month."""
    with session_scope(engine) as session:
        latest = posts.time_span(session)[1]
    return (latest or datetime.now(UTC)).strftime("%Y-%m")


# --- KPIs ----------------------------------------------------------------------------------


def _numbered(annotations: list[Annotation], start: pd.Timestamp, end: pd.Timestamp) -> list[tuple[str, Annotation]]:
    """Annotations overlapping the trend window, numbered once for the whole report so every chart agrees."""
    inside = [a for a in annotations if _overlaps(a, start, end)]
    return [(str(i), a) for i, a in enumerate(inside, start=1)]


def _overlaps(note: Annotation, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return note.date < end.date() and (note.end or note.date) >= start.date()


def _population(kpi: dict[str, Any]) -> dict[str, int]:
    return {"all": int(kpi["n"] or 0), **{c["cohort"]: int(c["n"]) for c in kpi["cohorts"]}}


def _pair_key(pair: StoryMetricPair) -> tuple[str, str, str, str]:
    return (pair.kpi_id, pair.cohort, pair.story_id, pair.link_id)


# --- topics, sentiment, queue --------------------------------------------------------------


def _topic_counts(session: Session, period: str) -> Counter[int]:
    # Every current assignment: later analyse runs assign new posts to the newest model's topics.
    start, end = _bounds(period)
    return Counter(topics.topic_counts(session, None, start.to_pydatetime(), end.to_pydatetime()))


def _topics_section(session: Session, period: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    latest = topics.latest_topics(session)
    if not latest:
        return [], {"rising": [], "falling": []}
    counts = _topic_counts(session, period)
    before = _topic_counts(session, previous_period(period))
    total = sum(counts.values()) or 1
    rows = [{"topic": t["topic"], "label": t["label"], "words": t["words"], "size": counts.get(t["topic"], 0),
             "share": counts.get(t["topic"], 0) / total} for t in latest if t["topic"] != -1]
    labels = {t["topic"]: t["label"] for t in latest}
    return sorted(rows, key=lambda r: (-r["size"], r["topic"]))[:12], narrative.topic_moves(counts, before, labels)


def _period_signals(session: Session, period: str) -> list[tuple[str | None, str, str]]:
    """(channel, author_id, sentiment label) of every scored post in the period."""
    start, end = _bounds(period)
    return signals.sentiment_rows(session, start.to_pydatetime(), end.to_pydatetime())


def _shares(groups: dict[str, Counter[str]], key: str) -> list[dict[str, Any]]:
    out = []
    for name in sorted(groups):
        n = sum(groups[name].values())
        out.append({key: name, "n": n, **{k: groups[name][k] / n for k in ("positive", "neutral", "negative")}})
    return out


def _sentiment_by_channel(session: Session, period: str) -> list[dict[str, Any]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for channel, _, label in _period_signals(session, period):
        table[channel or "(none)"][label] += 1
    return _shares(table, "channel")


def _sentiment_by_cohort(session: Session, member_frame: pd.DataFrame, period: str) -> list[dict[str, Any]]:
    """Sentiment shares per motivation and segment of consenting members (authors with no record fall out)."""
    consenting = member_frame[member_frame["consent_analytics"]].set_index("author_id")
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for _, author, label in _period_signals(session, period):
        if author not in consenting.index:
            continue
        for dim in SENTIMENT_COHORT_DIMENSIONS:
            value = consenting.at[author, dim]
            if isinstance(value, str) and value:
                table[f"{dim}={value}"][label] += 1
    return _shares(table, "cohort")


def _feedback_section(session: Session, settings: Settings, period: str) -> list[dict[str, Any]]:
    """Ratings and sentiment of the period's feedback answers per moment, with intervals, and their
    themes (distinctive words of the redacted answers); consent applied."""
    start, end = _bounds(period)
    labels = signals.feedback_labels(session, start.to_pydatetime(), end.to_pydatetime())
    rows = [r for r in consented.feedback_answers(session, settings.ingest.unknown_members)
            if start <= r["created_at"] < end]
    frame = pd.DataFrame([{"moment": r["moment"], "created_at": r["created_at"], "rating": r["rating"],
                           "sentiment": labels.get(r["response_id"])} for r in rows],
                         columns=["moment", "created_at", "rating", "sentiment"])
    themes = words_per_group([r["text_redacted"] for r in rows], [r["moment"] for r in rows])
    return feedback_by_moment(frame, start, end, min_n=settings.reports.min_cohort_n, themes=themes)


QUEUE_SHOWN = 15
QUEUE_COUNTED = 100_000  # every open item is counted, so the report says "33 open, top 15 shown"


def _queue_section(session: Session, limit: int = QUEUE_SHOWN) -> tuple[list[dict[str, Any]], int]:
    """The top ``limit`` threads that need attention, and how many need it in all."""
    last_run = queue.last_triage_run(session)
    items = [] if last_run is None else queue.attention_items(session, last_run, QUEUE_COUNTED)
    return items[:limit], len(items)


# --- run record ----------------------------------------------------------------------------


def _run_record(session: Session, settings: Settings, period: str, kpi_path: Path | None, annotations: Path | None,
                pairs: list[StoryMetricPair], experiments: Path | None = None) -> dict[str, Any]:
    """Hashes of every stored row the report can see (nothing after the period's end), models, seeds, config."""
    end = _bounds(period)[1].to_pydatetime()
    latest = topics.latest_topics(session)
    topic_run = latest[0]["run_id"] if latest else None
    triage_run = queue.last_triage_run(session)
    inputs = {
        "posts": snapshot(posts.snapshot_rows(session, end)),
        "signals": snapshot(signals.snapshot_rows(session, end)),
        "topic_assignments": snapshot(topics.snapshot_rows(session, topic_run, end)),
        "topics": snapshot((t["topic"], t["label"], t["words"]) for t in latest),
        "members": snapshot(members.snapshot_rows(session)),
        "kpi_observations": snapshot(kpis.snapshot_rows(session)),
        "triage_items": snapshot(queue.triage_snapshot_rows(session, triage_run)),
        "story_metric_pairs": snapshot(json.dumps(p.as_dict(), sort_keys=True)
                                       for p in sorted(pairs, key=_pair_key)),
    }
    models = _models(session, topic_run, triage_run)
    kpi_text = (Path(kpi_path).read_text(encoding="utf-8") if kpi_path else
                _packaged(DEFAULT_KPIS_RESOURCE))
    config = {
        "period": period,
        "trend_periods": TREND_PERIODS,
        "min_n": narrative.MIN_N,
        "min_cohort_n": settings.reports.min_cohort_n,
        "experiment_horizon_months": settings.reports.experiment_horizon_months,
        "kpi_dictionary_sha256": text_digest(kpi_text),
        "annotations_sha256": text_digest(Path(annotations).read_bytes()) if annotations else None,
        "experiments_sha256": text_digest(Path(experiments).read_bytes()) if experiments else None,
        "unknown_members": settings.ingest.unknown_members,
    }
    runs = signals.run_ids(session) + ([topic_run] if topic_run else []) + ([triage_run] if triage_run else [])
    return run_record(inputs=inputs, models=models, seeds={"topics": settings.topics.seed}, config=config,
                      settings_hash=settings.config_hash(), insight_version=__version__, pipeline_runs=runs)


def _models(session: Session, topic_run: str | None, triage_run: str | None) -> dict[str, str]:
    """``{stage: "model@revision"}`` of the stored outputs the report reads."""
    found = signals.models(session) | topics.models(session, topic_run) | queue.triage_models(session, triage_run)
    return {stage: f"{model or 'rules'}@{revision or 'n/a'}" for stage, model, revision in sorted(found, key=str)}


def _packaged(name: str) -> str:
    from importlib import resources

    return resources.files("insight").joinpath(name).read_text(encoding="utf-8")


def _require_data(session: Session, period: str) -> str:
    """The month of the first stored post; E654 when the period itself has no post."""
    start, end = _bounds(period)
    inside = posts.any_between(session, start.to_pydatetime(), end.to_pydatetime())
    first, last = posts.time_span(session)
    if inside:
        return f"{utc(first):%Y-%m}"  # type: ignore[str-format]
    stored = "nothing is stored yet" if first is None else \
        f"stored posts run from {utc(first):%Y-%m} to {utc(last):%Y-%m}"  # type: ignore[str-format]
    raise InputError("E654", period=period, stored=stored)


def _bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The month as a half-open UTC interval [start, end)."""
    month = pd.Period(period, freq="M")
    start = month.start_time.tz_localize("UTC")
    return start, (month + 1).start_time.tz_localize("UTC")

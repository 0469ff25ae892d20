"""``insight analyse``: the pipeline on what is stored, incremental, idempotent and resumable.

Stages, in order (a spec picks which, ``runtime.spec``): ``score`` (posts that need it, one encoder
pass, committed per batch with their float16 embeddings: ``services.scoring``), ``feedback``
(feedback answers), ``topics`` (new posts onto the stored model from their stored embeddings;
refit keeping ids when asked or when too many are outliers), ``stories`` (detection and tag
suggestions on what this run scored, when a taxonomy is loaded), ``triage`` (the queue, refreshed)
and ``kpis`` (KPI values and reports materialised for the periods the new data touches).

A second run with nothing new scores nothing and writes nothing but its run record.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.metrics.kpis import check_period, period_bounds
from insight.records import utc
from insight.runtime.pipeline import Pipeline
from insight.runtime.spec import AnalyseSpec
from insight.runtime.stage import StageContext
from insight.services import report_store, story_taxonomy, topics, triage
from insight.services.scoring import (
    PostScoring,
    ScoreCounts,
    current_revision,
    process_owner,
    score_feedback,
    score_posts,
)
from insight.services.stories import tag_stored
from insight.storage import materialised, posts, runs, signals
from insight.storage.db import session_scope

# How a stage reports progress: a context manager giving an "advance by n" callable.
ProgressFactory = Callable[[str, int | None], Any]
# Retention and other KPIs read months before the data that changed (a cohort joined then).
KPI_LOOKBACK_MONTHS = 3


@contextmanager
def tqdm_progress(desc: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A tqdm bar on stderr with counts and rate (quiet when stderr is not a terminal and CI logs it)."""
    from tqdm import tqdm

    # A stage with no known size shows its name, what it counted and the time, not an empty bar.
    shape = "{desc}: {n_fmt} [{elapsed}]" if total is None else None
    with tqdm(total=total, desc=desc, unit="item", file=sys.stderr, dynamic_ncols=True, mininterval=1.0,
              bar_format=shape) as bar:
        yield bar.update


@contextmanager
def no_progress(desc: str, total: int | None) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


class StageTimer:
    """Wraps a progress factory: each stage's wall time goes into ``seconds`` (the summary reports it)."""

    def __init__(self, progress: ProgressFactory) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, desc: str, total: int | None) -> Iterator[Callable[[int], None]]:
        started = time.perf_counter()
        with self.progress(desc, total) as advance:
            yield advance
        self.seconds[desc] = round(self.seconds.get(desc, 0.0) + time.perf_counter() - started, 3)


def _pipelines(settings: Settings, spec: AnalyseSpec, run_id: str) -> tuple[Pipeline, Pipeline]:
    context = StageContext(settings, run_id)
    batch = spec.batch_size or settings.pipeline.batch_size
    posts = Pipeline(Pipeline.from_names(spec.encoder or settings.pipeline.stages, context).stages,
                     engine=spec.engine or settings.pipeline.engine, batch_size=batch)
    answers = Pipeline(Pipeline.from_names(settings.pipeline.score_stages, context).stages, batch_size=batch)
    return posts, answers


def _score(engine: Engine, settings: Settings, spec: AnalyseSpec, run_id: str, since: datetime | None,
           rescore: bool, progress: ProgressFactory) -> ScoreCounts:
    counts = ScoreCounts()
    posts, answers = _pipelines(settings, spec, run_id)
    stale = current_revision(posts) if rescore else None
    job = PostScoring(settings, process_owner(), since, stale)
    if "score" in spec.stages:
        with session_scope(engine) as session:
            todo = sum(n for _, _, n in signals.pending_ranges(session, 10_000, since=since, stale_revision=stale))
        if todo:  # nothing pending: the model is not even loaded
            with progress("score posts", todo) as advance:
                score_posts(engine, posts, job, advance, counts)
    if "feedback" in spec.stages:
        with progress("score feedback", None) as advance:
            score_feedback(engine, answers, job, advance, counts)
    return counts


def touched_periods(engine: Engine, run_id: str) -> list[str]:
    """The months whose KPIs the run's new data can change: from a few months before the first
    scored post (cohorts that joined then) to the last month with data."""
    with session_scope(engine) as session:
        first, last = materialised.periods_scored(session, run_id)
    if first is None or last is None:
        return []
    start, end = utc(first), utc(last)
    year, month = start.year, start.month - KPI_LOOKBACK_MONTHS
    while month < 1:
        year, month = year - 1, month + 12
    out = []
    while (year, month) <= (end.year, end.month):
        out.append(check_period(f"{year:04d}-{month:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    with session_scope(engine) as session:  # months with no post have no report
        return [p for p in out if posts.any_between(session, *(t.to_pydatetime() for t in period_bounds(p)))]


def analyse(engine: Engine, settings: Settings, spec: AnalyseSpec | None = None, *, since: datetime | None = None,
            rescore: bool = False, refit: bool = False, as_of: datetime | None = None,
            progress: ProgressFactory = no_progress) -> dict[str, Any]:
    """Run the spec's stages on the stored data; returns the one-line summary of ``insight analyse``."""
    spec = spec or AnalyseSpec()
    timer = StageTimer(progress)
    progress = timer
    with session_scope(engine) as session:
        run_id = runs.start_run(session, "analyse", settings.config_hash())
    summary: dict[str, Any] = {"run_id": run_id, "spec": spec.name, "stages": spec.stages}
    try:
        counts = _score(engine, settings, spec, run_id, since, rescore, progress)
        summary.update(posts_scored=counts.posts_scored, posts_skipped=counts.posts_skipped,
                       feedback_scored=counts.feedback_scored, feedback_skipped=counts.feedback_skipped)
        if counts.posts_scored or counts.feedback_scored or refit or spec.refit:
            summary.update(_later_stages(engine, settings, spec, run_id, refit=refit or spec.refit,
                                         as_of=as_of or datetime.now(UTC), progress=progress))
        else:  # nothing new: nothing to change (``insight triage refresh`` re-ranks as time passes)
            summary.update(topics=None, stories_suggested=0, queue_active=triage.count_queue(engine, status="active"),
                           periods_materialised=[])
    except BaseException as exc:
        with session_scope(engine) as session:
            runs.finish_run(session, run_id, {**summary, "error": f"{type(exc).__name__}: {exc}"[:500]},
                            status="failed")
        raise
    summary["seconds"] = timer.seconds
    with session_scope(engine) as session:
        runs.finish_run(session, run_id, summary)
    return summary


def _later_stages(engine: Engine, settings: Settings, spec: AnalyseSpec, run_id: str, *, refit: bool,
                  as_of: datetime, progress: ProgressFactory) -> dict[str, Any]:
    out: dict[str, Any] = {"topics": None, "topics_refit": False, "stories_suggested": 0, "queue_active": None,
                           "periods_materialised": []}
    if "topics" in spec.stages:
        with progress("topics", None) as advance:
            found = topics.update_stored_topics(engine, settings, StageContext(settings, run_id), refit=refit,
                                                progress=advance)
        out.update(topics=found["topics"], topics_refit=found["refit"], posts_assigned=found["assigned"],
                   outlier_share=found["outlier_share"], **({"topics_note": found["note"]} if "note" in found else {}))
    if "stories" in spec.stages and story_taxonomy.has_taxonomy(engine):
        with progress("stories", None):
            found = tag_stored(engine, settings, run_id, new_in_run=run_id)
        out.update(stories_found=found["stories_found"], stories_suggested=found["suggested"])
    if "triage" in spec.stages:
        with progress("triage", None):
            queue = triage.refresh_queue(engine, settings, as_of=as_of, run_id=run_id)
        out.update(queue_active=queue["active"], queue_opened=queue.get("opened"))
    if "kpis" in spec.stages:
        periods = touched_periods(engine, run_id)
        with progress("kpis and reports", len(periods)) as advance:
            done = []
            for period in periods:
                if report_store.materialise(engine, settings, period, run_id) is not None:
                    done.append(period)
                advance(1)
        out["periods_materialised"] = done
    return out

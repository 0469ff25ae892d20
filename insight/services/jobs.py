"""Background scoring of webhook posts: a job table in the database, claimed with a lease.

A webhook only queues (one job per platform post, so a redelivery queues nothing) and answers.
Workers claim a batch by setting a lease; they store the posts through the ingest service
(validation, pseudonyms, consent, redaction: as for files) and score them. The signals and
the job's ``done`` are written in one transaction, and only while the worker still holds the
lease, so:

- a worker that dies leaves its jobs ``running`` with a lease that runs out; another worker
  claims them again (nothing is lost);
- a worker whose lease ran out (it was too slow, or paused) finds its jobs taken and stores
  nothing (E452), so each post is scored at most once;
- a job that keeps failing (or keeps killing workers) is ``failed`` after ``job_max_attempts``.

Ingest is idempotent (a post already stored is a duplicate), so repeating it after a crash is safe.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.errors import StorageError
from insight.ingest.base import RawRow
from insight.privacy.redact import Redactor
from insight.records import Doc, Provenance, utc
from insight.services import triage
from insight.services.ingest import Ingestor
from insight.storage import jobs as job_store
from insight.storage import posts, runs, signals
from insight.storage.db import session_scope

log = logging.getLogger(__name__)

STATUSES = ("queued", "running", "done", "failed")


@dataclasses.dataclass(frozen=True)
class Job:
    id: int
    platform: str
    post_id: str
    fmt: str
    source: str
    row: dict[str, Any]
    attempts: int


@dataclasses.dataclass(frozen=True)
class PostToScore:
    pk: int
    text: str  # raw text: the models need it (the safety rules see a posted phone number)


# A scorer turns stored posts into ``signals`` rows (see ``analysis.signal_rows``) and their provenance.
Scorer = Callable[[Sequence[PostToScore]], tuple[list[dict[str, Any]], Provenance]]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- queueing


def enqueue(engine: Engine, fmt: str, rows: Sequence[RawRow]) -> dict[str, int]:
    """Queue post rows read by an adapter; a post already queued (any status) is a duplicate."""
    values = [{"platform": str(r.data.get("platform") or fmt), "post_id": str(r.data.get("post_id")), "fmt": fmt,
               "source": r.source[:300], "row": r.data, "status": "queued", "attempts": 0, "created_at": _now()}
              for r in rows if r.kind == "post" and r.data.get("post_id") is not None]
    unique = list({(v["platform"], v["post_id"]): v for v in values}.values())
    if not unique:
        return {"queued": 0, "duplicates": len(values)}
    with session_scope(engine) as session:
        queued = job_store.enqueue(session, unique)
    return {"queued": queued, "duplicates": len(values) - queued}


# --------------------------------------------------------------------------- claiming


def claim(engine: Engine, worker: str, settings: Settings, limit: int | None = None,
          now: datetime | None = None) -> list[Job]:
    """Lease up to ``limit`` queued jobs (or running ones whose lease ran out) to ``worker``."""
    now = now or _now()
    cfg = settings.api
    with session_scope(engine) as session:
        claimed = job_store.claim(session, worker, now=now, limit=limit or cfg.worker_batch_size,
                                  max_attempts=cfg.job_max_attempts, lease_seconds=cfg.job_lease_seconds)
    return [Job(**j) for j in claimed]


# --------------------------------------------------------------------------- one batch


def _stored(session, jobs: Sequence[Job]) -> dict[int, tuple[int, bool, str]]:  # type: ignore[no-untyped-def]
    """job id -> (post pk, already scored, raw text) for the jobs whose post is stored."""
    by_platform: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        by_platform[job.platform].append(job)
    out = {}
    for platform, group in by_platform.items():
        found = posts.scoring_state(session, platform, [j.post_id for j in group])
        out.update({j.id: found[j.post_id] for j in group if j.post_id in found})
    return out


def process(engine: Engine, settings: Settings, worker: str, jobs: Sequence[Job], scorer: Scorer,
            redactor: Redactor | None = None) -> Counter[str]:
    """Store and score claimed jobs; commit signals and ``done`` together while the lease holds."""
    by_fmt: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        by_fmt[job.fmt].append(job)
    for fmt, group in by_fmt.items():
        Ingestor(engine, settings, redactor).ingest_rows(
            [RawRow(kind="post", data=j.row, source=j.source) for j in group], fmt, command="webhook")
    with session_scope(engine) as session:
        stored = _stored(session, jobs)
    to_score = {job_id: (pk, text) for job_id, (pk, scored, text) in stored.items() if not scored}
    rows, provenance = scorer([PostToScore(pk, text) for pk, text in to_score.values()]) if to_score else ([], None)
    outcome = {j.id: ("not_stored" if j.id not in stored else "scored" if j.id in to_score else "already_scored")
               for j in jobs}
    counts: Counter[str] = Counter()
    with session_scope(engine) as session:
        now = _now()
        held = set()
        for job_id, name in outcome.items():
            # One statement per job (each has its own post pk); the lease check makes it a no-op
            # when another worker has taken the job meanwhile.
            if job_store.finish(session, job_id, worker, outcome=name, now=now,
                                post_pk=stored[job_id][0] if job_id in stored else None):
                held.add(job_id)
                counts[name] += 1
        lost = [j.id for j in jobs if j.id not in held]
        if lost:
            counts["lease_lost"] += len(lost)
            log.warning("%s", StorageError("E452", job_id=lost[0], worker=worker))
        keep = {to_score[job_id][0] for job_id in held if job_id in to_score}
        if provenance is not None:
            signals.save_signals(session, [r for r in rows if r["post_pk"] in keep], provenance)
    return counts


def release(engine: Engine, settings: Settings, worker: str, jobs: Sequence[Job], error: str) -> None:
    """Give jobs back after an error: queued again, or failed once they used every attempt."""
    with session_scope(engine) as session:
        for job in jobs:
            job_store.release(session, job.id, worker, final=job.attempts >= settings.api.job_max_attempts,
                              error=error[:2000], now=_now())


def run_once(engine: Engine, settings: Settings, worker: str, scorer: Scorer,
             redactor: Redactor | None = None) -> Counter[str]:
    """Claim one batch and process it; an empty counter when nothing was queued."""
    jobs = claim(engine, worker, settings)
    if not jobs:
        return Counter()
    counts = _process_isolated(engine, settings, worker, jobs, scorer, redactor)
    if counts.get("scored"):
        _refresh_queue(engine, settings)
    return counts


def _process_isolated(engine: Engine, settings: Settings, worker: str, jobs: Sequence[Job], scorer: Scorer,
                      redactor: Redactor | None) -> Counter[str]:
    """The batch in one go; after an error, each job alone, so one poison job does not fail the others."""
    try:
        return process(engine, settings, worker, jobs, scorer, redactor)
    except Exception as exc:
        log.exception("scoring batch of %d jobs failed", len(jobs))
        if len(jobs) == 1:
            release(engine, settings, worker, jobs, _error(exc))
            return Counter(failed=1)
    counts: Counter[str] = Counter()
    for job in jobs:
        try:
            counts.update(process(engine, settings, worker, [job], scorer, redactor))
        except Exception as exc:
            log.exception("scoring job %d failed", job.id)
            release(engine, settings, worker, [job], _error(exc))
            counts["failed"] += 1
    return counts


def _error(exc: Exception) -> str:
    """The error kept on a job: its type and first line (a database error's later lines hold the row's values)."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:300] if text else ''}"


def _refresh_queue(engine: Engine, settings: Settings) -> None:
    """Re-rank the queue after webhook posts are scored, so an unsafe post reaches it with no command run."""
    try:
        triage.refresh_queue(engine, settings, as_of=_now())
    except Exception:  # the posts are stored and scored; a failed refresh waits for the next one
        log.exception("queue refresh after scoring failed")


def run_worker(engine: Engine, settings: Settings, *, stop: threading.Event | None = None,
               scorer: Scorer | None = None, worker: str | None = None, until_empty: bool = False) -> Counter[str]:
    """Process batches until ``stop`` is set, or with ``until_empty`` until no job is left to do:
    none queued and none leased to another worker (whose lease may yet run out)."""
    stop = stop or threading.Event()
    worker = worker or worker_name()
    redactor = Redactor.from_settings(settings.redaction)
    scorer = scorer or PipelineScorer(settings, redactor)
    total: Counter[str] = Counter()
    while not stop.is_set():
        counts = run_once(engine, settings, worker, scorer, redactor)
        total.update(counts)
        if not counts:
            if until_empty and not _pending(engine):
                break
            stop.wait(settings.api.worker_poll_seconds)
    return total


def _pending(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return job_store.has_pending(session)


class PipelineScorer:
    """The configured ``score_stages`` (the signals model by default), loaded once per worker."""

    def __init__(self, settings: Settings, redactor: Redactor) -> None:
        self.settings = settings
        self.redactor = redactor
        self._pipe: Any = None

    def __call__(self, posts: Sequence[PostToScore]) -> tuple[list[dict[str, Any]], Provenance]:
        from insight.runtime.pipeline import Pipeline
        from insight.runtime.stage import StageContext
        from insight.services.analysis import signal_rows, signals_provenance

        if self._pipe is None:
            self._pipe = Pipeline.from_names(self.settings.pipeline.score_stages,
                                             StageContext(self.settings, runs.new_run_id()))
        docs = self._pipe.run([Doc(id=str(p.pk), text=p.text) for p in posts])
        return signal_rows(docs, self.redactor), signals_provenance(self._pipe)


def retry_failed(engine: Engine) -> int:
    """Queue every failed job again with fresh attempts (after fixing what failed); returns how many."""
    with session_scope(engine) as session:
        return job_store.retry_failed(session)


def stats(engine: Engine) -> dict[str, Any]:
    """Jobs per status and per outcome, and the oldest queued job's age in seconds."""
    with session_scope(engine) as session:
        by_status, by_outcome, oldest = job_store.counts(session)
    age = (_now() - utc(oldest)).total_seconds() if oldest else None  # type: ignore[operator]
    return {"by_status": {s: by_status.get(s, 0) for s in STATUSES}, "by_outcome": by_outcome,
            "oldest_queued_seconds": age}

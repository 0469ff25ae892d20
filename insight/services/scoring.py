"""The scoring stage of ``insight analyse``: stored posts and feedback answers, incremental and resumable.

Posts that need scoring (no signals, no stored embedding, or with ``rescore`` signals from another
model revision) are read in pk order a batch at a time, claimed under a lease (``storage.claims``),
run through the spec's stages (one encoder pass: sentiment, emotion, safety and the embedding) and
committed per batch: signals, the float16 embedding and the end of the claim in one transaction,
and only for the claims this process still holds. So a run killed at any point loses at most the
batch in flight, which the next run scores; two runs at once never score a post twice.

With ``engine = "ray"`` the same batches are read by Ray Data tasks and encoded by an actor pool
that loads the model once per actor (``runtime.engines.ray``); results come back to this process,
which commits them as the local engine does.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine

from insight.config import Settings
from insight.privacy import consent
from insight.privacy.redact import Redactor
from insight.records import Doc, Provenance
from insight.runtime.engines.local import apply_stages
from insight.runtime.pipeline import Pipeline
from insight.services.analysis import signal_rows, signals_provenance
from insight.storage import claims, embeddings, signals
from insight.storage.db import session_scope

Progress = Callable[[int], None]


@dataclasses.dataclass
class ScoreCounts:
    posts_scored: int = 0
    posts_skipped: int = 0  # authors who may not be analysed (consent)
    feedback_scored: int = 0
    feedback_skipped: int = 0


def process_owner() -> str:
    """This process's claim owner: host, pid and a random part (``gone`` reads the first two)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def gone(owner: str) -> bool:
    """Whether a claim's owner process no longer exists (known only for processes on this host)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclasses.dataclass(frozen=True)
class PostScoring:
    """What a batch needs to be claimed, scored and committed; picklable, for Ray workers too."""

    settings: Settings
    owner: str
    since: datetime | None
    stale_revision: str | None

    def claim_docs(self, engine: Engine, after: int, upto: int | None, limit: int) -> tuple[list[Doc], int, int]:
        """The claimed, analysable posts of the next batch: (docs, skipped for consent, last pk read)."""
        with session_scope(engine) as session:
            rows = signals.pending_posts(session, after=after, upto=upto, limit=limit, since=self.since,
                                         stale_revision=self.stale_revision)
            allowed = [(pk, text) for pk, text, answer in rows
                       if consent.may_analyse(answer, self.settings.ingest.unknown_members)]
            held = claim_pending(session, "post", [pk for pk, _ in allowed], self)
        docs = [Doc(id=str(pk), text=text) for pk, text in allowed if pk in held]
        return docs, len(rows) - len(allowed), rows[-1][0] if rows else after


def claim_pending(session: Any, kind: str, keys: list[Any], job: PostScoring) -> set[Any]:
    """Claim ``keys`` and keep those still to score: they were read before the claim, and another
    process may have finished some and let go of them since."""
    held = claims.claim(session, kind, keys, job.owner, now=datetime.now(UTC),
                        lease_seconds=job.settings.api.job_lease_seconds, gone=gone)
    done = held - signals.still_pending(session, kind, sorted(held), stale_revision=job.stale_revision)
    claims.finish(session, kind, sorted(done), job.owner)
    return held - done


def commit_posts(engine: Engine, docs: list[Doc], owner: str, prov: Provenance, embed_model: str,
                 redactor: Redactor) -> int:
    """Store signals and embeddings of the scored docs whose claims ``owner`` still holds; returns how many."""
    if not docs:
        return 0
    with session_scope(engine) as session:
        held = claims.owned(session, "post", [int(d.id) for d in docs], owner)
        keep = [d for d in docs if int(d.id) in held]
        if keep:
            signals.save_signals(session, signal_rows(keep, redactor), prov)
            embeddings.save_embeddings(session, [int(d.id) for d in keep], np.stack([d.embedding for d in keep]),
                                       embed_model)
            claims.finish(session, "post", [int(d.id) for d in keep], owner)
    return len(keep)


def _local_batches(engine: Engine, job: PostScoring, pipe: Pipeline, counts: ScoreCounts) -> Iterator[list[Doc]]:
    after = 0
    while True:
        docs, skipped, last = job.claim_docs(engine, after, None, pipe.batch_size)
        if last == after:
            return
        after, counts.posts_skipped = last, counts.posts_skipped + skipped
        yield apply_stages(pipe.stages, docs) if docs else []


def _ray_batches(engine: Engine, job: PostScoring, pipe: Pipeline, counts: ScoreCounts) -> Iterator[list[Doc]]:
    from insight.runtime.engines.ray import score_ranges

    with session_scope(engine) as session:
        ranges = signals.pending_ranges(session, pipe.batch_size, since=job.since, stale_revision=job.stale_revision)
    url = engine.url.render_as_string(hide_password=False)
    for docs, skipped in score_ranges(ranges, _RangeReader(url, job), pipe.stages):
        counts.posts_skipped += skipped
        yield docs


@dataclasses.dataclass(frozen=True)
class _RangeReader:
    """Reads and claims one pk range inside a Ray actor (its own database connection)."""

    url: str
    job: PostScoring

    def __call__(self, first: int, last: int) -> tuple[list[Doc], int]:
        from insight.storage.db import make_engine, share_between_writers

        settings = self.job.settings.model_copy(update={"database_url": self.url})
        engine = share_between_writers(make_engine(settings, upgrade=False))
        docs, skipped, _ = self.job.claim_docs(engine, first - 1, last, last - first + 1)
        engine.dispose()
        return docs, skipped


def score_posts(engine: Engine, pipe: Pipeline, job: PostScoring, progress: Progress, counts: ScoreCounts) -> None:
    """Score every pending post, batch by batch (``pipe.engine`` says where the stages run)."""
    redactor = Redactor.from_settings(job.settings.redaction)
    for stage in pipe.stages:
        stage.setup()  # on this process too: the provenance names the loaded model's revision
    prov = signals_provenance(pipe)
    embed_model = embedding_model(pipe)
    batches = _ray_batches if pipe.engine == "ray" else _local_batches
    try:
        for docs in batches(engine, job, pipe, counts):
            counts.posts_scored += commit_posts(engine, docs, job.owner, prov, embed_model, redactor)
            progress(len(docs))
    finally:
        with session_scope(engine) as session:
            claims.release(session, job.owner)


def embedding_model(pipe: Pipeline) -> str:
    """The model behind ``doc.embedding`` in this pipeline, as stored beside each vector."""
    stage = next(s for s in pipe.stages if "doc.embedding" in s.assigns)
    prov = getattr(stage, "prov", None)
    return f"{prov.model}@{prov.model_revision}" if prov is not None else stage.name


def current_revision(pipe: Pipeline) -> str | None:
    for stage in pipe.stages:
        stage.setup()
    return signals_provenance(pipe).model_revision


# --------------------------------------------------------------------------- feedback answers


def feedback_rows(docs: list[Doc]) -> list[dict[str, Any]]:
    """``feedback_signals`` rows for scored docs whose ``id`` is the response id."""
    from insight.signals.sentiment import polarity

    return [{"response_id": d.id, "sentiment_label": d.sentiment.label, "sentiment_score": polarity(d.sentiment),
             "sentiment_scores": d.sentiment.scores, "emotion": d.emotion} for d in docs if d.sentiment is not None]


def score_feedback(engine: Engine, pipe: Pipeline, job: PostScoring, progress: Progress, counts: ScoreCounts) -> None:
    """Sentiment and emotion of every pending feedback answer (few: in this process, whatever the engine)."""
    for stage in pipe.stages:
        stage.setup()
    prov = signals_provenance(pipe)
    after = ""
    try:
        while True:
            with session_scope(engine) as session:
                rows = signals.pending_feedback(session, after=after, limit=pipe.batch_size, since=job.since,
                                                stale_revision=job.stale_revision)
                allowed = [(rid, text) for rid, text, answer in rows
                           if consent.may_analyse(answer, job.settings.ingest.unknown_members)]
                held = claim_pending(session, "feedback", [rid for rid, _ in allowed], job)
            if not rows:
                return
            after = rows[-1][0]
            counts.feedback_skipped += len(rows) - len(allowed)
            docs = apply_stages(pipe.stages, [Doc(id=rid, text=text) for rid, text in allowed if rid in held])
            with session_scope(engine) as session:
                keep = claims.owned(session, "feedback", [d.id for d in docs], job.owner)
                signals.save_feedback_signals(session, feedback_rows([d for d in docs if d.id in keep]), prov)
                claims.finish(session, "feedback", list(keep), job.owner)
            counts.feedback_scored += len(keep)
            progress(len(rows))
    finally:
        with session_scope(engine) as session:
            claims.release(session, job.owner)

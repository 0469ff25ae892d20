"""Benchmark: ingest -> analyse -> triage -> report at 10^5 and 10^6 posts, time and memory per stage.

The corpus is built from real text in ``../shared/data`` (TweetEval sentiment, emotion and offensive,
Banking77, 20 Newsgroups subjects and first lines), cycled into threads of about six posts over twelve months.
Stages run as ``insight analyse`` runs them (``services.analyse``), with the local engine or Ray Data.

``--encode N`` runs the real encoder on the first N posts only and gives every later post a copy of
what it gave one of them (its signals, and its embedding slightly jittered), so every other stage
(ingest, topics, stories, triage, KPIs and reports) runs at full size on real signals (topics find
real clusters, triage opens items for flagged posts) while the encoder's rate is measured on N posts
(encoding 10^6 posts on a 2-core CPU would take hours). Peak resident memory per stage
is sampled every 0.2 s over this process and its children (Ray workers included).

    python tests/benchmarks/bench_analyse_scale.py --posts 100000 [--encode 10000]
    python tests/benchmarks/bench_analyse_scale.py --posts 1000000 --encode 100000 --engine ray --keep DIR
    python tests/benchmarks/bench_analyse_scale.py --reuse DIR   # the KPI and report stage again, on DIR's data
    python tests/benchmarks/bench_analyse_scale.py --posts 1000000 --ingest-only   # ingest alone

``--keep DIR`` leaves the SQLite database in DIR; with ``--resume`` it goes on with the one already
there (no corpus written, no ingest; stand-ins for the posts past ``--encode`` not yet scored, then
every stage of ``insight analyse``, as after a run stopped while scoring). ``--reuse DIR`` runs
only the last stage (KPIs and the report materialised for the latest month, then the HTML report's
first read) on it, so a change to that stage is measured at 10^6 posts without ingesting and
scoring them again.

The obvious alternative a user would write is ``analyse_stored`` before this change: every post
loaded, encoded and topic-fitted in one process on each run. It is compared on the second run
(nothing new): the incremental run scores nothing and re-encodes nothing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bench_api_common  # puts the repository root on sys.path (runs from a fresh clone); machine_load
import numpy as np
import psutil
from sqlalchemy import delete, func, select

from insight.config import load_config
from insight.records import Provenance
from insight.runtime.spec import AnalyseSpec
from insight.services import report_store, reports
from insight.services.analyse import analyse
from insight.services.ingest import ingest_paths
from insight.storage import embeddings, signals
from insight.storage.analysis_tables import MaterialisedReportRow
from insight.storage.db import make_engine, session_scope, share_between_writers
from insight.storage.tables import PostRow
from tests.support.databases import postgres_schema_url
from tests.support.paths import SHARED_DATA

START = datetime(2025, 10, 1, tzinfo=UTC)


def real_texts() -> list[str]:
    """Short real texts from the shared corpora (each line of a post)."""
    out = []
    for name in ("tweeteval_sentiment", "tweeteval_emotion", "tweeteval_offensive"):
        with open(SHARED_DATA / name / "train.csv", newline="", encoding="utf-8") as f:
            out += [r["text"] for r in csv.DictReader(f)]
    with open(SHARED_DATA / "banking77" / "train.csv", newline="", encoding="utf-8") as f:
        out += [r["text"] for r in csv.DictReader(f)]
    with gzip.open(SHARED_DATA / "20newsgroups" / "train.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            body = " ".join(x for x in row["body"].split("\n") if x.strip() and ":" not in x[:20])[:400]
            out.append(f"{row['subject']}. {body}")
    return [t for t in out if t.strip()]


def write_corpus(folder: Path, posts: int) -> list[Path]:
    texts = real_texts()
    authors = max(50, posts // 25)
    seconds = 365 * 24 * 3600
    path = folder / "posts.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, text in zip(range(posts), itertools.cycle(texts), strict=False):
            thread, n = divmod(i, 6)
            at = START + timedelta(seconds=thread * 6 * seconds // posts + n * 3600)  # spread over the year
            row = {"post_id": f"p{i}", "thread_id": f"t{thread}", "author_id": f"a{(thread * 31 + n) % authors}",
                   "created_at": at.isoformat(), "text": text, "channel": ("help", "general", "ideas")[thread % 3],
                   "kind": "question" if n == 0 else "reply", "parent_id": None if n == 0 else f"p{thread * 6}"}
            f.write(json.dumps(row) + "\n")
    members = folder / "members.csv"
    with members.open("w", encoding="utf-8") as f:
        f.write("author_id,joined_at,motivation,segment,consent_analytics,consent_quotes\n")
        for a in range(authors):
            joined = (START - timedelta(days=a % 200)).date()
            f.write(f"a{a},{joined},learn,{('newcomer', 'regular')[a % 2]},true,true\n")
    return [members, path]


class Sampler:
    """Peak RSS (this process and its children) per stage label, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.stage = "start"
        self.peaks: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(0.2):
            try:
                rss = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                continue
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), rss / 2**20)

    @contextmanager
    def progress(self, desc: str, total: int | None):  # type: ignore[no-untyped-def]
        self.stage = desc
        yield lambda n: None


def mark_scored(engine, first_encoded: int, revision: str | None) -> int:  # type: ignore[no-untyped-def]
    """Placeholder signals and embeddings for every post after the first ``first_encoded``, so the encoder
    skips them (a post lacking either is pending); ``copy_scored`` replaces them before any stage reads them."""
    prov = _stand_in_provenance(revision, "bench-prefill")
    done, after = 0, 0
    while True:
        with session_scope(engine) as session:
            rows = signals.pending_posts(session, after=after, limit=5000)
        if not rows:
            return done
        after = rows[-1][0]
        pks = [pk for pk, _, _ in rows if pk > first_encoded]
        if pks:
            with session_scope(engine) as session:
                signals.save_signals(session, [{"post_pk": pk, "sentiment_label": "neutral", "sentiment_score": 0.0,
                                                "sentiment_scores": {}, "emotion": None, "safety_label": "safe",
                                                "safety_category": None, "safety_score": 0.0,
                                                "safety_evidence": None} for pk in pks], prov)
                embeddings.save_embeddings(session, pks, np.zeros((len(pks), 384)), "bench-stand-in")
            done += len(pks)


def copy_scored(engine, first_encoded: int, revision: str | None, run_id: str) -> int:  # type: ignore[no-untyped-def]
    """Every post after the first ``first_encoded`` gets the signals and embedding the encoder gave one of
    them, taken in turn (the vector jittered, so no two are equal): topics then find real
    clusters and triage real flags at full size, as they would if every post had been encoded. The copies
    carry ``run_id``, the scoring run's, as if it had scored them."""
    prov, rng = _stand_in_provenance(revision, run_id), np.random.default_rng(0)
    with session_scope(engine) as session:
        real = signals.signals_by_post(session, range(1, first_encoded + 1))
        vectors = embeddings.embeddings(session, range(1, first_encoded + 1))
    sources = sorted(set(real) & set(vectors))
    done, after = 0, first_encoded
    while True:
        with session_scope(engine) as session:
            pks = list(session.scalars(select(PostRow.id).where(PostRow.id > after).order_by(PostRow.id).limit(5000)))
        if not pks:
            return done
        after, picks = pks[-1], [sources[(pk - 1) % len(sources)] for pk in pks]
        copied = np.stack([vectors[s] for s in picks]) + rng.normal(scale=0.01, size=(len(pks), 384))
        copied /= np.linalg.norm(copied, axis=1, keepdims=True)
        with session_scope(engine) as session:
            signals.save_signals(session, [{"post_pk": pk, **real[s]} for pk, s in zip(pks, picks, strict=True)], prov)
            embeddings.save_embeddings(session, pks, copied, "bench-stand-in")
        done += len(pks)


def _figures(seconds: dict[str, float], sampler: Sampler) -> dict[str, dict[str, float]]:
    """Seconds and peak resident MB per stage, rounded as every output of this benchmark shows them."""
    return {"seconds": {k: round(v, 1) for k, v in seconds.items()},
            "peak_rss_mb": {k: round(v) for k, v in sampler.peaks.items()}}


def _stand_in_provenance(revision: str | None, run_id: str) -> Provenance:
    # The current revision, so ``insight analyse`` counts the stand-ins as scored.
    return Provenance(stage="insight.signals.v1", model="bench-stand-in", model_revision=revision,
                      config_hash="bench", run_id=run_id)


def _analyse_with_stand_ins(engine, settings, spec, encode, as_of, sampler, times):  # type: ignore[no-untyped-def]
    """``insight analyse`` with the encoder on the first ``encode`` posts: the rest are marked scored, the
    encoder runs (the score stages alone), the rest get copies of what it gave, then every later stage runs
    as a first run's would: the topic model fitted (``refit``, as when none is saved) and the KPIs
    materialised for every month the scored posts touch (``analyse``'s kpis stage, here on the scoring
    run's posts, copies included)."""
    from insight.runtime.pipeline import Pipeline
    from insight.runtime.stage import StageContext
    from insight.services.analyse import touched_periods
    from insight.services.scoring import current_revision

    revision = current_revision(Pipeline.from_names(settings.pipeline.stages, StageContext(settings, "bench")))
    sampler.stage, t0 = "stand-ins marked", time.perf_counter()
    mark_scored(engine, encode, revision)
    times["stand-ins marked"] = time.perf_counter() - t0
    scored = analyse(engine, settings, spec.model_copy(update={"stages": ["score", "feedback"]}), as_of=as_of,
                     progress=sampler.progress)
    sampler.stage, t0 = "stand-ins copied", time.perf_counter()
    copy_scored(engine, encode, revision, scored["run_id"])
    times["stand-ins copied"] = time.perf_counter() - t0
    later = analyse(engine, settings, spec.model_copy(update={"stages": ["topics", "stories", "triage"]}),
                    refit=True, as_of=as_of, progress=sampler.progress)
    sampler.stage, t0 = "kpis and reports", time.perf_counter()
    periods = report_store.materialise_periods(engine, settings, touched_periods(engine, scored["run_id"]),
                                               later["run_id"])
    times["kpis and reports"] = time.perf_counter() - t0
    return {**later, "posts_scored": scored["posts_scored"], "periods_materialised": periods,
            "seconds": {**later["seconds"], **scored["seconds"]}}


def run(db: str, posts: int, encode: int, engine_name: str, keep: Path | None = None,
        resume: bool = False, ingest_only: bool = False) -> dict:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory(prefix="bench-analyse-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        urls = postgres_schema_url() if db == "postgres" else iter([f"sqlite:///{folder / 'bench.db'}"])
        for url in urls:
            settings = load_config(overrides={"database_url": url, "data_dir": str(folder),
                                              "redaction": {"names": False}}, env={})
            engine = share_between_writers(make_engine(settings))
            sampler = Sampler()
            times: dict[str, float] = {}
            if not resume:
                files = write_corpus(folder, posts)
                sampler.stage, t0 = "ingest", time.perf_counter()
                ingest_paths(files, engine=engine, settings=settings)
                times["ingest"] = time.perf_counter() - t0
                print(json.dumps({"done": "ingest", "seconds": round(times["ingest"], 1)}), flush=True)  # noqa: T201
            if ingest_only:
                sampler.stop.set()
                engine.dispose()
                return {"db": db, "posts": posts, **_figures(times, sampler)}
            as_of = START + timedelta(days=365)
            spec = AnalyseSpec(name="bench", engine=engine_name)
            if encode < posts:
                summary = _analyse_with_stand_ins(engine, settings, spec, encode, as_of, sampler, times)
            else:
                summary = analyse(engine, settings, spec, as_of=as_of, progress=sampler.progress)
            print(json.dumps({"done": "analyse", **summary, "peak_rss_mb": sampler.peaks}), flush=True)  # noqa: T201
            sampler.stage, t0 = "report (built)", time.perf_counter()
            report_store.report(engine, settings, reports.latest_period(engine), "html")
            times["report html"] = time.perf_counter() - t0
            sampler.stage, t0 = "second run (nothing new)", time.perf_counter()
            again = analyse(engine, settings, spec, as_of=as_of)
            times["second run"] = time.perf_counter() - t0
            sampler.stop.set()
            engine.dispose()
            seconds = {**times, **summary["seconds"]}
            rates = {k: round(summary["posts_scored"] / v, 1) if k == "score posts" else round(posts / v, 1)
                     for k, v in seconds.items() if v and k in ("ingest", "score posts", "topics", "triage",
                                                                 "kpis and reports")}
            return {"db": db, "engine": engine_name, "posts": posts, "encoded": summary["posts_scored"],
                    **_figures(seconds, sampler), "posts_per_second": rates,
                    "second_run_scored": again["posts_scored"], "topics": summary["topics"],
                    "queue_active": summary["queue_active"]}
    raise RuntimeError("no database")


def rerun_last_stage(folder: Path) -> dict:  # type: ignore[type-arg]
    """The KPI and report stage alone on a database ``--keep`` left: time and peak memory."""
    settings = load_config(overrides={"database_url": f"sqlite:///{folder / 'bench.db'}", "data_dir": str(folder),
                                      "redaction": {"names": False}}, env={})
    engine = make_engine(settings)
    sampler, times = Sampler(), {}
    with session_scope(engine) as session:
        posts = int(session.scalar(select(func.count(PostRow.id))) or 0)
        # Pages an earlier run stored under the same inputs would be served as they are: the first read
        # is what is measured.
        session.execute(delete(MaterialisedReportRow).where(MaterialisedReportRow.fmt.in_(("md", "html"))))
    period = reports.latest_period(engine)
    sampler.stage, t0 = "kpis and reports", time.perf_counter()
    report_store.materialise_periods(engine, settings, [period], "bench-rerun")
    times["kpis and reports"] = time.perf_counter() - t0
    sampler.stage, t0 = "report (built)", time.perf_counter()
    report_store.report(engine, settings, period, "html")
    times["report html"] = time.perf_counter() - t0
    sampler.stop.set()
    return {"posts": posts, "period": period, **_figures(times, sampler)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--encode", type=int, default=None, help="posts the real encoder scores (default: all)")
    parser.add_argument("--engine", default="local", choices=("local", "ray"))
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--keep", type=Path, help="keep the SQLite database in this folder")
    parser.add_argument("--reuse", type=Path, help="only the KPI and report stage, on a database --keep left")
    parser.add_argument("--ingest-only", action="store_true", help="write the corpus, ingest it and stop")
    parser.add_argument("--resume", action="store_true",
                        help="with --keep: the database there is ingested already; go on from the stand-ins")
    args = parser.parse_args()
    print(json.dumps({"machine": bench_api_common.machine_load()}), flush=True)  # noqa: T201
    if args.reuse:
        print(json.dumps(rerun_last_stage(args.reuse)), flush=True)  # noqa: T201
        return
    if args.resume and not args.keep:
        parser.error("--resume needs --keep DIR, the folder of the database to go on with")
    print(json.dumps(run(args.db, args.posts, args.encode or args.posts, args.engine, args.keep, args.resume,  # noqa: T201
                         args.ingest_only)), flush=True)


if __name__ == "__main__":
    main()

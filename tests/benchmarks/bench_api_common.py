"""Shared parts of the API benchmarks: databases, fast synthetic seeding, a server process, timing.

Everything talks to 127.0.0.1 only: the server is ``insight serve`` in a child process, the
load comes from this process with httpx, a bounded number of requests.
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Run as a script from a fresh clone (`python tests/benchmarks/bench_api_load.py`), only this folder
# is on sys.path; the repository root is put there too, so `tests.support` (and this checkout's
# `insight`) import without PYTHONPATH.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx  # noqa: E402
import psutil  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from insight.storage.db import make_engine  # noqa: E402
from insight.storage.tables import PostRow, SignalRow, ThreadRow, TriageQueueRow  # noqa: E402
from tests.support.databases import postgres_schema_url, settings_in  # noqa: E402
from tests.support.service import free_port, wait_healthy  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CHANNELS = ("help", "general", "feature-requests", "integrations", "showcase", "announcements")
REASONS = ("safety_concern", "rising_frustration", "unanswered_question", "amplify_excitement")
WORDS = ("export", "login", "billing", "plugin", "sync", "webhook", "invoice", "deploy", "theme", "search", "API",
         "digest", "upload", "crash", "slow", "thanks", "love", "broken", "again", "docs")


def machine_load() -> dict[str, Any]:
    """What else runs on this machine as a benchmark starts: its figures hold only beside this.

    A Ray cluster left up by another run, a test suite or a notifier keeps cores busy and can double
    a p95; the load average and the busiest other processes make that visible in the output.
    """
    others = [p for p in psutil.process_iter(["pid", "name", "cmdline"]) if p.pid != os.getpid()]
    for p in others:
        with contextlib.suppress(psutil.Error):
            p.cpu_percent(None)
    time.sleep(1.0)
    busy: list[dict[str, Any]] = []
    for p in others:
        with contextlib.suppress(psutil.Error):
            share = p.cpu_percent(None)
            if share >= 5.0:
                busy.append({"cpu_percent": round(share), "cmd": " ".join(p.info["cmdline"] or [p.info["name"]])[:80]})
    return {"cores": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
            "busy_processes": sorted(busy, key=lambda b: -b["cpu_percent"])[:5]}


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A fresh database URL: a SQLite file in ``folder``, or an own schema on the PostgreSQL server."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    yield from postgres_schema_url()  # the test suite's: an own schema, dropped afterwards


def settings_for(url: str, folder: Path):  # type: ignore[no-untyped-def]
    return settings_in(folder, url)


def _chunks(rows: list[dict], size: int = 5000) -> Iterator[list[dict]]:  # type: ignore[type-arg]
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def seed(url: str, folder: Path, *, posts: int = 100_000, per_thread: int = 10, queued_share: float = 0.3,
         active_share: float = 0.33, seed_value: int = 7) -> dict[str, int]:
    """``posts`` synthetic posts in threads of ``per_thread``, with signals, and a queue over
    ``queued_share`` of the threads (a third of those still active: the rest resolved or dismissed),
    inserted in bulk (ranking 100,000 posts is not what is measured here)."""
    rng = random.Random(seed_value)
    engine = make_engine(settings_for(url, folder))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    threads, post_rows, signal_rows, queue_rows = [], [], [], []
    n_threads = posts // per_thread
    for t in range(n_threads):
        key = f"discourse:t{t}"
        channel = CHANNELS[t % len(CHANNELS)]
        opened = start + timedelta(minutes=7 * t)
        threads.append({"thread_key": key, "platform": "discourse", "thread_id": f"t{t}", "channel": channel,
                        "title": f"Thread {t} about {rng.choice(WORDS)}", "created_at": opened})
        for p in range(per_thread):
            pk = t * per_thread + p + 1
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
            post_rows.append({"id": pk, "platform": "discourse", "post_id": f"t{t}-p{p}", "thread_key": key,
                              "author_id": f"m_{rng.getrandbits(80):020x}", "created_at": opened + timedelta(hours=p),
                              "text": words, "text_redacted": words, "channel": channel,
                              "parent_id": None if p == 0 else f"t{t}-p0", "title": None,
                              "kind": "question" if p == 0 else "reply", "accepted_answer": False, "reactions": 0,
                              "helpful_votes": 0, "views": 0, "url": None, "source": "bench", "run_id": "bench"})
            score = rng.uniform(-1, 1)
            signal_rows.append({"post_pk": pk, "sentiment_label": "negative" if score < -0.3 else "positive"
                                if score > 0.3 else "neutral", "sentiment_score": score,
                                "sentiment_scores": {}, "emotion": None, "safety_label": "safe",
                                "safety_category": None, "safety_score": 0.0, "safety_evidence": None,
                                "stage": "bench", "model": None, "model_revision": None, "config_hash": "bench",
                                "run_id": "bench"})
        if rng.random() < queued_share:
            reasons = rng.sample(REASONS, rng.randint(1, 2))
            status = rng.choice(("open", "acknowledged", "escalated")) if rng.random() < active_share else \
                rng.choice(("resolved", "dismissed"))
            evidence = [f"t{t}-p{rng.randrange(per_thread)}"]
            queue_rows.append({"thread_key": key, "status": status, "priority": rng.random() * 2,
                               "needs_attention": status in ("open", "acknowledged", "escalated"), "reasons": reasons,
                               "raised_reasons": reasons, "explanation": f"{reasons[0]} in post {evidence[0]}",
                               "evidence_post_ids": evidence, "details": [], "channel": channel,
                               "title": threads[-1]["title"], "opened_at": opened, "ranked_at": opened,
                               "status_changed_at": opened, "attention_at": opened, "stage": "bench", "model": None,
                               "model_revision": None, "config_hash": "bench", "run_id": "bench"})
    with engine.begin() as conn:
        for table, rows in ((ThreadRow, threads), (PostRow, post_rows), (SignalRow, signal_rows),
                            (TriageQueueRow, queue_rows)):
            for chunk in _chunks(rows):
                conn.execute(insert(table), chunk)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    engine.dispose()
    active = sum(r["needs_attention"] for r in queue_rows)
    return {"posts": len(post_rows), "threads": len(threads), "queue_items": len(queue_rows), "active": active}


@contextlib.contextmanager
def server(url: str, folder: Path, *, workers: int = 0, config: Path | None = None,
           processes: int = 1) -> Iterator[str]:
    """``insight serve`` on 127.0.0.1 in a child process (``processes`` HTTP processes); yields its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "insight", "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--processes", str(processes)]
    if config is not None:
        cmd += ["--config", str(config)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "INSIGHT_DATA_DIR": str(folder)}
    log = (folder / f"server-{port}.log").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def latencies(base: str, headers: dict[str, str], path: str, n: int, concurrency: int = 4) -> list[float]:
    """Seconds per GET of ``path``, ``n`` requests from ``concurrency`` threads (after a warm-up)."""
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for _ in range(5):
            client.get(path).raise_for_status()

        def one(_i: int) -> float:
            started = time.perf_counter()
            client.get(path).raise_for_status()
            return time.perf_counter() - started

        with ThreadPoolExecutor(concurrency) as pool:
            return list(pool.map(one, range(n)))


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"n": len(ordered), "p50_ms": round(at(0.50), 1), "p95_ms": round(at(0.95), 1),
            "max_ms": round(ordered[-1] * 1000, 1)}

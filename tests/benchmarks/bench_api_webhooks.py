"""Benchmark: a burst of 10,000 signed webhook calls loses none and scores each post exactly once.

For SQLite and PostgreSQL: ``insight serve`` (no workers) on 127.0.0.1 in a child process takes
10,000 Discourse post webhooks (plus 1,000 redeliveries of some of them) from 16 threads of this
process. Then two ``insight worker`` processes store and score the queue side by side; one is
killed (SIGKILL) mid-way, and the other takes over its leased batch once the lease runs out.
At the end every post is stored once, has one signals row, and its job is done once.

Scoring here is real but light: VADER sentiment and the safety rules (``--scorer light``), so
10,000 posts fit in a minute on 2 cores; ``--scorer model`` uses the configured signals model.
Reported side by side: the webhook's answer time under the burst, and the worker's time per
post (what a webhook that stored and scored in the request would add to every call, before
its durability and once-only guarantees, which an in-request design does not have).

    python tests/benchmarks/bench_api_webhooks.py [--calls 10000] [--db sqlite,postgres] [--scorer light]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from bench_api_common import REPO, WORDS, database, percentiles, server, settings_for
from sqlalchemy import func, select

from insight.services import webhooks
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import PostRow, ScoringJobRow, SignalRow

SECRET = "bench-discourse-secret"
LEASE_SECONDS = 5


def config(folder: Path, scorer: str) -> Path:
    path = folder / "bench.toml"
    light = ('[models]\nsentiment = "insight.sentiment.vader.v1"\n'
             '[pipeline]\nscore_stages = ["insight.sentiment.v1", "insight.safety.keywords.v1"]\n'
             if scorer == "light" else "")
    path.write_text(f'[api]\ndiscourse_webhook_secret = "{SECRET}"\njob_lease_seconds = {LEASE_SECONDS}\n'
                    f'worker_batch_size = 100\nworker_poll_seconds = 0.5\n[redaction]\nnames = false\n{light}')
    return path


def payloads(n: int, seed: int = 11) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 25)))
        post = {"id": 100_000 + i, "topic_id": 5_000 + i // 10, "post_number": i % 10 + 1, "user_id": 10 + i % 700,
                "username": f"u{i % 700}", "created_at": "2026-05-19T10:00:00Z", "raw": text, "post_type": 1,
                "topic_title": f"Topic {i // 10}", "category_id": 3, "reply_to_post_number": None}
        out.append(json.dumps({"post": post}).encode())
    return out


def burst(base: str, bodies: list[bytes], concurrency: int = 16) -> tuple[list[float], dict[str, int]]:
    totals = {"queued": 0, "duplicates": 0, "errors": 0}
    with httpx.Client(base_url=base, timeout=60) as client:
        def one(raw: bytes) -> tuple[float, dict]:  # type: ignore[type-arg]
            headers = {"Content-Type": "application/json", **webhooks.sign("discourse", SECRET, raw)}
            started = time.perf_counter()
            answer = client.post("/webhooks/discourse", content=raw, headers=headers)
            took = time.perf_counter() - started
            return took, answer.json() if answer.status_code == 202 else {"error": answer.status_code}

        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(one, bodies))
    for _, answer in results:
        if "error" in answer:
            totals["errors"] += 1
        else:
            totals["queued"] += answer["queued"]
            totals["duplicates"] += answer["duplicates"]
    return [t for t, _ in results], totals


def worker(url: str, cfg: Path, folder: Path, name: str) -> subprocess.Popen:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(REPO), "INSIGHT_DATA_DIR": str(folder)}
    log = (folder / f"worker-{name}.log").open("w")
    return subprocess.Popen([sys.executable, "-m", "insight", "worker", "--until-empty", "--db", url, "--config",
                             str(cfg)], env=env, stdout=log, stderr=subprocess.STDOUT)


def counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        def n(stmt) -> int:  # type: ignore[no-untyped-def]
            return int(s.scalar(stmt) or 0)

        return {
            "jobs": n(select(func.count()).select_from(ScoringJobRow)),
            "done": n(select(func.count()).select_from(ScoringJobRow).where(ScoringJobRow.status == "done")),
            "scored": n(select(func.count()).select_from(ScoringJobRow).where(ScoringJobRow.outcome == "scored")),
            "retried": n(select(func.count()).select_from(ScoringJobRow).where(ScoringJobRow.attempts > 1)),
            "posts": n(select(func.count()).select_from(PostRow)),
            "signals": n(select(func.count()).select_from(SignalRow)),
            "posts_with_two_signals": n(select(func.count()).select_from(
                select(SignalRow.post_pk).group_by(SignalRow.post_pk).having(func.count() > 1).subquery())),
        }


def run(kind: str, calls: int, scorer: str) -> dict:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory(prefix=f"bench-hooks-{kind}-") as tmp, database(kind, Path(tmp)) as url:
        folder = Path(tmp)
        cfg = config(folder, scorer)
        engine = make_engine(settings_for(url, folder))
        bodies = payloads(calls)
        redeliveries = random.Random(3).sample(bodies, calls // 10)
        with server(url, folder, workers=0, config=cfg) as base:
            started = time.perf_counter()
            times, totals = burst(base, bodies + redeliveries)
            burst_s = time.perf_counter() - started
        queued = counts(engine)
        started = time.perf_counter()
        first, second = worker(url, cfg, folder, "a"), worker(url, cfg, folder, "b")
        # Kill one worker mid-way, once some posts are done: its leased batch must not be lost.
        while counts(engine)["done"] < calls // 4 and first.poll() is None:
            time.sleep(0.2)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = counts(engine)["done"]
        second.wait(timeout=1800)
        work_s = time.perf_counter() - started
        final = counts(engine)
        engine.dispose()
    ok = (totals["errors"] == 0 and totals["queued"] == calls and queued["jobs"] == calls
          and final["done"] == final["scored"] == final["posts"] == final["signals"] == calls
          and final["posts_with_two_signals"] == 0 and second.returncode == 0)
    line = {"db": kind, "calls": calls + len(redeliveries), "burst": {**totals, "seconds": round(burst_s, 1),
                                                                         **percentiles(times)},
            "workers": {"killed_after_done": killed_at, "seconds": round(work_s, 1),
                        "posts_per_s": round(calls / work_s, 1), "ms_per_post": round(work_s / calls * 1000, 2)},
            "final": final, "lossless_and_once": ok}
    print(json.dumps(line), flush=True)  # noqa: T201
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--scorer", choices=("light", "model"), default="light")
    args = parser.parse_args()
    lines = [run(kind.strip(), args.calls, args.scorer) for kind in args.db.split(",")]
    print(json.dumps({"passed": all(line["lossless_and_once"] for line in lines)}))  # noqa: T201


if __name__ == "__main__":
    main()

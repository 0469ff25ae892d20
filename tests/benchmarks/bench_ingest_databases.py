"""Benchmark: the same canonical posts ingested on SQLite and on PostgreSQL; the ratio is the figure.

Issue 15 measured 176,000 rows at 9.5 min on PostgreSQL against 35 s on SQLite (16x): a thread
lookup and a flush per post, each a network round trip on PostgreSQL. ``posts.insert_posts`` reads
a batch's threads in one query and writes threads and posts in two flushes. The bar: PostgreSQL
within 3x of SQLite on the same rows. Run from the repository root::

    python tests/benchmarks/bench_ingest_databases.py [--posts 20000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests.support` from a fresh clone

from insight.services.ingest import ingest_paths  # noqa: E402
from insight.storage.db import make_engine  # noqa: E402
from tests.support.databases import postgres_schema_url, settings_in  # noqa: E402


def write_posts(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(json.dumps({
                "post_id": f"p{n}", "thread_id": f"t{n // 8}", "author_id": f"a{n % 997}", "channel": "help",
                "created_at": f"2026-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z", "title": "Export fails?" if n % 8 == 0
                else None, "text": f"Post {n}: the export button does nothing since the update."}) + "\n")
    return path


def timed(settings, path: Path) -> float:  # type: ignore[no-untyped-def]
    engine = make_engine(settings)
    started = time.perf_counter()
    summary = ingest_paths([path], engine=engine, settings=settings)
    elapsed = time.perf_counter() - started
    assert summary.rejected == 0, summary
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        posts = write_posts(root / "posts.jsonl", args.posts)
        sqlite = timed(settings_in(root, db_name="bench.db"), posts)
        for url in postgres_schema_url():
            postgres = timed(settings_in(root, url), posts)
    result = {"posts": args.posts, "sqlite_s": round(sqlite, 2), "postgres_s": round(postgres, 2),
              "postgres_over_sqlite": round(postgres / sqlite, 2)}
    print(json.dumps(result))  # noqa: T201


if __name__ == "__main__":
    main()

"""Scoring stored posts survives ``kill -9`` and a second process: every post scored exactly once.

Real subprocesses of ``insight analyse`` (the cheap VADER pass and the packaged embedder, small
batches so a run lasts long enough to be killed in the middle), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from insight.config import Settings
from insight.services.ingest import ingest_paths
from insight.storage.analysis_tables import AnalysisClaimRow, PostEmbeddingRow
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import SignalRow
from tests.support.analyse import CHEAP_SCORING_TOML

POSTS = 600
SPEC = 'name = "test"\nstages = ["score"]\nbatch_size = 8\nschedule = ""\n'


def _community(folder: Path) -> Path:
    path = folder / "posts.jsonl"
    lines = [json.dumps({"post_id": f"p{i}", "thread_id": f"t{i // 5}", "author_id": f"a{i % 40}",
                         "created_at": f"2026-09-{1 + i % 28:02d}T10:00:00Z",
                         "text": f"Post {i}: the export to CSV {'works great' if i % 3 else 'fails again'} today."})
             for i in range(POSTS)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _start(folder: Path, url: str) -> subprocess.Popen[str]:
    (folder / "config.toml").write_text(CHEAP_SCORING_TOML)
    (folder / "spec.toml").write_text(SPEC)
    env = {**os.environ, "INSIGHT_DATA_DIR": str(folder)}
    env.pop("INSIGHT_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "insight", "analyse", "--no-progress", "--spec",
                             str(folder / "spec.toml"), "--config", str(folder / "config.toml"), "--db", url],
                            cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _summary(proc: subprocess.Popen[str]) -> dict:  # type: ignore[type-arg]
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def stored(db_settings: Settings, tmp_path: Path) -> tuple[Engine, str]:
    engine = make_engine(db_settings)
    ingest_paths([_community(tmp_path)], engine=engine, settings=db_settings)
    return engine, db_settings.resolved_database_url


@pytest.mark.slow
def test_a_run_killed_mid_way_is_finished_by_the_next_with_each_post_scored_once(
        stored: tuple[Engine, str], tmp_path: Path) -> None:
    engine, url = stored
    proc = _start(tmp_path, url)
    deadline = time.monotonic() + 300
    # Well into the run (some batches committed) and with a batch claimed and in flight.
    while _count(engine, SignalRow) < POSTS // 10 or not _count(engine, AnalysisClaimRow):
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = _count(engine, SignalRow)
    assert 0 < done < POSTS

    again = _summary(_start(tmp_path, url))
    assert again["posts_scored"] == POSTS - done  # the rest, once; nothing scored before is redone
    assert _count(engine, SignalRow) == _count(engine, PostEmbeddingRow) == POSTS
    assert _count(engine, AnalysisClaimRow) == 0


@pytest.mark.slow
def test_two_runs_at_once_share_the_work_and_score_no_post_twice(stored: tuple[Engine, str], tmp_path: Path) -> None:
    engine, url = stored
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = _start(tmp_path / "a", url), _start(tmp_path / "b", url)
    summaries = [_summary(first), _summary(second)]
    assert sum(s["posts_scored"] for s in summaries) == POSTS
    assert _count(engine, SignalRow) == _count(engine, PostEmbeddingRow) == POSTS
    assert _count(engine, AnalysisClaimRow) == 0

"""Runs, on SQLite and PostgreSQL: a run whose process was killed (kill -9) is marked abandoned when
the next run starts; a live one is left running."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from insight.storage import runs
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import Run


def test_a_killed_run_is_abandoned_on_the_next_start(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with session_scope(engine) as session:
        for run_id, pid in (("killed", dead.pid), ("alive", sleeper.pid)):
            session.add(Run(run_id=run_id, command="ingest", config_hash="x", started_at=datetime.now(UTC),
                            finished_at=None, status="running",
                            summary={"owner": {"host": socket.gethostname(), "pid": pid}}))
    try:
        with session_scope(engine) as session:
            runs.start_run(session, "ingest", "x", run_id="next")
        with session_scope(engine) as session:
            status = dict(session.execute(select(Run.run_id, Run.status)).all())
    finally:
        sleeper.kill()
    assert status == {"killed": "abandoned", "alive": "running", "next": "running"}

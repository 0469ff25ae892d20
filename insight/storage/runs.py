"""Pipeline runs: one row per command run (ingest, demo, webhook batch), with its summary.

A run records its owner (host and process id) while it runs. A process killed with ``kill -9``
never finishes its run; the next run started on that host finds the owner gone and marks the
run ``abandoned`` (a run of unknown owner, from before owners were recorded or from another host,
after ``STALE_AFTER``).
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from insight.records import utc
from insight.storage.tables import Run


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


STALE_AFTER = timedelta(days=2)


def start_run(session: Session, command: str, config_hash: str, run_id: str | None = None) -> str:
    run_id = run_id or new_run_id()
    abandon_dead_runs(session)
    owner = {"host": socket.gethostname(), "pid": os.getpid()}
    session.add(Run(run_id=run_id, command=command, config_hash=config_hash, started_at=datetime.now(UTC),
                    finished_at=None, status="running", summary={"owner": owner}))
    session.flush()
    return run_id


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's live process, or not a pid we can ask about: leave it
    return True


def abandon_dead_runs(session: Session, now: datetime | None = None) -> list[str]:
    """Mark ``abandoned`` the running runs whose process is gone; returns their ids."""
    now = now or datetime.now(UTC)
    host, gone = socket.gethostname(), []
    for run in session.scalars(select(Run).where(Run.status == "running")):
        owner = (run.summary or {}).get("owner") or {}
        if owner.get("pid") == os.getpid() and owner.get("host") == host:
            continue  # this process's own run (a long command that starts another run)
        if owner.get("host") == host and isinstance(owner.get("pid"), int):
            dead = not _alive(owner["pid"])
        else:
            dead = now - utc(run.started_at) > STALE_AFTER  # type: ignore[operator]
        if dead:
            run.status, run.finished_at = "abandoned", now
            gone.append(run.run_id)
    return gone


def finish_run(session: Session, run_id: str, summary: dict[str, Any], status: str = "ok") -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.finished_at = datetime.now(UTC)
    run.status = status
    run.summary = summary

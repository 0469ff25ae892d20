"""Pipeline runs: one row per command run (ingest, demo, webhook batch), with its summary."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from insight.storage.tables import Run


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def start_run(session: Session, command: str, config_hash: str, run_id: str | None = None) -> str:
    run_id = run_id or new_run_id()
    session.add(Run(run_id=run_id, command=command, config_hash=config_hash, started_at=datetime.now(UTC),
                    finished_at=None, status="running", summary={}))
    session.flush()
    return run_id


def finish_run(session: Session, run_id: str, summary: dict[str, Any], status: str = "ok") -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.finished_at = datetime.now(UTC)
    run.status = status
    run.summary = summary

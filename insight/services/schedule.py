"""The daily analysis inside ``insight serve``: the configured spec (``[pipeline] spec``) on its schedule.

Each firing runs ``insight analyse`` (incremental: only what arrived since) and then re-ranks the
queue at the current time, so SLAs and cool-downs move on even on a day with no new post.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from insight.config import Settings
from insight.runtime.spec import AnalyseSpec, load_spec, next_run
from insight.services import triage
from insight.services.analyse import analyse

log = logging.getLogger(__name__)


def configured_spec(settings: Settings) -> AnalyseSpec:
    return load_spec(Path(settings.pipeline.spec)) if settings.pipeline.spec else AnalyseSpec()


def run_scheduled(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """Fire the spec at each scheduled time until ``stop`` is set; a failed run is logged, not fatal."""
    spec = configured_spec(settings)
    if spec.schedule is None:
        return
    while not stop.is_set():
        due = next_run(spec.schedule, datetime.now(UTC))
        if stop.wait(max(0.0, (due - datetime.now(UTC)).total_seconds())):
            return
        try:
            summary = analyse(engine, settings, spec)
            queue = triage.refresh_queue(engine, settings, as_of=datetime.now(UTC), run_id=summary["run_id"])
            log.info("scheduled analysis %s: %s posts scored, %s active in the queue", summary["run_id"],
                     summary.get("posts_scored"), queue["active"])
        except Exception:
            log.exception("scheduled analysis (spec %s) failed", spec.name)

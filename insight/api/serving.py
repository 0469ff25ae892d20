"""Running the service: ``insight serve`` in one process, or in several HTTP processes beside one
that runs the background work.

A Python process runs its Python code on one core at a time (the GIL), so on a machine with
several cores ``--processes N`` starts N uvicorn worker processes on one socket.
The background threads (scoring workers, the scheduled analysis, retention, alerts) must run
once, not once per process: they run in the supervising process, and the HTTP processes run
none. Each HTTP process gets the supervisor's settings as JSON in ``INSIGHT_SERVE_SETTINGS``
(so ``--config`` and ``--db`` hold in every process) and opens its own engine.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from sqlalchemy import Engine

from insight.api.app import background, create_app
from insight.config import Settings
from insight.errors import ConfigError
from insight.storage.db import share_between_writers

SETTINGS_ENV = "INSIGHT_SERVE_SETTINGS"


def serve(settings: Settings, engine: Engine, *, host: str, port: int, workers: int | None = None,
          processes: int | None = None) -> None:
    """Serve until stopped: in this process, or (``processes`` > 1) in that many HTTP processes
    while this one runs the background threads.

    Raises:
        ConfigError: E105 when ``processes`` is below 1.
    """
    import uvicorn

    count = settings.api.processes if processes is None else processes
    if count < 1:
        raise ConfigError("E105", processes=count)
    scoring = settings.api.workers if workers is None else workers
    if count == 1:
        uvicorn.run(create_app(settings, engine, workers=scoring, schedule=True), host=host, port=port,
                    log_level="info")
        return
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    with background(share_between_writers(engine), settings, workers=scoring, schedule=True):
        uvicorn.run("insight.api.serving:http_process_app", factory=True, workers=count, host=host, port=port,
                    log_level="info")


def http_process_app() -> FastAPI:
    """The app one HTTP process of ``serve`` runs: the supervisor's settings, no background threads.

    Raises:
        ConfigError: E106 when the settings are not in the environment (started outside ``serve``).
    """
    payload = os.environ.get(SETTINGS_ENV)
    if not payload:
        raise ConfigError("E106", variable=SETTINGS_ENV)
    return create_app(Settings.model_validate_json(payload), workers=0, schedule=False)

"""The app factory: API routers, the pages (``insight.web``), coded errors as JSON, background scoring workers.

``create_app(settings)`` opens (and migrates) the configured database; ``insight serve`` runs
it with uvicorn. OpenAPI is served at ``/openapi.json`` and browsable at ``/docs``.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from insight.api import docs
from insight.api.errors import insight_error, responses
from insight.api.guards import Guards
from insight.api.routes import admin, members, reporting, stories, triage, webhooks
from insight.config import Settings
from insight.errors import InputError, InsightError
from insight.services import alerts, jobs, notifier, retention
from insight.services.pairs_cache import PairsCache
from insight.services.schedule import run_scheduled
from insight.storage.db import make_engine, share_between_writers
from insight.web import routes as pages

ROUTERS = (triage.router, stories.router, reporting.router, admin.router, members.router, webhooks.router)


def create_app(settings: Settings, engine: Engine | None = None, *, workers: int | None = None,
               scorer: jobs.Scorer | None = None, schedule: bool = False) -> FastAPI:
    """The service on ``settings``' database (or ``engine``).

    Args:
        workers: background scoring threads (default ``[api] workers``; 0 in tests that run
            the worker themselves).
        scorer: what the workers score with (default the configured signals stages).
        schedule: run the configured analysis spec on its schedule (``insight serve`` does).
    """
    engine = share_between_writers(engine or make_engine(settings))
    alerts.check_settings(settings.alerts)  # a bad [alerts] section fails at start, not on each alert
    count = settings.api.workers if workers is None else workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with background(engine, settings, workers=count, scorer=scorer, schedule=schedule):
            yield

    app = FastAPI(title="insight", version=_version(), lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Triage queue, stories, KPI values, story-metric pairs and reports, by role. "
                              "Send an API key as `Authorization: Bearer <key>`.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.pairs = PairsCache(fresh_seconds=settings.api.pairs_fresh_seconds)
    app.add_exception_handler(InsightError, insight_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(Guards, settings=settings)  # type: ignore[arg-type]
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz", tags=["service"], summary="Liveness: answers without a key", responses=responses(500))
    def healthz() -> dict[str, Any]:
        return {"ok": True}

    pages.mount(app)
    docs.mount(app)
    return app


@contextmanager
def background(engine: Engine, settings: Settings, *, workers: int, scorer: jobs.Scorer | None = None,
               schedule: bool = False) -> Iterator[None]:
    """The service's background threads, running while the block runs: ``workers`` scoring workers,
    and with ``schedule`` the analysis spec on its schedule, the daily retention sweep and the alerts.

    One process runs them: ``create_app``'s lifespan, or ``insight serve --processes N``'s
    supervisor (``insight.api.serving``), whose HTTP processes run none.
    """
    stop = threading.Event()
    threads = [threading.Thread(target=jobs.run_worker, args=(engine, settings),
                                kwargs={"stop": stop, "scorer": scorer}, name=f"insight-worker-{n}", daemon=True)
               for n in range(workers)]
    if schedule:
        threads.append(threading.Thread(target=run_scheduled, args=(engine, settings, stop),
                                        name="insight-schedule", daemon=True))
        threads.append(threading.Thread(target=retention.run_daily, args=(engine, settings, stop),
                                        name="insight-retention", daemon=True))  # issue 19
    if schedule and alerts.destinations(settings.alerts):  # issue 18: new queue items sent as alerts
        threads.append(threading.Thread(target=notifier.run_in_service, args=(engine, settings, stop),
                                        name="insight-alerts", daemon=True))
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("insight")
    except PackageNotFoundError:
        return "0"


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's request validation failures as coded errors (E661), not a bare 422 body."""
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "request"
    return await insight_error(request, InputError("E661", where=where, detail=first.get("msg", "invalid value")))

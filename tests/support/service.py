"""The API service the API, page and CLI tests run against, and servers on 127.0.0.1.

``build_service`` stores the labelled triage threads (tests/data/triage) with cheap signals, ranks
the queue, creates a key per role and seeds stories; ``LiveServer`` serves an app in a thread for
the browser; ``free_port`` and ``wait_healthy`` start and wait for ``insight serve`` processes
(tests and benchmarks).
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from insight.api import create_app
from insight.config import Settings
from insight.services import auth, stories, triage
from insight.storage.db import make_engine
from tests.support.stories import seed_stories
from tests.support.triage import AS_OF, SIGNAL_STAGES, VADER, store_threads

SECRETS = {"slack_signing_secret": "slack-secret", "github_webhook_secret": "github-secret",
           "discourse_webhook_secret": "discourse-secret"}

__all__ = ["AS_OF", "SECRETS", "LiveServer", "Service", "build_service", "free_port", "service_settings",
           "wait_healthy"]


def service_settings(settings: Settings) -> Settings:
    """Webhook secrets set; scoring with VADER and the safety rules (real, and fast on 2 cores)."""
    return settings.model_copy(update={
        "api": settings.api.model_copy(update={**SECRETS, "job_lease_seconds": 30.0, "pairs_fresh_seconds": 0.0}),
        "models": settings.models.model_copy(update={"sentiment": VADER}),
        "pipeline": settings.pipeline.model_copy(update={"score_stages": list(SIGNAL_STAGES)}),
    })


@dataclass
class Service:
    settings: Settings
    engine: Engine
    client: TestClient
    keys: dict[str, str]  # role -> secret
    stories: list[dict[str, Any]]  # seeded stories (tests.support.stories.seed_stories); the first one confirmed
    links: list[str]  # the first story's links (to its tag's KPIs and its member's cohorts)

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"} if role else {}


def build_service(settings: Settings) -> Iterator[Service]:
    settings = service_settings(settings)
    engine = make_engine(settings)
    store_threads(engine, settings)
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    keys = {role: auth.create_key(engine, role, f"test-{role}")["key"] for role in auth.ROLES}
    seeded = seed_stories(engine)
    links = stories.review(engine, seeded[0]["suggestion_id"], "confirm", "seed-researcher")["links"]
    with TestClient(create_app(settings, engine, workers=0)) as client:
        yield Service(settings, engine, client, keys, seeded, links)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:  # type: ignore[type-arg]
    """Return once ``base``/healthz answers 200; raise if ``process`` exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"the server at {base} did not start")
        time.sleep(0.2)


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a daemon thread."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

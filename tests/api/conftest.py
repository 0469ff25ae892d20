"""API fixtures: the triage test threads stored with cheap signals, a ranked queue, a key per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from insight.api import create_app
from insight.config import Settings
from insight.services import auth, stories, triage
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine
from tests.api.stories_seed import seed_stories
from tests.triage.builders import SIGNAL_STAGES, VADER, store_signals
from tests.triage.conftest import DATA

AS_OF = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
SECRETS = {"slack_signing_secret": "slack-secret", "github_webhook_secret": "github-secret",
           "discourse_webhook_secret": "discourse-secret"}


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
    stories: list[dict[str, Any]]  # seeded stories (tests/api/stories_seed.py); the first one confirmed
    links: list[str]  # the first story's links (to its tag's KPIs and its member's cohorts)

    def headers(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"} if role else {}


def build_service(settings: Settings) -> Iterator[Service]:
    settings = service_settings(settings)
    engine = make_engine(settings)
    ingest_paths([DATA / "threads.jsonl"], engine=engine, settings=settings)
    store_signals(engine, settings)
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    keys = {role: auth.create_key(engine, role, f"test-{role}")["key"] for role in auth.ROLES}
    seeded = seed_stories(engine)
    links = stories.review(engine, seeded[0]["suggestion_id"], "confirm", "seed-researcher")["links"]
    with TestClient(create_app(settings, engine, workers=0)) as client:
        yield Service(settings, engine, client, keys, seeded, links)
    engine.dispose()


@pytest.fixture
def service(db_settings: Settings) -> Iterator[Service]:
    """A fresh service per test, on SQLite and on PostgreSQL."""
    yield from build_service(db_settings)


@pytest.fixture(scope="module")
def shared_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One SQLite service for a module's read-mostly tests."""
    from insight.config import load_config

    tmp = tmp_path_factory.mktemp("api")
    settings = load_config(overrides={"data_dir": str(tmp), "database_url": f"sqlite:///{tmp / 'api.db'}",
                                      "redaction": {"names": False}}, env={})
    yield from build_service(settings)

"""Triage fixtures: the demo community in a SQLite database with cheap signals (no embeddings, no topics)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from insight.config import Settings, load_config
from insight.demo.community import Community, generate_community
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine
from tests.triage.builders import store_signals

DATA = Path(__file__).resolve().parents[1] / "data" / "triage"


@dataclass(frozen=True)
class DemoDb:
    settings: Settings
    engine: Engine
    community: Community
    url: str


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> DemoDb:
    """The demo community (seed 7) ingested and scored once per test session (about 5 s)."""
    out = tmp_path_factory.mktemp("triage-demo")
    url = f"sqlite:///{out / 'insight-demo.db'}"
    settings = load_config(overrides={"data_dir": str(out), "database_url": url, "redaction": {"names": False}},
                           env={})
    community = generate_community(seed=7)
    files = community.write(out / "data")
    engine = make_engine(settings)
    ingest_paths([files[k] for k in ("members", "posts", "feedback", "kpi_observations")], engine=engine,
                 settings=settings)
    store_signals(engine, settings)
    return DemoDb(settings, engine, community, url)

"""Shared fixtures: settings, databases (SQLite and PostgreSQL), the shared data folder."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from insight.config import Settings, load_config

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
POSTGRES_URL = os.environ.get("INSIGHT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings writing under tmp_path, SQLite file database, fast redaction."""
    return load_config(overrides={"data_dir": str(tmp_path), "database_url": f"sqlite:///{tmp_path / 'test.db'}",
                                  "redaction": {"names": False}}, env={})


def _postgres_schema_url() -> Iterator[str]:
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a fresh database: once on SQLite, once on PostgreSQL (own schema per test)."""
    base = {"data_dir": str(tmp_path), "redaction": {"names": False}}
    if request.param == "sqlite":
        yield load_config(overrides={**base, "database_url": f"sqlite:///{tmp_path / 'test.db'}"}, env={})
    else:
        for url in _postgres_schema_url():
            yield load_config(overrides={**base, "database_url": url}, env={})


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, Settings]:  # type: ignore[type-arg]
    """The whole demo (synthetic community through every stage, stories loop included), built once
    per test session and shared read-only: it is the suite's slowest fixture (minutes on 2 cores)."""
    from insight.services.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    summary = run_demo(out, load_config(env={}), seed=7)
    settings = load_config(overrides={"database_url": summary["database"], "data_dir": str(out)}, env={})
    return summary, out, settings

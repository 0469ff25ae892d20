"""Fixtures the whole suite shares: settings, databases (SQLite and PostgreSQL), the demo (whole, and
as a scored database), the API service and the Banking77 sample.

Fixtures only: the code behind them lives in ``tests.support``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from insight.config import Settings, load_config
from tests.support.databases import postgres_schema_url, settings_in
from tests.support.service import Service, build_service
from tests.support.topics import Sample, banking_sample
from tests.support.triage import DemoDb, demo_db_in


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings writing under tmp_path, SQLite file database, fast redaction."""
    return settings_in(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a fresh database: once on SQLite, once on PostgreSQL (own schema per test)."""
    if request.param == "sqlite":
        yield settings_in(tmp_path)
    else:
        for url in postgres_schema_url():
            yield settings_in(tmp_path, url)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, Settings]:  # type: ignore[type-arg]
    """The whole demo (synthetic community through every stage, stories loop included), built once
    per test session and shared read-only: it is the suite's slowest fixture (minutes on 2 cores)."""
    from insight.services.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    summary = run_demo(out, load_config(env={}), seed=7)
    settings = load_config(overrides={"database_url": summary["database"], "data_dir": str(out)}, env={})
    return summary, out, settings


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> DemoDb:
    """The demo community (seed 7) ingested and scored cheaply once per test session (about 5 s)."""
    return demo_db_in(tmp_path_factory.mktemp("triage-demo"))


@pytest.fixture
def service(db_settings: Settings) -> Iterator[Service]:
    """A fresh API service per test (``tests.support.service``), on SQLite and on PostgreSQL."""
    yield from build_service(db_settings)


@pytest.fixture(scope="session")
def banking() -> Sample:
    """2,400 Banking77 member questions, embedded once per session."""
    return banking_sample()

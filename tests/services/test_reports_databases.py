"""The same stored inputs give the same report on SQLite and on PostgreSQL (times, floats, order)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.demo.community import generate_community
from insight.services import reports
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine
from tests.support.databases import postgres_schema_url, settings_in

pytestmark = pytest.mark.postgres


def report_json(url: str, files: dict[str, Path], tmp_path: Path) -> dict:  # type: ignore[type-arg]
    settings = settings_in(tmp_path, url)
    engine = make_engine(settings)
    ingest_paths([files[k] for k in ("members", "posts", "kpi_observations")], engine=engine, settings=settings)
    return reports.report_json(reports.build_report(engine, settings, "2026-07"))


def test_sqlite_and_postgres_give_the_same_report(tmp_path: Path) -> None:
    files = generate_community(seed=3, months=2).write(tmp_path / "data")
    on_sqlite = report_json(f"sqlite:///{tmp_path / 'r.db'}", files, tmp_path)
    for url in postgres_schema_url():
        on_postgres = report_json(url, files, tmp_path)
    assert on_sqlite["run"]["inputs"]["posts"]["rows"] > 500
    assert json.dumps(on_sqlite, sort_keys=True) == json.dumps(on_postgres, sort_keys=True)

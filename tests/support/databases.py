"""Databases for tests: settings on a SQLite file in a folder, and an own PostgreSQL schema per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from insight.config import Settings, load_config

POSTGRES_URL = os.environ.get("INSIGHT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def settings_in(folder: Path, database_url: str | None = None, db_name: str = "test.db") -> Settings:
    """Development settings writing under ``folder``, fast redaction (no names), on ``database_url``
    (default: a SQLite file ``db_name`` in ``folder``); nothing read from the environment."""
    url = database_url or f"sqlite:///{folder / db_name}"
    return load_config(overrides={"data_dir": str(folder), "database_url": url, "redaction": {"names": False}},
                       env={})


def postgres_schema_url() -> Iterator[str]:
    """Yield the URL of a fresh schema on the PostgreSQL server, dropped afterwards.

    Skips when the server is not reachable, except under CI, where it fails.
    """
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

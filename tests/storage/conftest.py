"""Storage fixtures: a migrated engine on SQLite and on PostgreSQL, and what a report reads stored in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from insight.config import Settings
from insight.storage.db import make_engine
from tests.support.storage import seed_reads


@pytest.fixture
def engine(db_settings: Settings) -> Iterator[Engine]:
    """A fresh, migrated database: once SQLite, once PostgreSQL."""
    engine = make_engine(db_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(engine: Engine) -> dict[str, int]:
    """Three posts (two in March, one in April), two scored, all assigned to topics, two triage runs
    (``tests.support.storage.seed_reads``); the posts' primary keys by post id."""
    return seed_reads(engine)

"""Storage fixtures: a migrated engine on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from insight.config import Settings
from insight.storage.db import make_engine


@pytest.fixture
def engine(db_settings: Settings) -> Iterator[Engine]:
    """A fresh, migrated database: once SQLite, once PostgreSQL."""
    engine = make_engine(db_settings)
    yield engine
    engine.dispose()

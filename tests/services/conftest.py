"""Service fixtures: the tiny story community (``tests.support.stories``) stored on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.config import Settings
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine
from tests.support.stories import write_community


@pytest.fixture
def story_engine(db_settings: Settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database holding the tiny community (members, posts, feedback), on SQLite and PostgreSQL."""
    engine = make_engine(db_settings)
    ingest_paths(write_community(tmp_path / "community"), engine=engine, settings=db_settings)
    return engine

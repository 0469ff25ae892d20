"""API fixtures: one service shared by a module's read-mostly tests (the fresh one per test is
``service`` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.databases import settings_in
from tests.support.service import Service, build_service


@pytest.fixture(scope="module")
def shared_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One SQLite service for a module's read-mostly tests."""
    yield from build_service(settings_in(tmp_path_factory.mktemp("api"), db_name="api.db"))

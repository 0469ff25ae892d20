"""`insight serve` (the app with its schedule) applies retention daily: its thread runs beside the
scheduled analysis and stops with the app."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from insight.api.app import create_app
from tests.support.databases import settings_in


def test_the_served_app_runs_retention_daily(tmp_path: Path) -> None:
    app = create_app(settings_in(tmp_path), workers=0, schedule=True)
    with TestClient(app):
        running = {t.name: t for t in threading.enumerate()}
        assert "insight-retention" in running and running["insight-retention"].is_alive()
    running["insight-retention"].join(timeout=5)
    assert not running["insight-retention"].is_alive()

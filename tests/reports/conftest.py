"""Fixtures for report tests: one demo run per session.

The demo (synthetic community through the whole pipeline, stories loop included, ~1-2 minutes)
is built once and shared read-only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from insight.config import Settings, load_config
from insight.services.demo import run_demo

DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, Settings]:
    out = tmp_path_factory.mktemp("report-demo")
    summary = run_demo(out, load_config(env={}), seed=DEMO_SEED)
    settings = load_config(overrides={"database_url": summary["database"], "data_dir": str(out)}, env={})
    return summary, out, settings

"""Browser fixtures: the service on 127.0.0.1 in a thread, and headless Debian chromium driven by Playwright.

Chromium comes from Debian (``apt-get install chromium``); Playwright's own browser download is
never used. Without chromium the browser tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from insight.api import create_app
from tests.support.browser import ARGS, CHROMIUM
from tests.support.service import LiveServer, Service, build_service


@pytest.fixture
def live(settings, browser) -> Iterator[tuple[Service, LiveServer]]:  # type: ignore[no-untyped-def]
    """The API test service (tests.support.service) served on 127.0.0.1 for the browser (after the
    ``browser`` fixture, so a machine without chromium skips before building anything)."""
    for service in build_service(settings):
        with LiveServer(create_app(service.settings, service.engine, workers=0)) as server:
            yield service, server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `apt-get install -y chromium` (the README's test command does)")
        pytest.skip("no chromium on this machine (install with `apt-get install -y chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $INSIGHT_SCREENSHOTS (to look at them), else the test's tmp folder."""
    folder = Path(os.environ.get("INSIGHT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder

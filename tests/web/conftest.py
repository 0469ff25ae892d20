"""Browser fixtures: the service on 127.0.0.1 in a thread, and headless Debian chromium driven by Playwright.

Chromium comes from Debian (``apt-get install chromium``); Playwright's own browser download is
never used. Without chromium the browser tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from insight.api import create_app
from tests.api.conftest import Service, build_service
from tests.api.live import free_port

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 in a daemon thread."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(settings, browser) -> Iterator[tuple[Service, LiveServer]]:  # type: ignore[no-untyped-def]
    """The API test service (tests/api/conftest.py) served on 127.0.0.1 for the browser (after the
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


def login(page, server: LiveServer, key: str, path: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``path``, which sends to the login page, log in with ``key`` and land back on ``path``."""
    page.goto(server.url + path)
    assert page.url.startswith(server.url + "/login")
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}*")

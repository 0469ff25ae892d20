"""Pages in a real browser: the system Chromium (Debian's ``apt-get install chromium``; Playwright's own
browser download is never used), how it is launched, and logging in to the pages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.support.service import LiveServer

CHROMIUM = (shutil.which("chromium") or shutil.which("chromium-browser")
            or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def login(page: Any, server: LiveServer, key: str, path: str) -> None:
    """Open ``path``, which sends to the login page, log in with ``key`` and land back on ``path``."""
    page.goto(server.url + path)
    assert page.url.startswith(server.url + "/login")
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}*")

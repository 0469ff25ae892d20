"""The report page in a real browser: the report renders for a reporter, who sees nothing else."""

from __future__ import annotations

from pathlib import Path

from tests.support.browser import login


def test_report_page_shows_the_report_and_roles_are_kept_apart(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    login(page, server, service.keys["reporter"], "/report")
    frame = page.frame_locator("iframe.report")
    frame.locator("h2").first.wait_for()
    assert "Community insight report, 2026-05" in frame.locator("h1").inner_text()
    assert "Activation rate" in frame.locator("body").inner_text()
    page.screenshot(path=str(shots / "report-1.png"))
    assert page.locator("nav a").all_inner_texts() == ["Report"]  # a reporter sees only the report
    page.goto(server.url + "/queue")
    assert "Not for your role" in page.inner_text("h1")
    page.close()

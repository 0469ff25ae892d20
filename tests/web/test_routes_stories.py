"""Story review in a real browser: one-key confirm and retag persist."""

from __future__ import annotations

from pathlib import Path

from insight.services import stories
from tests.support.browser import login


def test_story_review_confirm_and_retag_persist(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["researcher"], "/stories")
    page.screenshot(path=str(shots / "stories-1-pending.png"))
    items = page.locator("[data-item]")
    assert items.count() == len(service.stories) - 1  # the first story was confirmed when seeded
    top = items.first
    top_id = int(top.get_attribute("data-item"))
    assert "selected" in top.get_attribute("class")
    marked = top.locator("mark").first.inner_text()
    assert marked and marked in top.locator("blockquote").inner_text()  # the evidence, highlighted

    page.keyboard.press("c")  # confirm the selected suggestion
    page.wait_for_selector(".flash.ok")
    assert f"Suggestion {top_id}: confirm" in page.inner_text(".flash.ok")
    assert page.locator(f'[data-item="{top_id}"]').count() == 0  # no longer pending
    page.screenshot(path=str(shots / "stories-2-confirmed.png"))

    second = page.locator("[data-item]").first
    second_id = int(second.get_attribute("data-item"))
    old_tag = next(s["tag"] for s in service.stories if s["suggestion_id"] == second_id)
    new_tag = next(t for t in ("event_collaboration", "mentor_guidance") if t != old_tag)
    page.keyboard.press("t")  # focuses the new-tag menu of the selected suggestion
    assert page.evaluate("document.activeElement.name") == "new_tag"
    second.locator("select[name=new_tag]").select_option(new_tag)
    page.keyboard.press("Enter")
    page.wait_for_selector(f".flash.ok >> text=retag → {new_tag}")
    page.screenshot(path=str(shots / "stories-3-retagged.png"))

    page.reload()
    decided = {s["suggestion_id"]: s for s in stories.suggestions(service.engine, status="all", limit=100)}
    assert decided[top_id]["status"] == "confirmed"
    assert decided[second_id]["status"] == "retagged"
    story = decided[second_id]["story_id"]
    retagged_to = [s for s in decided.values() if s["story_id"] == story and s["tag"] == new_tag]
    assert retagged_to and retagged_to[0]["status"] == "confirmed"
    page.goto(server.url + "/stories?status=confirmed")
    assert page.locator(f'[data-item="{top_id}"] .status').inner_text() == "confirmed"
    page.close()

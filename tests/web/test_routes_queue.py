"""The triage queue in a real browser: log in, filter, one-key acknowledge and resolve, changes persist."""

from __future__ import annotations

from pathlib import Path

from insight.services import triage
from tests.support.browser import login


def test_queue_page_acknowledge_resolve_and_filters_persist(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["moderator"], "/queue")
    page.screenshot(path=str(shots / "queue-1-open.png"))

    first = triage.list_queue(service.engine)[0]
    top = page.locator(f"#item-{first.id}")
    assert "selected" in top.get_attribute("class")
    assert "safety concern" in top.locator(".meta").inner_text()
    assert top.locator(".evidence blockquote").count() >= 1  # the evidence post, inline
    assert top.locator(".evidence mark").first.inner_text() == "I know where you live"  # what the rule flagged

    page.keyboard.press("a")  # acknowledge the selected (top) item
    page.wait_for_selector(".flash.ok")
    assert "acknowledge → acknowledged" in page.inner_text(".flash.ok")
    assert page.locator(f"#item-{first.id} .status").inner_text() == "acknowledged"
    page.screenshot(path=str(shots / "queue-2-acknowledged.png"))

    page.keyboard.press("r")  # the same item stays selected after the redirect: resolve it
    page.wait_for_selector(".flash.ok >> text=resolve → resolved")
    assert page.locator(f"#item-{first.id}").count() == 0  # resolved items leave the active queue
    page.screenshot(path=str(shots / "queue-3-resolved.png"))

    # j moves down.
    second = page.locator("[data-item]").nth(1)
    second_id = int(second.get_attribute("data-item"))
    page.keyboard.press("j")
    assert "selected" in second.get_attribute("class")
    page.keyboard.press("r")  # resolving straight from open is allowed
    page.wait_for_selector(".flash.ok")

    page.select_option("select[name=reason]", "unanswered_question")
    page.wait_for_url("**reason=unanswered_question**")
    reasons = page.locator("[data-item] .meta").all_inner_texts()
    assert reasons and all("unanswered question" in r for r in reasons)
    page.screenshot(path=str(shots / "queue-4-filtered.png"), full_page=False)

    page.reload()
    stored = {i.id: i for i in triage.list_queue(service.engine, status="all")}
    assert stored[first.id].status == "resolved" and stored[second_id].status == "resolved"
    history = [(a.action, a.actor) for a in triage.queue_history(service.engine, first.id)]
    assert history == [("open", "insight"), ("acknowledge", "test-moderator"), ("resolve", "test-moderator")]
    page.goto(server.url + "/queue?status=resolved")
    assert page.locator(f"#item-{first.id} .status").inner_text() == "resolved"
    page.close()


def test_queue_page_dismiss_asks_why(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["admin"], "/queue")
    top_id = int(page.locator("[data-item]").first.get_attribute("data-item"))
    page.once("dialog", lambda dialog: dialog.accept("duplicate of an escalated thread"))
    page.keyboard.press("d")
    page.wait_for_selector(".flash.ok >> text=dismiss → dismissed")
    actions = triage.queue_history(service.engine, top_id)
    assert (actions[-1].action, actions[-1].reason, actions[-1].actor) == (
        "dismiss", "duplicate of an escalated thread", "test-admin")
    page.close()

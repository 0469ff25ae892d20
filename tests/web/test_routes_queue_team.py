"""The queue as a team uses it, in a real browser: links to the thread and posts, the next item
selected after an action, undo from the confirmation, claim/assign, notes, snooze and its return,
bulk dismiss on a filtered selection, the priority explained."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from insight.services import triage
from tests.support.browser import login


def _in_view(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + 20 <= page.viewport_size["height"]


def test_queue_links_next_selection_and_undo(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 700})
    login(page, server, service.keys["moderator"], "/queue")
    top = page.locator("[data-item]").first
    thread = top.locator("a.thread-link")
    key = triage.list_queue(service.engine)[0].thread_key.split(":", 1)[1]
    assert thread.get_attribute("href") == f"https://community.example.com/t/{key}/1"
    assert thread.get_attribute("target") == "_blank" and "noopener" in thread.get_attribute("rel")
    posts = top.locator("a.post-link")
    assert posts.count() >= 1 and posts.first.get_attribute("target") == "_blank"
    post_id = posts.first.inner_text().removeprefix("post ")
    assert posts.first.get_attribute("href") == f"https://community.example.com/t/{key}/{post_id.split('-p')[-1]}"
    top.locator(".prio-words summary").click()  # the priority in words, on demand
    assert "safety concern always ranks first" in top.locator(".prio-words").inner_text()

    ids = [int(x) for x in page.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")]
    for _ in range(5):
        page.keyboard.press("j")
    acted, following = ids[5], ids[6]
    page.keyboard.press("r")  # resolve the sixth item: it leaves the list, the seventh is selected in view
    page.wait_for_selector(".flash.ok >> text=resolve → resolved")
    assert page.locator(f"#item-{acted}").count() == 0
    assert "selected" in page.locator(f"#item-{following}").get_attribute("class")
    assert _in_view(page, f"#item-{following}") and page.evaluate("window.scrollY") > 0  # no jump to the top
    page.screenshot(path=str(shots / "queue-team-1-next.png"))

    page.keyboard.press("u")  # undo from the confirmation
    page.wait_for_selector(".flash.ok >> text=Undone: 1 action(s)")
    assert page.locator(f"#item-{acted} .status").inner_text() == "open"
    assert "selected" in page.locator(f"#item-{acted}").get_attribute("class")
    history = [(a.action, a.actor) for a in triage.queue_history(service.engine, acted)]
    assert history[-2:] == [("resolve", "test-moderator"), ("undo:resolve", "test-moderator")]
    card = page.locator(f"#item-{acted} .team")
    assert "last: undo:resolve by test-moderator" in card.inner_text() and "flagged" in card.inner_text()
    page.close()


def test_queue_assign_note_snooze_and_bulk_dismiss(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["moderator"], "/queue")
    first = page.locator("[data-item]").first
    item = first.get_attribute("data-item")
    first.locator("button[name=claim]").click()
    page.wait_for_selector(f"#item-{item} .assignee")
    assert "assigned to test-moderator" in page.locator(f"#item-{item} .assignee").inner_text()
    card = page.locator(f"#item-{item}")
    card.locator("input[name=assignee]").fill("mod-ben")
    card.locator("button.assign-to").click()
    page.wait_for_selector(f"#item-{item} .assignee >> text=mod-ben")
    card = page.locator(f"#item-{item}")
    card.locator("input[name=text]").fill("Spoke to them, email jane.doe@example.com if it flares up")
    card.locator("form.note button").click()
    page.wait_for_selector(f"#item-{item} .notes")
    note = page.locator(f"#item-{item} .notes").inner_text()
    assert "test-moderator" in note and "[EMAIL]" in note and "jane.doe@example.com" not in note
    page.screenshot(path=str(shots / "queue-team-2-assigned.png"))

    snoozed = page.locator("[data-item]").nth(1).get_attribute("data-item")
    until = (datetime.now(UTC) + timedelta(seconds=4)).strftime("%Y-%m-%dT%H:%M:%S")
    page.locator(f"#item-{snoozed} input[name=until]").fill(until)
    page.locator(f"#item-{snoozed} form.snooze button").click()
    page.wait_for_selector(".flash.ok >> text=snoozed until")
    assert page.locator(f"#item-{snoozed}").count() == 0  # out of the active list
    page.goto(server.url + "/queue?status=snoozed")
    assert "snoozed until" in page.locator(f"#item-{snoozed} .snoozed").inner_text()
    time.sleep(4.5)
    page.goto(server.url + "/queue")
    assert page.locator(f"#item-{snoozed}").count() == 1  # back when the time came

    page.select_option("select[name=reason]", "unanswered_question")
    page.wait_for_url("**reason=unanswered_question**")
    shown = page.locator("[data-item]").count()
    assert shown >= 2
    page.check("#pick-all")
    page.select_option("#bulk select[name=action]", "dismiss")
    page.fill("#bulk input[name=reason]", "answered in the FAQ")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector(f".flash.ok >> text=dismiss: {shown} item(s)")
    assert page.locator("[data-item]").count() == 0
    page.screenshot(path=str(shots / "queue-team-3-bulk.png"))
    dismissed = triage.list_queue(service.engine, status="dismissed", reason="unanswered_question")
    assert len(dismissed) == shown
    assert {triage.queue_history(service.engine, d.id)[-1].reason for d in dismissed} == {"answered in the FAQ"}
    page.keyboard.press("u")  # the whole batch comes back with one undo
    page.wait_for_selector(f".flash.ok >> text=Undone: {shown} action(s)")
    assert page.locator("[data-item]").count() == shown
    page.close()

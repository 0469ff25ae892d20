"""Story review and the taxonomy editor in a real browser: undo a decision and review again, search,
the decision's who and when with source and KPI links, the threshold, batch reject, the CSV, and a
taxonomy edit previewed and saved as a version that re-tags past stories."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from insight.services import stories
from tests.support.browser import login


def test_story_rereview_search_links_and_reject_below(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["researcher"], "/stories")
    assert "Tagger threshold: 0.50" in page.inner_text(".threshold")
    top = page.locator("[data-item]").first
    top_id = top.get_attribute("data-item")
    assert "threshold" in top.locator(".reason-words").inner_text()
    source = top.locator("a.source-link").first
    assert source.get_attribute("href").startswith("https://community.example.com/t/")
    assert source.get_attribute("target") == "_blank"
    page.keyboard.press("c")
    page.wait_for_selector(f".flash.ok >> text=Suggestion {top_id}: confirm")

    page.goto(server.url + "/stories?status=confirmed")
    card = page.locator(f'[data-item="{top_id}"]')
    assert "Confirm by person:test-researcher" in card.locator(".decision").inner_text()
    kpi = card.locator("a.kpi-link").first
    assert kpi.get_attribute("href").startswith("/api/v1/stories/links/")
    trace = page.request.get(server.url + kpi.get_attribute("href"))  # the trace opens with the page's login
    assert trace.ok and trace.json()["story"]["story_id"]
    card.click()
    page.keyboard.press("z")  # undo the confirm: back to pending, audited
    page.wait_for_selector(f".flash.ok >> text=Suggestion {top_id}: confirm undone")
    page.screenshot(path=str(shots / "stories-review-1-undone.png"))
    page.goto(server.url + "/stories")
    assert page.locator(f'[data-item="{top_id}"] .status').inner_text() == "pending"
    page.locator(f'[data-item="{top_id}"] button[value=reject]').click()  # reviewed again
    page.wait_for_selector(f".flash.ok >> text=Suggestion {top_id}: reject")
    decided = {s["suggestion_id"]: s for s in stories.suggestions(service.engine, status="all", limit=None)}
    assert decided[int(top_id)]["status"] == "rejected"

    seed = next(s for s in service.stories[1:] if str(s["suggestion_id"]) != top_id)
    word = max(seed["text"].split(), key=len).strip(".,!?")
    page.fill(".filters input[name=q]", word)
    page.click(".filters button[type=submit]")
    page.wait_for_url("**q=**")
    shown = [int(x) for x in page.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")]
    assert seed["suggestion_id"] in shown
    assert all(word.lower() in page.locator(f'[data-item="{i}"] blockquote').inner_text().lower() for i in shown)
    api = page.request.get(server.url + f"/api/v1/stories/suggestions?q={word}")
    assert sorted(s["suggestion_id"] for s in api.json()) == sorted(shown)  # the same search in the API
    page.screenshot(path=str(shots / "stories-review-2-search.png"))

    page.goto(server.url + "/stories")
    pending = page.locator("[data-item]").count()
    page.fill("form.reject-below input[name=below]", "0.6")
    page.click("form.reject-below button")
    page.wait_for_selector(".flash.ok >> text=scoring below 0.6")
    assert page.locator("[data-item]").count() < pending
    assert all(float(x) >= 0.6 for x in page.locator("[data-item] .prio").all_inner_texts())

    exported = page.request.get(server.url + "/stories/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text())))
    assert exported.ok and {r["story_id"] for r in rows} == {service.stories[0]["story_id"]}
    page.close()


def test_taxonomy_edit_creates_a_version_that_retags_past_stories(live, browser, shots: Path) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["researcher"], "/taxonomy")
    confirmed_tag = service.stories[0]["tag"]  # the first seeded story was confirmed
    before = stories.taxonomy(service.engine)["version"]
    assert page.locator(f'tr[data-tag="{confirmed_tag}"] .n-confirmed').inner_text() == "1"
    form = page.locator("#op-rename")
    form.locator("select[name=tag]").select_option(confirmed_tag)
    form.locator("input[name=new_id]").fill("renamed_tag")
    form.locator("input[name=name]").fill("Renamed in the page")
    form.locator("button[value=preview]").click()
    page.wait_for_selector("#preview")
    assert "1 confirmed story re-tagged" in page.inner_text("#preview .retag-count")
    assert f"rename: {confirmed_tag} → renamed_tag" in page.inner_text("#preview")
    assert stories.taxonomy(service.engine)["version"] == before  # nothing stored yet
    page.screenshot(path=str(shots / "taxonomy-1-preview.png"))
    page.click("#preview button.save")
    page.wait_for_selector(".flash.ok >> text=Saved version")
    assert "1 confirmed story carried into it" in page.inner_text(".flash.ok")
    now = stories.taxonomy(service.engine)
    assert now["previous_version"] == before and "renamed_tag" in [t["id"] for t in now["tags"]]
    assert page.locator('tr[data-tag="renamed_tag"] .n-confirmed').inner_text() == "1"
    page.screenshot(path=str(shots / "taxonomy-2-saved.png"))
    page.goto(server.url + "/stories?status=confirmed")
    assert "Renamed in the page" in page.locator("[data-item] .tag").first.inner_text()  # the past story, re-tagged

    page.goto(server.url + "/logout")
    page.context.clear_cookies()
    login(page, server, service.keys["moderator"], "/queue")
    page.goto(server.url + "/taxonomy")
    assert "Not for your role" in page.inner_text("h1")  # researchers and admins only
    page.close()


def test_story_review_pages_and_undo_from_the_confirmation(live, browser) -> None:  # type: ignore[no-untyped-def]
    service, server = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, server, service.keys["researcher"], "/stories")
    page.goto(server.url + "/stories?size=3")
    pending = len(service.stories) - 1
    first = page.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert len(first) == 3 and f"1–3 of {pending}" in page.inner_text(".pager")
    page.click(".pager a[rel=next]")
    page.wait_for_url("**offset=3**")
    second = page.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert len(second) == 3 and not set(first) & set(second)  # the next page: other suggestions
    top = second[0]
    page.keyboard.press("c")
    page.wait_for_selector(f".flash.ok >> text=Suggestion {top}: confirm")
    assert page.locator(f'[data-item="{top}"]').count() == 0
    page.keyboard.press("u")  # undo from the confirmation: pending again
    page.wait_for_selector(f".flash.ok >> text=Suggestion {top}: confirm undone")
    status = {str(s["suggestion_id"]): s["status"] for s in stories.suggestions(service.engine, status="all",
                                                                                 limit=None)}
    assert status[top] == "pending"
    page.close()

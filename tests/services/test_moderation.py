"""A moderation team's day on the stored queue (SQLite and PostgreSQL): claim and assign, notes
(redacted), snooze and its return (by time, or earlier on new evidence), bulk dismiss, undo with
the audit kept, and the cards' links, ages, marks, priority words and faded questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from insight.config import Settings
from insight.errors import InputError, StorageError
from insight.services import moderation, queue_view, triage
from insight.storage.db import make_engine
from insight.triage.queue import decision_labels
from tests.support.triage import AS_OF, add_posts, store_threads

NOW = datetime(2026, 5, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def team_db(db_settings: Settings):  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    store_threads(engine, db_settings)
    triage.refresh_queue(engine, db_settings, as_of=AS_OF)
    return engine, db_settings


def item_for(engine, thread: str):  # type: ignore[no-untyped-def]
    return next(i for i in triage.list_queue(engine, status="all") if i.thread_key == f"discourse:{thread}")


def card(engine, item_id: int, status: str = "all", **kw):  # type: ignore[no-untyped-def]
    page = queue_view.queue_page(engine, status=status, limit=500, now=NOW, **kw)
    return next((c for c in page["items"] if c["id"] == item_id), None)


def test_moderation_assign_note_and_undo_keep_the_audit(team_db) -> None:  # type: ignore[no-untyped-def]
    engine, _ = team_db
    item = item_for(engine, "t07")
    claimed = moderation.assign(engine, item.id, "mod-ana", "mod-ana", at=NOW)
    moderation.assign(engine, item.id, "mod-ben", "mod-ana", at=NOW + timedelta(minutes=1))
    note = moderation.add_note(engine, item.id, "Called Jane Doe at jane.doe@example.com, she is fine",
                               "mod-ben", at=NOW + timedelta(minutes=2))
    assert "jane.doe@example.com" not in note["text"] and "[EMAIL]" in note["text"]
    shown = card(engine, item.id, status="mine", actor="mod-ben")
    assert shown is not None and shown["assignee"] == "mod-ben"
    assert [n["text"] for n in shown["notes"]] == [note["text"]]
    assert shown["last_action"]["action"] == "note" and shown["last_action"]["actor"] == "mod-ben"
    assert card(engine, item.id, status="mine", actor="mod-ana") is None

    # The note does not block undoing the assignment before it: back to mod-ana, audited.
    moderation.undo(engine, [note["action"]["id"] - 1], "mod-ben", at=NOW + timedelta(minutes=3))
    assert card(engine, item.id)["assignee"] == "mod-ana"
    with pytest.raises(StorageError) as older:  # only the latest action of an item can be undone
        moderation.undo(engine, [claimed["action"]["id"]], "mod-ben")
    assert older.value.code == "E438"
    with pytest.raises(StorageError) as note_undo:
        moderation.undo(engine, [note["action"]["id"]], "mod-ben")
    assert note_undo.value.code == "E439"
    history = [(a.action, a.actor, a.reason) for a in triage.queue_history(engine, item.id)]
    assert history[1:] == [("assign", "mod-ana", "assigned to mod-ana"), ("assign", "mod-ana", "assigned to mod-ben"),
                           ("note", "mod-ben", note["text"]),
                           ("undo:assign", "mod-ben", f"undo of #{note['action']['id'] - 1} (assign by mod-ana)")]
    for bad, code in ((lambda: moderation.add_note(engine, item.id, "  ", "x"), "E626"),
                      (lambda: moderation.assign(engine, item.id, "a" * 121, "x"), "E625")):
        with pytest.raises(InputError) as exc:
            bad()
        assert exc.value.code == code


def test_moderation_status_undo_restores_and_unlabels(team_db) -> None:  # type: ignore[no-untyped-def]
    engine, _ = team_db
    item = item_for(engine, "t16")
    done = triage.act(engine, item.id, "dismiss", "mod-ana", "not news", at=NOW)
    assert card(engine, item.id)["dismiss_reason"] == "not news"
    assert decision_labels(triage.queue_history(engine))[("discourse:t16", item.reasons[0])] is False
    moderation.undo(engine, [done["action"]["id"]], "mod-ana", at=NOW + timedelta(minutes=1))
    assert item_for(engine, "t16").status == "open"
    assert ("discourse:t16", item.reasons[0]) not in decision_labels(triage.queue_history(engine))
    last = triage.queue_history(engine, item.id)[-1]
    assert (last.action, last.from_status, last.to_status) == ("undo:dismiss", "dismissed", "open")
    with pytest.raises(StorageError) as twice:  # the undo is the latest row now: the dismiss cannot be undone again
        moderation.undo(engine, [done["action"]["id"]], "mod-ana")
    assert twice.value.code == "E438"


def test_moderation_snooze_returns_on_time_or_on_new_evidence(team_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, settings = team_db
    quiet, angry = item_for(engine, "t14"), item_for(engine, "t07")
    moderation.snooze(engine, quiet.id, NOW + timedelta(hours=4), "mod-ana", at=NOW)
    moderation.snooze(engine, angry.id, NOW + timedelta(days=7), "mod-ana", at=NOW)
    assert card(engine, quiet.id, status="active") is None  # out of the active list while snoozed
    assert card(engine, quiet.id, status="snoozed")["snoozed_until"] == (NOW + timedelta(hours=4)).isoformat()
    later = queue_view.queue_page(engine, status="active", limit=500, now=NOW + timedelta(hours=5))
    assert quiet.id in {c["id"] for c in later["items"]}  # back when the time comes
    assert angry.id not in {c["id"] for c in later["items"]}
    add_posts(engine, settings, tmp_path,
              {"post_id": "t07-p7", "thread_id": "t07", "channel": "integrations", "author_id": "u209",
               "created_at": "2026-05-20T14:30:00Z", "parent_id": "t07-p1",
               "text": "Still broken today. Terrible, we lost more orders and I'm angry."})
    refreshed = triage.refresh_queue(engine, settings, as_of=AS_OF + timedelta(hours=3))
    assert refreshed["woken"] == 1
    assert card(engine, angry.id, status="active") is not None  # earlier than a week: new evidence
    wake = next(a for a in triage.queue_history(engine, angry.id) if a.action == "wake")
    assert (wake.action, wake.actor) == ("wake", "insight") and "t07-p7" in (wake.reason or "")
    with pytest.raises(InputError) as past:
        moderation.snooze(engine, quiet.id, NOW - timedelta(hours=1), "mod-ana", at=NOW)
    assert past.value.code == "E624"


def test_moderation_bulk_dismiss_skips_what_it_cannot_and_undoes_as_one(team_db) -> None:  # type: ignore[no-untyped-def]
    engine, _ = team_db
    questions = [i.id for i in triage.list_queue(engine, reason="unanswered_question")]
    resolved = item_for(engine, "t01").id
    triage.act(engine, resolved, "resolve", "mod-ana")
    done = moderation.bulk_act(engine, [*questions, resolved], "dismiss", "mod-ana", "answered in the FAQ")
    assert done["done"] == len(questions) and [s["item_id"] for s in done["skipped"]] == [resolved]
    assert triage.list_queue(engine, reason="unanswered_question") == []
    moderation.undo(engine, done["action_ids"], "mod-ana")
    assert len(triage.list_queue(engine, reason="unanswered_question")) == len(questions)
    with pytest.raises(InputError) as empty:
        moderation.bulk_act(engine, [], "dismiss", "mod-ana", "x")
    assert empty.value.code == "E627"


def test_moderation_cards_link_mark_explain_and_fade(team_db) -> None:  # type: ignore[no-untyped-def]
    engine, settings = team_db
    page = queue_view.queue_page(engine, status="active", limit=500, now=NOW, settings=settings.triage)
    by_thread = {c["thread_id"]: c for c in page["items"]}
    angry = by_thread["discourse:t07"]
    assert angry["thread_url"] == "https://community.example.com/t/t07/1"
    assert angry["started_at"].startswith("2026-05") and angry["flagged_hours"] == pytest.approx(21.0)
    assert all(e["url"].startswith("https://community.example.com/t/t07/") for e in angry["evidence"])
    marked = [e["text"][s:t].lower() for e in angry["evidence"] for s, t in e["highlights"]]
    assert marked and all(m.isalpha() or "'" in m for m in marked)  # words that carry the frustration
    question = next(c for c in page["items"] if c["reasons"] == ["unanswered_question"])
    post = question["evidence"][0]
    assert any(post["text"][s:t].endswith("?") for s, t in post["highlights"])  # the question itself
    assert question["priority_words"][0].startswith("Strongest reason: unanswered question")
    assert by_thread["discourse:t01"]["priority_words"][0].startswith("A safety concern always ranks first")
    strict = settings.triage.model_copy(update={"fade_unanswered_after_days": 0.5})
    faded = queue_view.queue_page(engine, status="active", limit=500, now=NOW, settings=strict)["items"]
    assert {c["id"] for c in faded if c["faded"]} == {c["id"] for c in faded if c["reasons"] == ["unanswered_question"]
                                                       and c["details"][0]["age_hours"] - c["details"][0]["sla_hours"]
                                                       > 12}
    assert not any(c["faded"] for c in page["items"])  # the default (30 days) fades none of these fresh ones


def test_queue_page_total_and_pages_cover_the_view_once(team_db) -> None:  # type: ignore[no-untyped-def]
    engine, _ = team_db
    every = queue_view.queue_page(engine, status="all", limit=500, now=NOW)
    ids = [c["id"] for c in every["items"]]
    assert every["total"] == len(ids) >= 3
    pages = [queue_view.queue_page(engine, status="all", limit=2, offset=o, now=NOW) for o in range(0, len(ids), 2)]
    assert [c["id"] for p in pages for c in p["items"]] == ids  # same order, nothing twice, nothing left out
    assert {p["total"] for p in pages} == {len(ids)}
    past_the_end = queue_view.queue_page(engine, status="all", limit=2, offset=len(ids) + 5, now=NOW)
    assert past_the_end["items"] == [] and past_the_end["total"] == len(ids)
    assert queue_view.queue_page(engine, status="snoozed", limit=2, now=NOW)["total"] == 0


def test_queue_card_keeps_the_dismiss_reason_after_a_later_action(team_db) -> None:  # type: ignore[no-untyped-def]
    engine, _ = team_db
    item = item_for(engine, "t16")
    triage.act(engine, item.id, "dismiss", "mod-ana", "duplicate of t02", at=NOW)
    triage.act(engine, item.id, "reopen", "mod-ben", at=NOW + timedelta(minutes=5))
    shown = card(engine, item.id)
    assert shown["last_action"]["action"] == "reopen" and shown["last_action"]["actor"] == "mod-ben"
    assert shown["dismiss_reason"] == "duplicate of t02"
    others = [c for c in queue_view.queue_page(engine, status="all", limit=500, now=NOW)["items"] if c["id"] != item.id]
    assert others and all(c["dismiss_reason"] is None for c in others)  # never dismissed

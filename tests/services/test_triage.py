"""The stored queue on SQLite and PostgreSQL: refresh without duplicates, audited actions, new evidence, labels."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from insight.config import Settings
from insight.errors import InputError, StorageError
from insight.services import triage, triage_backtest
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import TriageActionRow, TriageItemRow
from tests.support.triage import AS_OF, add_posts, store_threads

ATTENTION = 18  # labelled threads in tests/data/triage that need attention


@pytest.fixture
def queue_db(db_settings: Settings):  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    store_threads(engine, db_settings)
    return engine, db_settings


def item_for(engine, thread: str, status: str = "all"):  # type: ignore[no-untyped-def]
    return next(i for i in triage.list_queue(engine, status=status) if i.thread_key == f"discourse:{thread}")


def test_queue_service_refresh_opens_each_thread_once(queue_db) -> None:  # type: ignore[no-untyped-def]
    engine, settings = queue_db
    first = triage.refresh_queue(engine, settings, as_of=AS_OF)
    assert first["opened"] == ATTENTION and first["active"] == ATTENTION
    # rising_frustration 6: the five frustration threads, and the threat thread t01, whose billing promise
    # ("this week") lapsed before the asker came back twice (a secondary reason behind safety).
    assert first["active_by_reason"] == {"safety_concern": 5, "rising_frustration": 6, "unanswered_question": 5,
                                         "amplify_excitement": 3}
    second = triage.refresh_queue(engine, settings, as_of=AS_OF + timedelta(hours=1))
    assert (second["opened"], second["updated"], second["active"]) == (0, ATTENTION, ATTENTION)
    items = triage.list_queue(engine)
    assert len(items) == ATTENTION == len({i.thread_key for i in items})
    assert [i.reasons[0] for i in items[:5]] == ["safety_concern"] * 5
    assert all(i.ranked_at == AS_OF + timedelta(hours=1) and i.opened_at == AS_OF for i in items)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(TriageItemRow)) == 2 * ATTENTION  # ranking history
        opens = session.scalars(select(TriageActionRow).where(TriageActionRow.action == "open")).all()
    assert len(opens) == ATTENTION and {a.actor for a in opens} == {"insight"}
    doxxing = item_for(engine, "t02")
    span = doxxing.details[0]["spans"][0]
    assert span["category"] == "doxxing" and "span" not in span  # redacted away, never shown


def test_queue_service_actions_are_checked_and_audited(queue_db) -> None:  # type: ignore[no-untyped-def]
    engine, settings = queue_db
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    threat = item_for(engine, "t01")
    at = AS_OF + timedelta(minutes=5)
    done = triage.act(engine, threat.id, "escalate", "mod-ana", "police report filed", at=at)
    assert done["item"]["status"] == "escalated" and done["action"]["actor"] == "mod-ana"
    excitement = item_for(engine, "t16")
    with pytest.raises(InputError) as info:
        triage.act(engine, excitement.id, "dismiss", "mod-ana")
    assert info.value.code == "E623"
    triage.act(engine, excitement.id, "dismiss", "mod-ana", "already featured in the newsletter", at=at)
    with pytest.raises(InputError) as info:
        triage.act(engine, excitement.id, "resolve", "mod-ana")
    assert info.value.code == "E622" and "it is dismissed" in str(info.value)
    with pytest.raises(StorageError) as missing:
        triage.act(engine, 99999, "resolve", "mod-ana")
    assert missing.value.code == "E421" and "99999" in str(missing.value)
    history = triage.queue_history(engine, excitement.id)
    assert [(a.action, a.from_status, a.to_status, a.actor) for a in history] == [
        ("open", None, "open", "insight"), ("dismiss", "open", "dismissed", "mod-ana")]
    assert history[1].reason == "already featured in the newsletter" and history[1].at == at
    assert history[1].reasons == ("amplify_excitement",)
    # Filters.
    assert {i.status for i in triage.list_queue(engine, status="all")} == {"open", "escalated", "dismissed"}
    assert [i.thread_key for i in triage.list_queue(engine, status="dismissed")] == ["discourse:t16"]
    assert len(triage.list_queue(engine, reason="unanswered_question")) == 5
    assert {i.channel for i in triage.list_queue(engine, channel="integrations")} == {"integrations"}
    for bad in ({"status": "closed"}, {"reason": "spam"}):
        with pytest.raises(InputError) as info:
            triage.list_queue(engine, **bad)
        assert info.value.code == "E606"
    # Decisions are labels.
    labels = triage.action_labels(engine)
    assert labels.lookup("discourse:t01", "safety_concern") is True
    assert labels.lookup("discourse:t16", "amplify_excitement") is False


def test_queue_service_resolved_thread_returns_with_new_evidence(queue_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, settings = queue_db
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    webhooks, schedule, spam = item_for(engine, "t07"), item_for(engine, "t13"), item_for(engine, "t14")
    resolved_at = AS_OF + timedelta(hours=1)
    triage.act(engine, webhooks.id, "resolve", "mod-ben", "pinged the integrations team", at=resolved_at)
    triage.act(engine, spam.id, "resolve", "mod-ben", "answered in the DNS guide", at=resolved_at)
    # Nothing new yet: resolved stays resolved.
    quiet = triage.refresh_queue(engine, settings, as_of=AS_OF + timedelta(hours=2))
    assert quiet["reopened"] == 0 and item_for(engine, "t07").status == "resolved"
    # A new angry post in t07; someone answers t13 (its open item clears).
    add_posts(engine, settings, tmp_path,
              {"post_id": "t07-p7", "thread_id": "t07", "channel": "integrations", "author_id": "u209",
               "created_at": "2026-05-20T14:30:00Z", "parent_id": "t07-p1",
               "text": "Still broken today. Terrible, we lost more orders and I'm angry."},
              {"post_id": "t13-p2", "thread_id": "t13", "channel": "help", "author_id": "u299",
               "created_at": "2026-05-20T14:00:00Z", "parent_id": "t13-p1",
               "text": "Yes: open the composer, then Schedule in the publish menu."})
    later = triage.refresh_queue(engine, settings, as_of=AS_OF + timedelta(hours=3))
    assert (later["reopened"], later["cleared"], later["opened"]) == (1, 0, 0)
    answered = item_for(engine, "t13")
    assert answered.status == "open" and not answered.needs_attention  # calming down, not closed yet
    later = triage.refresh_queue(engine, settings, as_of=AS_OF + timedelta(hours=52))
    assert later["cleared"] >= 1
    back = item_for(engine, "t07")
    assert back.id == webhooks.id and back.status == "open"  # the same item, not a duplicate
    assert "t07-p7" in back.explanation
    reopen = triage.queue_history(engine, webhooks.id)[-1]
    assert (reopen.action, reopen.actor, reopen.from_status) == ("reopen", "insight", "resolved")
    assert reopen.reason is not None and reopen.reason.startswith("new evidence: rising_frustration (post t07-p")
    cleared = item_for(engine, "t13")
    assert cleared.id == schedule.id and cleared.status == "resolved"
    assert triage.queue_history(engine, schedule.id)[-1].reason == "signal cleared"
    assert item_for(engine, "t14").status == "resolved"  # resolved by a moderator, no new evidence


def test_queue_service_backtest_uses_moderator_decisions(queue_db) -> None:  # type: ignore[no-untyped-def]
    engine, settings = queue_db
    triage.refresh_queue(engine, settings, as_of=AS_OF)
    triage.act(engine, item_for(engine, "t16").id, "dismiss", "mod-ana", "not news")
    triage.act(engine, item_for(engine, "t17").id, "acknowledge", "mod-ana")
    start, end, step = triage_backtest.parse_period("2026-05-10", "2026-05-20")
    report = triage_backtest.backtest(engine, settings, start, end, step)
    summary = triage_backtest.backtest_summary(report)
    assert summary["labelled"]["amplify_excitement"] == 2
    assert summary["precision"]["amplify_excitement"] == 0.5
    assert summary["precision"]["safety_concern"] is None  # nobody decided on one

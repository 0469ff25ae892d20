"""One person above platform accounts, on SQLite and PostgreSQL: linked by consent at ingest or by an
admin, never otherwise; counted once in activation and retention; one footprint over both platforms;
consent history recorded; a consent withdrawal removes the member's stories (not only hides them)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from insight.config import Settings
from insight.errors import StorageError
from insight.metrics.kpis import kpi_units
from insight.services import consented, members
from insight.services.ingest import ingest_paths
from insight.services.reports import build_report
from insight.storage import stories as st
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import MemberRow, StoryRow
from tests.support.privacy import ALICE_TEXTS, ingest_community
from tests.support.stories import PROVENANCE


def _units(engine, settings: Settings, period: str, kpi: str) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        posts, people = consented.kpi_frames(session, settings.ingest.unknown_members)
    units = kpi_units(posts, people, period, kpi)
    return dict(zip(units["author_id"], units["x"].astype(bool), strict=True))


def _ids(engine, settings: Settings, *names: str) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return [members.resolve(session, settings, n).subject for n in names]


def test_a_person_on_two_platforms_counts_once(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    ingest_community(engine, db_settings, tmp_path / "in")
    alice_s, alice_d = _ids(engine, db_settings, "slack:alice-s", "discourse:alice-d")
    with session_scope(engine) as session:
        person = members.resolve(session, db_settings, "slack:alice-s").person_id
    assert person is not None  # both said yes to linking and share an email: linked at ingest

    activation, retention = _units(engine, db_settings, "2026-08", "activation_rate"), \
        _units(engine, db_settings, "2026-09", "retention_90d")
    assert activation[person] is True and retention[person] is True
    assert not {alice_s, alice_d} & (set(activation) | set(retention))
    notes = build_report(engine, db_settings, "2026-09").notes
    assert any("2 platform accounts are linked into 1 people" in n for n in notes)

    members.unmerge(engine, db_settings, "discourse:alice-d", actor="ana")  # two members again
    split_activation = _units(engine, db_settings, "2026-08", "activation_rate")
    split_retention = _units(engine, db_settings, "2026-09", "retention_90d")
    assert len(split_activation) == len(activation) + 1 and {alice_s, alice_d} <= set(split_activation)
    assert split_retention[alice_s] is False  # her Slack account went quiet: a false churn when split
    engine.dispose()


def test_merges_need_consent_or_an_admin_and_never_override_a_no(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    ingest_community(engine, db_settings, tmp_path / "in")
    suggestions = members.suggestions(engine)
    bob = _ids(engine, db_settings, "slack:bob-s", "discourse:bob-d")
    assert [(s["author_a"], s["author_b"]) for s in suggestions] == [tuple(sorted(bob))]
    assert suggestions[0]["confidence"] == 0.8 and not suggestions[0]["consented"]
    assert "same username on slack and discourse" in suggestions[0]["evidence"][0]

    for kwargs in ({"actor": None}, {"actor": "  "}, {"actor": None, "how": "consent"}):
        with pytest.raises(StorageError) as refused:
            members.merge(engine, db_settings, ["slack:bob-s", "discourse:bob-d"], **kwargs)  # type: ignore[arg-type]
        assert refused.value.code == "E454"
    with pytest.raises(StorageError) as said_no:  # carol answered link_accounts = false
        members.merge(engine, db_settings, ["carol", "slack:bob-s"], actor="ana")
    assert said_no.value.code == "E454" and "said no" in said_no.value.message
    with pytest.raises(StorageError) as one:
        members.merge(engine, db_settings, ["slack:bob-s", "slack:bob-s"], actor="ana")
    assert one.value.code == "E455"
    with pytest.raises(StorageError) as unknown:
        members.merge(engine, db_settings, ["slack:nobody", "slack:bob-s"], actor="ana")
    assert unknown.value.code == "E453"

    merged = members.merge(engine, db_settings, ["slack:bob-s", "discourse:bob-d"], actor="ana")
    assert merged["how"] == "admin" and merged["confidence"] == 0.8 and len(merged["accounts"]) == 2
    assert members.suggestions(engine) == []
    assert members.unmerge(engine, db_settings, "slack:bob-s", actor="ana")["remaining"] == []
    with pytest.raises(StorageError) as not_linked:
        members.unmerge(engine, db_settings, "slack:bob-s", actor="ana")
    assert not_linked.value.code == "E456"
    assert members.verify_audit(engine)["ok"]
    engine.dispose()


def test_one_footprint_holds_both_platforms_and_the_consent_history(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    ingest_community(engine, db_settings, tmp_path / "in")
    found = members.export(engine, db_settings, "discourse:alice-d", actor="ana")
    rows = found["rows"]
    assert {p["platform"] for p in rows["posts"]} == {"slack", "discourse"}
    assert sorted(p["text"] for p in rows["posts"]) == sorted(ALICE_TEXTS)
    assert all(p["text_redacted"] and p["run_id"] for p in rows["posts"])
    assert len(rows["feedback_answers"]) == 1 and len(rows["members"]) == 2 == len(rows["person_links"])
    assert {(e["flag"], e["value"]) for e in rows["consent_history"]} == {
        ("consent_analytics", True), ("consent_quotes", True), ("link_accounts", True)}
    assert all(e["source"].endswith(("members.csv:2", "members.csv:3")) for e in rows["consent_history"])
    assert not any("example.org" in str(i) or "Liddell" in str(i) for i in rows["identities"])  # hashes only
    assert found["provenance"]["stage"] == "members.export" and found["provenance"]["config_hash"]
    assert found["person_id"] and found["accounts"] == sorted(found["accounts"])
    engine.dispose()


def test_consent_withdrawn_at_ingest_removes_stories_and_is_recorded(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    ingest_community(engine, db_settings, tmp_path / "in")
    (bob,) = _ids(engine, db_settings, "slack:bob-s")
    with session_scope(engine) as session:
        st.add_stories(session, [{"story_id": "st-bob", "source": "post", "thread_key": "slack:t-slack2",
                                  "source_ids": ["b2"], "author_id": bob, "told_at": datetime(2026, 9, 2, tzinfo=UTC),
                                  "channel": "help", "text_redacted": "Search is slow again this morning.",
                                  "story_score": 0.9, "detected_at": datetime.now(UTC), **PROVENANCE}])
    withdrawal = tmp_path / "withdraw.csv"
    withdrawal.write_text("author_id,platform,consent_analytics\nbob-s,slack,false\n")
    summary = ingest_paths([withdrawal], engine=engine, settings=db_settings)
    assert summary.purged_posts == 1
    with session_scope(engine) as session:
        assert session.scalars(select(StoryRow)).all() == []
        assert session.get(MemberRow, bob).consent_analytics is False  # the "no" is kept
    history = members.export(engine, db_settings, "slack:bob-s")["rows"]["consent_history"]
    assert [(e["flag"], e["previous"], e["value"]) for e in history if e["flag"] == "consent_analytics"] == [
        ("consent_analytics", None, True), ("consent_analytics", True, False)]
    assert history[-1]["source"].endswith("withdraw.csv:2")
    engine.dispose()


def test_a_slack_user_list_feeds_suggestions_with_hashes_only(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    export = tmp_path / "slack"
    (export / "general").mkdir(parents=True)
    (export / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (export / "users.json").write_text(json.dumps([{"id": "UDAN", "name": "dan", "real_name": "Dan Brook",
                                                   "profile": {"email": "dan@example.net"}}]))
    members_file = tmp_path / "members.csv"
    members_file.write_text("author_id,platform,consent_analytics,email\n77,discourse,true,DAN@example.net\n")
    ingest_paths([export, members_file], engine=engine, settings=db_settings)
    (found,) = members.suggestions(engine)
    assert found["confidence"] == 1.0 and found["evidence"][0] == "same email (keyed hash)"
    assert {found["platform_a"], found["platform_b"]} == {"slack", "discourse"} and not found["consented"]
    footprint = members.export(engine, db_settings, "slack:UDAN")["rows"]
    assert footprint["identities"] and "example" not in json.dumps(footprint, default=str)
    assert "Brook" not in json.dumps(footprint, default=str)
    engine.dispose()


def test_an_account_named_later_by_a_members_file_brings_its_identity(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    export = tmp_path / "slack"
    (export / "general").mkdir(parents=True)
    (export / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (export / "users.json").write_text(json.dumps([{"id": "UDAN", "name": "dan", "profile": {"email": "d@x.net"}}]))
    ingest_paths([export], engine=engine, settings=db_settings)
    members_file = tmp_path / "members.csv"
    members_file.write_text("author_id,platform,consent_analytics,link_accounts\nUDAN,slack,true,true\n")
    ingest_paths([members_file], engine=engine, settings=db_settings)
    rows = members.export(engine, db_settings, "slack:UDAN")["rows"]
    assert len(rows["members"]) == 1 and len(rows["identities"]) == 1
    (found,) = rows["identities"]
    assert found["author_id"] == rows["members"][0]["author_id"] and found["email_hash"] and found["link_accounts"]
    engine.dispose()

"""Erasure reaches the business side: a member's account links and touchpoints (they carry the member's
pseudonym) are in their footprint, and gone after erasure; other members' rows stay. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from insight.config import Settings
from insight.storage import erasure, footprint
from insight.storage.business_tables import AccountLinkRow, TouchpointRow
from insight.storage.db import make_engine, session_scope


def test_erasure_removes_account_links_and_touchpoints_of_the_member(db_settings: Settings) -> None:
    engine = make_engine(db_settings)
    at = datetime(2026, 9, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        for author in ("m-erase", "m-keep"):
            session.add(AccountLinkRow(author_id=author, account_id="acct-1", run_id="r"))
            session.add(TouchpointRow(touchpoint_id=f"tp-{author}", account_id="acct-1", author_id=author,
                                      occurred_at=at, kind="office_hours", run_id="r"))
    with session_scope(engine) as session:
        held = footprint.footprint(session, ["m-erase"])
    assert [r["account_id"] for r in held["account_links"]] == ["acct-1"]
    assert [r["touchpoint_id"] for r in held["touchpoints"]] == ["tp-m-erase"]
    with session_scope(engine) as session:
        counts = erasure.erase_authors(session, ["m-erase"])
    assert counts["account_links"] == 1 and counts["touchpoints"] == 1
    with session_scope(engine) as session:
        assert session.scalars(select(AccountLinkRow.author_id)).all() == ["m-keep"]
        assert session.scalars(select(TouchpointRow.author_id)).all() == ["m-keep"]

"""API keys in storage: stored by hash, listed, revoked once (the first time stays), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from insight.records import utc
from insight.storage import keys
from insight.storage.db import session_scope
from tests.support.storage import T0


def test_keys_add_find_by_hash_and_list(engine: Engine) -> None:
    with session_scope(engine) as session:
        made = keys.add_key(session, "a" * 64, "ik_0001", "admin", "ops", T0)
        keys.add_key(session, "b" * 64, "ik_0002", "reporter", "", T0)
    assert set(made) == {"id", "prefix", "role", "name", "created_at", "revoked_at"}  # never the hash
    with session_scope(engine) as session:
        found = keys.key_by_hash(session, "a" * 64)
        listed = keys.keys(session)
        assert keys.key_by_hash(session, "c" * 64) is None
    assert found is not None and found["id"] == made["id"] and found["role"] == "admin" and found["revoked_at"] is None
    assert [k["prefix"] for k in listed] == ["ik_0001", "ik_0002"]


def test_keys_revoke_keeps_the_first_time_and_unknown_ids_give_none(engine: Engine) -> None:
    with session_scope(engine) as session:
        key_id = keys.add_key(session, "a" * 64, "ik_0001", "admin", "ops", T0)["id"]
        assert keys.has_active_admin(session)
    with session_scope(engine) as session:
        first = keys.revoke_key(session, key_id, T0 + timedelta(hours=1))
    with session_scope(engine) as session:
        again = keys.revoke_key(session, key_id, T0 + timedelta(hours=2))
        assert keys.revoke_key(session, key_id + 99, T0) is None
        assert not keys.has_active_admin(session)
        stored = keys.key_by_hash(session, "a" * 64)
    assert first is not None and again is not None and stored is not None
    # SQLite hands times back without their zone (utc() puts it back).
    assert utc(again["revoked_at"]) == utc(stored["revoked_at"]) == T0 + timedelta(hours=1)


def test_keys_active_admin_needs_an_unrevoked_admin_key(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert not keys.has_active_admin(session)
        keys.add_key(session, "a" * 64, "ik_0001", "reporter", "", T0)
        assert not keys.has_active_admin(session)
        keys.add_key(session, "b" * 64, "ik_0002", "admin", "", T0)
        assert keys.has_active_admin(session)

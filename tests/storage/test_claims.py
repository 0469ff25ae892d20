"""Scoring claims: one owner per item, taken over only when the lease ran out or the owner is gone;
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from insight.storage import claims
from insight.storage.db import session_scope

NOW = datetime(2026, 10, 1, tzinfo=UTC)


def _claim(engine: Engine, keys, owner: str, *, now=NOW, gone=lambda o: False, kind="post"):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return claims.claim(session, kind, keys, owner, now=now, lease_seconds=60, gone=gone)


def test_an_item_has_one_owner_until_it_is_finished(engine: Engine) -> None:
    assert _claim(engine, [1, 2, 3], "a") == {1, 2, 3}
    assert _claim(engine, [2, 3, 4], "b") == {4}  # a holds 2 and 3
    assert _claim(engine, [1], "a") == {1}  # claiming again what one holds keeps it
    with session_scope(engine) as session:
        claims.finish(session, "post", [2], "a")
        assert claims.owned(session, "post", [1, 2, 3, 4], "a") == {1, 3}
    assert _claim(engine, [2], "b") == {2}


def test_claims_are_taken_over_when_the_lease_ran_out_or_the_owner_is_gone(engine: Engine) -> None:
    _claim(engine, [1], "a")
    _claim(engine, [2], "dead")
    assert _claim(engine, [1], "b", now=NOW + timedelta(seconds=30)) == set()  # lease still runs
    assert _claim(engine, [1], "b", now=NOW + timedelta(seconds=61)) == {1}  # it ran out
    assert _claim(engine, [2], "b", gone=lambda owner: owner == "dead") == {2}
    with session_scope(engine) as session:
        assert claims.owned(session, "post", [1, 2], "a") == set()


def test_release_gives_back_what_an_owner_did_not_finish_and_kinds_are_apart(engine: Engine) -> None:
    _claim(engine, [1, 2], "a")
    assert _claim(engine, ["r1"], "a", kind="feedback") == {"r1"}
    assert _claim(engine, ["r1"], "b", kind="feedback") == set()
    with session_scope(engine) as session:
        assert claims.release(session, "a") == 3
    assert _claim(engine, [1, 2], "b") == {1, 2}

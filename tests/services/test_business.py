"""`insight business ingest`'s use-case: bad rows in every business file rejected with codes, good rows
kept, member ids pseudonymised as posts are, and a second ingest adding nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.config import Settings
from insight.errors import InputError
from insight.privacy.pseudonym import pseudonymise
from insight.services.business import ingest_business, plan_files
from insight.storage import business
from insight.storage.db import make_engine, session_scope
from tests.support.business import EXPECTED_REJECTS, GOOD, write_business


def test_business_bad_rows_rejected_with_codes_and_good_rows_kept(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    summary = ingest_business(write_business(tmp_path / "b"), engine=engine, settings=db_settings)
    rejects = [json.loads(line) for line in Path(summary.rejects).read_text().splitlines()]  # type: ignore[arg-type]
    assert {(Path(r["source"]).name, r["field"], r["reason"]) for r in rejects} == EXPECTED_REJECTS
    assert all(r["line"] for r in rejects)
    assert {k: getattr(summary, k) for k in GOOD} == GOOD
    assert summary.rejected == len(EXPECTED_REJECTS) and summary.inserted == sum(GOOD.values())
    with session_scope(engine) as session:
        links = business.links_frame(session)
        touches = business.touchpoints_frame(session)
        assert sorted(business.accounts_frame(session)["account_id"]) == ["acct-1", "acct-2"]
        assert business.support_cost(session, "2026-10").cost_per_ticket == 22.0  # type: ignore[union-attr]
    key = db_settings.checked_pseudonym_key()
    assert set(links["author_id"]) == {pseudonymise(key, "u0001"), pseudonymise(key, "u0002")}
    assert pseudonymise(key, "u0001") in set(touches["author_id"])
    assert touches["touchpoint_id"].str.startswith("tp_").sum() == 1  # the row without an id got a content id


def test_business_second_ingest_adds_nothing_and_a_change_updates(db_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(db_settings)
    files = write_business(tmp_path / "b")
    ingest_business(files, engine=engine, settings=db_settings)
    with session_scope(engine) as session:
        before = business.fingerprint(session)
    again = ingest_business(files, engine=engine, settings=db_settings)
    assert again.inserted == 0 and again.updated == 0 and again.duplicates == sum(GOOD.values())
    with session_scope(engine) as session:
        assert business.fingerprint(session) == before  # nothing changed: a stored report stays valid
    (tmp_path / "c").mkdir()
    changed = tmp_path / "c" / "costs.csv"
    changed.write_text("period,tickets,cost_per_ticket\n2026-10,512,30.0\n", encoding="utf-8")
    assert ingest_business([changed], engine=engine, settings=db_settings).updated == 1
    with session_scope(engine) as session:
        assert business.fingerprint(session) != before


def test_business_files_are_told_apart_or_named(tmp_path: Path) -> None:
    files = write_business(tmp_path)
    assert [kind for _, kind in plan_files(files)] == ["account", "link", "touchpoint", "outcome", "support_cost"]
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as found:
        plan_files([odd])
    assert found.value.code == "E690" and "foo" in found.value.message
    assert plan_files([odd], "accounts") == [(odd, "account")]
    with pytest.raises(InputError) as unknown:
        plan_files([odd], "deals")
    assert unknown.value.code == "E691"

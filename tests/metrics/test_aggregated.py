"""The stored path of the KPIs (``services.stored_kpis``: aggregates in the database, one row per
author and question) gives the same units, values and intervals as ``metrics.kpis`` over every post
(``consented.kpi_frames``), on SQLite and PostgreSQL: consent answers and the unknown-members policy,
linked accounts, authors with no member record, thread roots tied in time, replies across months."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import Engine

from insight.config import Settings
from insight.metrics.kpis import compute_kpis, kpi_samples, period_bounds
from insight.metrics.survival import survival_by_cohort
from insight.services import consented, stored_kpis
from insight.storage.db import make_engine, session_scope
from insight.storage.privacy_tables import PersonAccountRow
from insight.storage.tables import MemberRow, PostRow, ThreadRow

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")
START = datetime(2025, 12, 1, tzinfo=UTC)


def _store(engine: Engine, seed: int = 5, n_threads: int = 160, n_authors: int = 60) -> None:
    """Threads over five months (question, discussion or untyped roots, some roots tied in time with
    their first reply), members whose consent is yes, no or unknown, five authors with no member
    record, and two pairs of accounts linked into persons."""
    rng = np.random.default_rng(seed)
    with session_scope(engine) as session:
        n = 0
        for t in range(n_threads):
            key = f"discourse:t{t}"
            asked = START + timedelta(hours=float(rng.uniform(0, 24 * 140)))
            session.add(ThreadRow(thread_key=key, platform="discourse", thread_id=f"t{t}", channel="help",
                                  created_at=asked))
            session.flush()  # the thread row before its posts (no ORM relationship orders them)
            kind = ("question", "discussion", None)[int(rng.integers(3))]
            root = f"p{n:04d}"
            for k in range(int(rng.integers(1, 8))):
                tied = k == 1 and rng.random() < 0.2  # a reply stamped the same second as its root
                at = asked if k == 0 or tied else asked + timedelta(hours=float(rng.exponential(60)))
                session.add(PostRow(
                    platform="discourse", post_id=f"p{n:04d}", thread_key=key,
                    author_id=f"a{int(rng.integers(n_authors))}", created_at=at, text="x", text_redacted="x",
                    channel="help", kind=kind if k == 0 else "reply",
                    parent_id=None if k == 0 else (root if rng.random() < 0.7 else f"p{n - 1:04d}"),
                    accepted_answer=bool(k > 0 and rng.random() < 0.15),
                    helpful_votes=None if rng.random() < 0.1 else int(rng.integers(0, 4)), run_id="r"))
                n += 1
        for i in range(n_authors - 5):  # a55..a59 have no member record
            session.add(MemberRow(author_id=f"a{i}", platform="discourse", motivation=("learn", "help")[i % 2],
                                  joined_at=START + timedelta(days=int(rng.integers(0, 150))),
                                  segment=(None, "free", "paid")[i % 3], run_id="r",
                                  consent_analytics=(True, True, True, False, None)[i % 5], consent_quotes=True))
        for author, person in (("a1", "person-1"), ("a2", "person-1"), ("a6", "person-2"), ("a13", "person-2")):
            session.add(PersonAccountRow(author_id=author, person_id=person, how="admin", actor="test",
                                         confidence=None, evidence=[], linked_at=START))


@pytest.fixture
def stored(db_settings: Settings) -> Engine:
    engine = make_engine(db_settings)
    _store(engine)
    return engine


@pytest.mark.parametrize("unknown_members", ["include", "exclude"])
def test_stored_kpi_units_equal_those_computed_from_every_post(stored: Engine, unknown_members: str) -> None:
    with session_scope(stored) as session:
        posts, members = consented.kpi_frames(session, unknown_members)
        stored_samples = dict(stored_kpis.months_samples(session, unknown_members, MONTHS))
        stored_values = stored_kpis.months_kpis(session, unknown_members, MONTHS)
        for month in MONTHS:
            expected = kpi_samples(posts, members, month)
            got = stored_samples[month]
            assert list(got) == list(expected)
            for kpi_id, by_cohort in expected.items():
                assert list(got[kpi_id]) == list(by_cohort), (month, kpi_id)
                for cohort, x in by_cohort.items():
                    np.testing.assert_allclose(got[kpi_id][cohort], x, err_msg=f"{month} {kpi_id} {cohort}")
            assert stored_values[month] == compute_kpis(posts, members, month)


def test_the_data_exercises_every_kpi_and_the_consent_rules(stored: Engine) -> None:
    """Guards the test above against passing on empty units: every KPI has units in some month, and
    the policy for unknown consent changes what is counted."""
    with session_scope(stored) as session:
        included = dict(stored_kpis.months_samples(session, "include", MONTHS))
        excluded = dict(stored_kpis.months_samples(session, "exclude", MONTHS))
    for kpi_id in included[MONTHS[0]]:
        assert max(len(included[m][kpi_id]["all"]) for m in MONTHS) >= 5, kpi_id
    assert any(len(included[m][k]["all"]) > len(excluded[m][k]["all"]) for m in MONTHS for k in included[m])


def test_stored_survival_equals_survival_computed_from_every_post(stored: Engine) -> None:
    with session_scope(stored) as session:
        posts, members = consented.kpi_frames(session, "include")
        for month in ("2026-02", "2026-04"):
            expected = survival_by_cohort(posts, members, period_bounds(month)[1], min_n=3)
            assert len(expected) >= 3  # "all" and some cohorts
            assert stored_kpis.survival(session, "include", month, min_n=3) == expected

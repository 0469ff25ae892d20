"""Member reads: the members frame and the snapshots hold the stored consent answers (and KPI
observations theirs), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine

from insight.records import KpiObservation
from insight.storage import kpis, members
from insight.storage.db import session_scope
from tests.support.storage import APRIL, MARCH


def test_members_frame_and_snapshots_hold_the_stored_answers(engine: Engine, seeded: dict[str, int]) -> None:
    with session_scope(engine) as session:
        kpis.upsert_kpi_observation(session, KpiObservation("nps", MARCH, APRIL, "all", 40.0, 12), "run")
        frame = members.members_frame(session).sort_values("author_id")
        member_rows = members.snapshot_rows(session)
        observations = kpis.snapshot_rows(session)
    # Answers as stored: deciding what unknown means is privacy.consent's job, above storage.
    assert frame["consent_analytics"].tolist() == [True, None]
    assert frame["consent_quotes"].tolist() == [None, None]
    assert [(r[0], r[2], r[4]) for r in member_rows] == [("m1", "learn", True), ("m2", "other", None)]
    assert [(r[0], r[2], r[3], r[4]) for r in observations] == [("nps", "all", 40.0, 12)]

"""KPI observations imported from outside (one value per KPI, cohort and period)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from insight.records import KpiObservation, utc
from insight.storage.tables import KpiObservationRow


def upsert_kpi_observation(session: Session, obs: KpiObservation, run_id: str) -> bool:
    """True when new; an observation for the same KPI, cohort and period is updated in place."""
    row = session.scalar(select(KpiObservationRow).where(
        KpiObservationRow.kpi_id == obs.kpi_id, KpiObservationRow.cohort == obs.cohort,
        KpiObservationRow.period_start == obs.period_start, KpiObservationRow.period_end == obs.period_end,
    ))
    if row is None:
        session.add(KpiObservationRow(kpi_id=obs.kpi_id, period_start=obs.period_start, period_end=obs.period_end,
                                      cohort=obs.cohort, value=obs.value, n=obs.n, run_id=run_id))
        return True
    row.value, row.n, row.run_id = obs.value, obs.n, run_id
    return False


def kpi_observations(session: Session) -> list[KpiObservation]:
    rows = session.scalars(select(KpiObservationRow).order_by(KpiObservationRow.kpi_id, KpiObservationRow.period_start))
    return [KpiObservation(kpi_id=r.kpi_id, period_start=utc(r.period_start), period_end=utc(r.period_end),  # type: ignore[arg-type]
                           cohort=r.cohort, value=r.value, n=r.n) for r in rows]


def snapshot_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every observation's KPI, period start, cohort, value and n in a stable order (for a report's run record)."""
    return [tuple(r) for r in session.execute(
        select(KpiObservationRow.kpi_id, KpiObservationRow.period_start, KpiObservationRow.cohort,
               KpiObservationRow.value, KpiObservationRow.n)
        .order_by(KpiObservationRow.kpi_id, KpiObservationRow.period_start, KpiObservationRow.cohort))]

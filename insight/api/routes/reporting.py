"""For reporting jobs: KPI values, story-metric pairs and reports. No author ids, no unconsented quotes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from sqlalchemy import Engine

from insight.api import deps
from insight.api.errors import KEYED
from insight.config import Settings
from insight.services import experiments, influence_read, report_store, reports
from insight.services.auth import Principal

router = APIRouter(prefix="/api/v1", tags=["reporting"], responses=KEYED)
Reporter = Annotated[Principal, Depends(deps.role("reporter"))]
EngineDep = Annotated[Engine, Depends(deps.engine)]
SettingsDep = Annotated[Settings, Depends(deps.settings)]
PERIOD = r"^(19[7-9]\d|2[01]\d\d|2200)-(0[1-9]|1[0-2])$"  # months 1970-01 to 2200-12 (reports.check_period)
Period = Annotated[str, Query(pattern=PERIOD, description="A month, YYYY-MM.")]
InfluenceModel = Literal["first_touch", "last_touch", "linear", "position_based", "time_decay", "blended"]


@router.get("/kpis", summary="KPI values for a month (all members and per cohort), as the report shows them")
def kpis(period: Period, _who: Reporter, engine: EngineDep, settings: SettingsDep,
         cohort: Annotated[str | None, Query(max_length=200)] = None) -> list[dict[str, Any]]:
    return report_store.kpi_values(engine, settings, period, cohort,
                                   fresh_seconds=settings.api.report_fresh_seconds)


@router.get("/pairs", summary="Story-metric pairs: a KPI value beside a confirmed story (quote only with consent)",
            description="The stories told in the period and the two months before (the report's story window), "
                        "each pair with the month its story was told and that month's KPI value; a page of "
                        "pairs in KPI, cohort, month, link time order; the `X-Total-Count` header says how "
                        "many there are in all (page on with `offset`).")
def pairs(period: Period, request: Request, _who: Reporter, engine: EngineDep, settings: SettingsDep,
          cohort: Annotated[str | None, Query(max_length=200)] = None,
          kpi_id: Annotated[str | None, Query(max_length=200)] = None,
          limit: Annotated[int, Query(ge=1, le=5000)] = 500,
          offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    body, total = request.app.state.pairs.page_json(engine, reports.require_period(engine, period), cohort=cohort,
                                                    kpi_id=kpi_id, unknown_members=settings.ingest.unknown_members,
                                                    offset=offset, limit=limit)
    return Response(body, media_type="application/json", headers={"X-Total-Count": str(total)})


@router.get("/retention/survival", summary="Retention as survival: Kaplan-Meier time to inactivity by cohort, "
                                          "median lifetime with its 95% interval, as of a month's end")
def retention_survival(period: Period, _who: Reporter, engine: EngineDep,
                       settings: SettingsDep) -> list[dict[str, Any]]:
    return reports.retention_survival(engine, settings, period)


@router.get("/experiments", summary="The registered experiments ([reports] experiments of the config)")
def experiments_list(_who: Reporter, settings: SettingsDep) -> list[dict[str, Any]]:
    return experiments.list_experiments(settings)


@router.get("/experiments/{name}/readout", summary="One experiment read out: uplift, ci_low, ci_high, p_value, "
                                                   "n_per_arm, method (and the pre-trend check when not randomised)")
def experiment_readout(name: str, _who: Reporter, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    return experiments.experiment_readout(engine, settings, name)


@router.get("/reports/{period}", summary="The report for a month: JSON data, Markdown or HTML")
def report(period: Annotated[str, Path(pattern=PERIOD)], _who: Reporter, engine: EngineDep, settings: SettingsDep,
           format: Literal["json", "md", "html"] = "json") -> Response:
    out = report_store.report_text(engine, settings, period, format, fresh_seconds=settings.api.report_fresh_seconds)
    if format == "html":
        return HTMLResponse(out)
    if format == "md":
        return PlainTextResponse(out, media_type="text/markdown")
    return Response(out, media_type="application/json")  # the stored JSON text as it is: no parse, no re-encode


@router.get("/influence/{period}", summary="Community influence for a month: attribution models side by side, "
                                          "engaged vs matched accounts, deflection savings (the report's section)")
def influence(period: Annotated[str, Path(pattern=PERIOD)], _who: Reporter, engine: EngineDep, settings: SettingsDep,
              model: Annotated[InfluenceModel | None, Query(description="One model's row only")] = None,
              ) -> dict[str, Any]:
    return influence_read.stored_influence(engine, settings, period, model,
                                           fresh_seconds=settings.api.report_fresh_seconds)

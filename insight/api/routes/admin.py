"""Admin only: API keys (create, list, revoke) and the state of background scoring."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy import Engine

from insight.api import deps
from insight.api.errors import KEYED
from insight.api.schemas import JobStats, KeyCreated, KeyIn, KeyOut
from insight.services import auth, jobs
from insight.services.auth import Principal

router = APIRouter(prefix="/api/v1", tags=["admin"], responses=KEYED)
Admin = Annotated[Principal, Depends(deps.role("admin"))]
EngineDep = Annotated[Engine, Depends(deps.engine)]


@router.post("/keys", status_code=201, response_model=KeyCreated,
             summary="Create a key; its secret is in this answer only")
def create_key(body: KeyIn, _who: Admin, engine: EngineDep) -> dict[str, Any]:
    return auth.create_key(engine, body.role, body.name)


@router.get("/keys", response_model=list[KeyOut], summary="Every key (prefix, role, name, revoked), never a secret")
def list_keys(_who: Admin, engine: EngineDep) -> list[dict[str, Any]]:
    return auth.list_keys(engine)


@router.delete("/keys/{key_id}", response_model=KeyOut, summary="Revoke a key at once")
def revoke_key(key_id: deps.RowId, _who: Admin, engine: EngineDep) -> dict[str, Any]:
    return auth.revoke_key(engine, key_id)


@router.get("/jobs", response_model=JobStats,
            summary="Scoring jobs per status and outcome, and the oldest queued job's age")
def job_stats(_who: Admin, engine: EngineDep) -> dict[str, Any]:
    return jobs.stats(engine)


@router.post("/jobs/retry", summary="Queue the failed scoring jobs again (their last error stays until they run)")
def retry_jobs(_who: Admin, engine: EngineDep) -> dict[str, int]:
    return {"requeued": jobs.retry_failed(engine)}

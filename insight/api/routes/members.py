"""Admin only: member privacy (issue 19): merge suggestions, merge and unmerge of accounts into a
person, a member's footprint, erasure and the privacy audit chain.

A member is named in the path by the stored member id (``m_...``), a person id (``p_...``) or a
platform account (``discourse:alice``), pseudonymised with the ingest key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from insight.api import deps
from insight.api.errors import KEYED
from insight.config import Settings
from insight.errors import ApiError
from insight.services import members
from insight.services.auth import Principal

router = APIRouter(prefix="/api/v1/members", tags=["members"], responses=KEYED)
Admin = Annotated[Principal, Depends(deps.role("admin"))]
EngineDep = Annotated[Engine, Depends(deps.engine)]
SettingsDep = Annotated[Settings, Depends(deps.settings)]
MemberId = Annotated[str, Path(min_length=1, max_length=300, pattern=r"^[^\x00-\x1f]+$",
                               description="m_..., p_... or platform:account (at most 300 characters).")]


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accounts: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(min_length=2, max_length=20)
    note: str | None = Field(None, max_length=2000)


class UnmergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    account: str = Field(min_length=1, max_length=300)


class EraseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirm: str = Field(min_length=1, max_length=300, description="The member id of the path, again.")


@router.get("/suggestions", summary="Accounts that may be one person, with confidence and evidence")
def suggestions(_who: Admin, engine: EngineDep) -> list[dict[str, Any]]:
    return members.suggestions(engine)


@router.post("/merge", summary="Link accounts into one person (an admin merge; refused if a member said no)")
def merge(body: MergeIn, who: Admin, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    return members.merge(engine, settings, body.accounts, actor=who.actor, note=body.note)


@router.post("/unmerge", summary="Take an account out of its person")
def unmerge(body: UnmergeIn, who: Admin, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    return members.unmerge(engine, settings, body.account, actor=who.actor)


@router.get("/audit/verify", summary="Walk the privacy audit's hash chain")
def verify(_who: Admin, engine: EngineDep) -> dict[str, Any]:
    return members.verify_audit(engine)


@router.get("/{member}/export", summary="Every row held about a member or person, with provenance")
def export(member: MemberId, who: Admin, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    return members.export(engine, settings, member, actor=who.actor)


@router.post("/{member}/erase", summary="Erase a member or person: text from every table, records, caches")
def erase(member: MemberId, body: EraseIn, request: Request, who: Admin, engine: EngineDep,
          settings: SettingsDep) -> dict[str, Any]:
    members.subject_of(engine, settings, member)  # an unknown member is a 404 before the confirmation is read
    if body.confirm != member:
        raise ApiError("E720", ident=member, got=body.confirm[:80])
    done = members.erase(engine, settings, member, actor=who.actor)
    request.app.state.pairs.clear()  # nothing cached from before the erasure may be served
    return done

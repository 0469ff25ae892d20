"""Stories for researchers: suggestions to review (confirm, reject, retag), the taxonomy, traces."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Engine

from insight.api import deps
from insight.api.errors import KEYED
from insight.api.schemas import ReviewIn
from insight.services import stories
from insight.services.auth import Principal

router = APIRouter(prefix="/api/v1", tags=["stories"], responses=KEYED)
Researcher = Annotated[Principal, Depends(deps.role("researcher"))]
EngineDep = Annotated[Engine, Depends(deps.engine)]


@router.get("/stories/suggestions", summary="Tag suggestions with their redacted text and highlighted evidence")
def suggestions(_who: Researcher, engine: EngineDep,
                status: Annotated[Literal["pending", "confirmed", "rejected", "retagged", "all"], Query()] = "pending",
                order: Annotated[Literal[stories.ORDERS],  # type: ignore[valid-type]
                                 Query(description="uncertain: least sure first")] = "uncertain",
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                tag: Annotated[str | None, Query(max_length=200)] = None) -> list[dict[str, Any]]:
    return stories.suggestions(engine, status=status, order=order, limit=limit, tag=tag)


@router.post("/stories/suggestions/{suggestion_id}/review", summary="Confirm, reject or retag a suggestion")
def review(suggestion_id: deps.TextId, body: ReviewIn, who: Researcher, engine: EngineDep) -> dict[str, Any]:
    return stories.review(engine, suggestion_id, body.decision, who.actor, new_tag=body.new_tag)


@router.get("/stories/links/{link_id}/trace", summary="A story-metric link back to its posts, tagger and taxonomy")
def trace(link_id: deps.TextId, _who: Researcher, engine: EngineDep) -> dict[str, Any]:
    return stories.trace(engine, link_id)


@router.get("/taxonomy", summary="The current taxonomy of story tags")
def taxonomy(_who: Researcher, engine: EngineDep) -> dict[str, Any]:
    return stories.taxonomy(engine)


@router.get("/taxonomy/versions", summary="Every taxonomy version, oldest first")
def taxonomy_versions(_who: Researcher, engine: EngineDep) -> list[dict[str, Any]]:
    return stories.taxonomy_versions(engine)

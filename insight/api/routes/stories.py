"""Stories for researchers: suggestions to review (confirm, reject, retag), the taxonomy, traces."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from sqlalchemy import Engine

from insight.api import deps
from insight.api.errors import KEYED
from insight.api.schemas import ReviewIn
from insight.api.team_schemas import TaxonomyChange
from insight.config import Settings
from insight.services import stories, story_review, taxonomy_edit
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
                tag: Annotated[str | None, Query(max_length=200)] = None,
                q: Annotated[str | None, Query(max_length=200, description="words in the redacted story")] = None,
                offset: Annotated[int, Query(ge=0)] = 0) -> list[dict[str, Any]]:
    return stories.suggestions(engine, status=status, order=order, limit=limit, tag=tag, q=q, offset=offset)


@router.get("/stories/review", summary="A page of suggestions with the total, the threshold, the reason for each "
                                       "score, the latest decision, source and KPI links")
def review_page(_who: Researcher, engine: EngineDep,
                status: Annotated[Literal["pending", "confirmed", "rejected", "retagged", "all"], Query()] = "pending",
                limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
                tag: Annotated[str | None, Query(max_length=200)] = None,
                q: Annotated[str | None, Query(max_length=200)] = None) -> dict[str, Any]:
    return story_review.review_page(engine, status=status, limit=limit, offset=offset, tag=tag, q=q)


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


@router.post("/stories/suggestions/{suggestion_id}/undo",
             summary="Undo the decision on a confirmed, rejected or retagged suggestion (back to pending; audited)")
def undo(suggestion_id: deps.RowId, who: Researcher, engine: EngineDep) -> dict[str, Any]:
    return story_review.undo_review(engine, suggestion_id, who.actor)


@router.post("/stories/suggestions/reject-below", summary="Reject every pending suggestion scoring below a score")
def reject_below(who: Researcher, engine: EngineDep, below: Annotated[float, Body(embed=True, ge=0, le=1)],
                 tag: Annotated[str | None, Body(embed=True, max_length=200)] = None) -> dict[str, Any]:
    return story_review.reject_below(engine, below, who.actor, tag=tag)


@router.get("/stories/export.csv", summary="Confirmed stories with tags, KPIs and cohorts (quotes only with consent)",
            response_class=Response)
def export_csv(_who: Researcher, engine: EngineDep, settings: Annotated[Settings, Depends(deps.settings)]) -> Response:
    return Response(story_review.export_confirmed_csv(engine, settings.ingest.unknown_members),
                    media_type="text/csv; charset=utf-8")


@router.post("/taxonomy/preview", summary="How many stories a taxonomy change would re-tag (nothing is stored)")
def taxonomy_preview(body: TaxonomyChange, _who: Researcher, engine: EngineDep) -> dict[str, Any]:
    return taxonomy_edit.preview(engine, body.model_dump(exclude_none=True))  # type: ignore[attr-defined]


@router.post("/taxonomy/changes", summary="Store a taxonomy change as a new version (as `stories taxonomy load`)")
def taxonomy_change(body: TaxonomyChange, who: Researcher, engine: EngineDep) -> dict[str, Any]:
    return taxonomy_edit.save(engine, body.model_dump(exclude_none=True), who.actor)  # type: ignore[attr-defined]

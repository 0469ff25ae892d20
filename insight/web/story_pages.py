"""The story review page and its forms: review, re-review (undo), batch reject below a score, the
CSV export; search (``q``) and pages (``offset``) over the suggestions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from insight.errors import InsightError
from insight.services import stories, story_review
from insight.services.auth import Principal
from insight.web.page import back, posted, render, segments, user

router = APIRouter(include_in_schema=False)
PAGE = 25
Short = Annotated[str, Form(max_length=200)]
SuggestionId = Annotated[str, Path(max_length=80)]


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, status: str = "pending", tag: str = "", q: str = "", offset: int = 0,
                 size: int = PAGE, msg: str = "", error: str = "", undo: str = "") -> Response:
    who = user(request, ("researcher",))
    if isinstance(who, Response):
        return who
    engine = request.app.state.engine
    q, offset, size = q[:200], max(0, offset), min(max(1, size), 200)
    try:
        page = story_review.review_page(engine, status=status, limit=size, offset=offset, tag=tag or None, q=q or None)
        tags = tag_list(stories.taxonomy(engine))
    except InsightError as exc:  # no taxonomy yet, or a bad filter: say so on the page
        page, tags, error = {"items": [], "total": 0, "offset": 0, "limit": size, "threshold": None}, [], exc.message
    for s in page["items"]:
        s["segments"] = segments(s["text"], s.get("highlights"))
    return render(request, "stories.html", who, page=page, suggestions=page["items"], tags=tags, status=status,
                  tag=tag, q=q, offset=offset, size=size, msg=msg, error=error, undo=undo if undo.isdigit() else "")


def _posted(request: Request, csrf: str) -> Principal | Response:
    """The researcher behind a form post, or the answer that refuses it."""
    return posted(request, ("researcher",), csrf)


def _back(status: str, tag: str, q: str, offset: str, sel: Any, **extra: str) -> Response:
    return back("/stories", {"status": status, "tag": tag, "q": q, "offset": offset if offset != "0" else "",
                             "sel": sel, **extra})


@router.post("/stories/{suggestion_id}/review")
def stories_review(request: Request, suggestion_id: SuggestionId, decision: Annotated[str, Form(max_length=40)],
                   new_tag: Annotated[str, Form(max_length=80)] = "", status: Short = "", tag: Short = "",
                   q: Short = "", offset: Short = "", next: Short = "", csrf: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    try:
        stories.review(request.app.state.engine, int(suggestion_id), decision, who.actor, new_tag=new_tag or None)
    except (InsightError, ValueError) as exc:
        return _back(status, tag, q, offset, suggestion_id, error=getattr(exc, "message", str(exc)))
    what = f"retag → {new_tag}" if decision == "retag" else decision
    return _back(status, tag, q, offset, next or suggestion_id, msg=f"Suggestion {suggestion_id}: {what}",
                 undo=suggestion_id)


@router.post("/stories/{suggestion_id}/undo")
def stories_undo(request: Request, suggestion_id: SuggestionId, status: Short = "", tag: Short = "", q: Short = "",
                 offset: Short = "", csrf: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    try:
        done = story_review.undo_review(request.app.state.engine, int(suggestion_id), who.actor)
    except (InsightError, ValueError) as exc:
        return _back(status, tag, q, offset, suggestion_id, error=getattr(exc, "message", str(exc)))
    return _back(status, tag, q, offset, suggestion_id,
                 msg=f"Suggestion {suggestion_id}: {done['undid']} undone, back to pending for a new review")


@router.post("/stories/reject-below")
def stories_reject_below(request: Request, below: Short, status: Short = "", tag: Short = "", q: Short = "",
                         csrf: Short = "") -> Response:
    who = _posted(request, csrf)
    if isinstance(who, Response):
        return who
    try:
        done = story_review.reject_below(request.app.state.engine, float(below), who.actor, tag=tag or None,
                                         q=q or None)
    except (InsightError, ValueError) as exc:
        return _back(status, tag, q, "0", None, error=getattr(exc, "message", str(exc)))
    return _back(status, tag, q, "0", None, msg=f"Rejected {done['rejected']} suggestion(s) scoring below {below}")


@router.get("/stories/export.csv")
def stories_export(request: Request) -> Response:
    who = user(request, ("researcher",))
    if isinstance(who, Response):
        return who
    text = story_review.export_confirmed_csv(request.app.state.engine,
                                             request.app.state.settings.ingest.unknown_members)
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="confirmed-stories.csv"'})


def tag_list(taxonomy: dict[str, Any]) -> list[dict[str, str]]:
    """(id, name) of every tag in the stories service's taxonomy."""
    tags = taxonomy.get("tags", [])
    if isinstance(tags, dict):
        return [{"id": k, "name": (v.get("name", k) if isinstance(v, dict) else str(v))} for k, v in tags.items()]
    return [{"id": t.get("id") or t.get("tag"), "name": t.get("name") or t.get("id") or t.get("tag")} for t in tags]

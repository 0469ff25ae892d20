"""The taxonomy editor page (researchers and admins): the current version's tags, one change at a
time (add, rename, merge, split, retire, edit; seed examples), a preview of how many stories each
change re-tags, then a save that stores a new version as ``insight stories taxonomy load`` does."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from insight.errors import InsightError
from insight.services import stories, taxonomy_edit
from insight.web.page import back, posted, render, user

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=8000)]


def _page(request: Request, who: Any, *, msg: str = "", error: str = "", preview: dict[str, Any] | None = None,
          form: dict[str, str] | None = None, status_code: int = 200) -> Response:
    engine = request.app.state.engine
    try:
        current, versions = stories.taxonomy(engine), stories.taxonomy_versions(engine)
        confirmed, seeds = taxonomy_edit.confirmed_counts(engine), taxonomy_edit.seed_counts(engine)
    except InsightError as exc:
        current, versions, confirmed, seeds, error = None, [], {}, {}, error or exc.message
    return render(request, "taxonomy.html", who, status_code=status_code, current=current,
                  versions=list(reversed(versions))[:10], confirmed=confirmed, seeds=seeds, msg=msg, error=error,
                  preview=preview, form=form or {}, ops=taxonomy_edit.OPS)


@router.get("/taxonomy", response_class=HTMLResponse)
def taxonomy_page(request: Request, msg: str = "", error: str = "") -> Response:
    who = user(request, ("researcher",))
    if isinstance(who, Response):
        return who
    return _page(request, who, msg=msg, error=error)


def change_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The service's change dict from the editor's fields (split parts: one "id | name | description" a line)."""
    parts = []
    for line in form.get("parts", "").splitlines():
        pieces = [p.strip() for p in line.split("|")]
        if any(pieces):
            parts.append(dict(zip(("id", "name", "description"), pieces + ["", ""], strict=False)))
    return {"op": form.get("op", ""), "id": form.get("id"), "tag": form.get("tag"), "new_id": form.get("new_id"),
            "name": form.get("name"), "description": form.get("description"), "kpis": form.get("kpis"),
            "tags": form.get("tags"), "into": form.get("into"), "reason": form.get("reason"), "parts": parts}


@router.post("/taxonomy/change")
def taxonomy_change(request: Request, op: Short, step: Short = "preview", tag: Short = "", id: Short = "",
                    new_id: Short = "", name: Short = "", description: Long = "", kpis: Short = "", tags: Short = "",
                    into: Short = "", reason: Short = "", parts: Long = "", csrf: Short = "") -> Response:
    who = posted(request, ("researcher",), csrf)
    if isinstance(who, Response):
        return who
    form = {"op": op, "tag": tag, "id": id, "new_id": new_id, "name": name, "description": description, "kpis": kpis,
            "tags": tags, "into": into, "reason": reason, "parts": parts}
    change, engine = change_from_form(form), request.app.state.engine
    try:
        if step != "save":
            return _page(request, who, preview=taxonomy_edit.preview(engine, change), form=form)
        done = taxonomy_edit.save(engine, change, who.actor)
    except InsightError as exc:
        return _page(request, who, error=exc.message, form=form, status_code=400)
    return back("/taxonomy", {"msg": f"Saved version {done['version']} ({op}): {done['remapped']} confirmed "
                                     f"stor{'y' if done['remapped'] == 1 else 'ies'} carried into it, "
                                     f"{done['preview']['retagged']} re-tagged"})


@router.post("/taxonomy/examples")
def taxonomy_examples(request: Request, tag: Short, examples: Long = "", csrf: Short = "") -> Response:
    who = posted(request, ("researcher",), csrf)
    if isinstance(who, Response):
        return who
    try:
        done = taxonomy_edit.add_seed_examples(request.app.state.engine, tag, examples.splitlines(), who.actor)
    except InsightError as exc:
        return back("/taxonomy", {"error": exc.message})
    return back("/taxonomy", {"msg": f"{done['examples']} seed example(s) added to {tag}"})

"""The members page (admins): accounts that may be one person, with how sure and why, to merge or
leave; the persons formed so far, to unmerge an account. The same service calls as
``insight members suggestions|merge|unmerge`` and the admin API; every merge and unmerge is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from insight.errors import InsightError
from insight.services import members
from insight.web.page import back, posted, render, user

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Form(max_length=200)]
ADMIN = ("admin",)


@router.get("/members", response_class=HTMLResponse)
def members_page(request: Request, msg: str = "", error: str = "") -> Response:
    who = user(request, ADMIN)
    if isinstance(who, Response):
        return who
    engine = request.app.state.engine
    return render(request, "members.html", who, suggestions=members.suggestions(engine),
                  persons=members.linked_persons(engine), msg=msg, error=error)


@router.post("/members/merge")
def members_merge(request: Request, account_a: Short, account_b: Short, note: Short = "",
                  csrf: Short = "") -> Response:
    who = posted(request, ADMIN, csrf)
    if isinstance(who, Response):
        return who
    try:
        done = members.merge(request.app.state.engine, request.app.state.settings, [account_a, account_b],
                             actor=who.actor, note=note or None)
    except InsightError as exc:
        return back("/members", {"error": exc.message})
    return back("/members", {"msg": f"Linked into person {done['person_id']}"})


@router.post("/members/unmerge")
def members_unmerge(request: Request, account: Short, csrf: Short = "") -> Response:
    who = posted(request, ADMIN, csrf)
    if isinstance(who, Response):
        return who
    try:
        done = members.unmerge(request.app.state.engine, request.app.state.settings, account, actor=who.actor)
    except InsightError as exc:
        return back("/members", {"error": exc.message})
    return back("/members", {"msg": f"{done['account']} taken out of person {done['person_id']}"})

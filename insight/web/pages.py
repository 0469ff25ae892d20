"""Pages: the triage queue, story review and the report, on the same services as the API.

Server-rendered with plain forms (post, then redirect back), so every action works without
JavaScript; ``static/app.js`` only adds one-key actions (j/k to move, then a letter). Login
stores the API key in an HttpOnly, SameSite=Strict cookie, which also keeps other sites
from posting the forms.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from insight.api.deps import COOKIE, check_access
from insight.errors import ApiError, InsightError
from insight.records import TRIAGE_REASONS
from insight.services import auth, queue_view, reporting, stories, triage
from insight.services.auth import Principal
from insight.triage.queue import ALLOWED, STATUSES

WEB = resources.files("insight.web")
templates = Jinja2Templates(directory=str(WEB / "templates"))
HOME = {"moderator": "/queue", "researcher": "/stories", "reporter": "/report", "admin": "/queue"}
NAV = (("/queue", "Triage queue", ("moderator",)), ("/stories", "Story review", ("researcher",)),
       ("/report", "Report", ("reporter",)))
QUEUE_ACTIONS = (("acknowledge", "a"), ("resolve", "r"), ("escalate", "e"), ("dismiss", "d"), ("reopen", "o"))


def segments(text: str, spans: list[list[int]] | None) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) by [start, end] spans (overlaps merged, out of range clipped)."""
    cuts = sorted((max(0, int(s)), min(len(text), int(e))) for s, e in (spans or []) if int(e) > int(s))
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in cuts:
        start = max(start, pos)
        if end <= start:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        if out and out[-1][1] and start == pos:  # overlapping or touching spans: one mark
            out[-1] = (out[-1][0] + text[start:end], True)
        else:
            out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _page(request: Request, name: str, who: Principal | None, status_code: int = 200, **context: Any) -> Response:
    nav = [(href, label) for href, label, roles in NAV if who is not None and auth.allowed(who, roles)]
    return templates.TemplateResponse(request, name, {"who": who, "nav": nav, **context}, status_code=status_code)


def _user(request: Request, roles: tuple[str, ...]) -> Principal | Response:
    try:
        return check_access(request, request.cookies.get(COOKIE), roles)
    except ApiError as exc:
        if exc.code in ("E701", "E702"):
            return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
        who = auth.authenticate(request.app.state.engine, request.cookies.get(COOKIE))
        return _page(request, "forbidden.html", who, status_code=403, message=exc.message)


def _back(path: str, params: dict[str, Any]) -> RedirectResponse:
    """Back to the list after a form post (``sel`` keeps the item selected for the next key)."""
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def mount_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        try:
            who = auth.authenticate(request.app.state.engine, request.cookies.get(COOKIE))
        except ApiError:
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse(HOME[who.role], status_code=303)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str = "/", error: str = "") -> Response:
        return _page(request, "login.html", None, next=next, error=error)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, key: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
        try:
            who = auth.authenticate(request.app.state.engine, key)
        except ApiError as exc:
            return _page(request, "login.html", None, status_code=401, next=next, error=exc.message)
        target = next if next.startswith("/") and not next.startswith("//") and next != "/" else HOME[who.role]
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict", max_age=12 * 3600,
                            secure=request.url.scheme == "https")
        return response

    @app.post("/logout", include_in_schema=False)
    def logout() -> Response:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    # ------------------------------------------------------------------ triage queue

    @app.get("/queue", response_class=HTMLResponse, include_in_schema=False)
    def queue_page(request: Request, status: str = "active", reason: str = "", channel: str = "", msg: str = "",
                   error: str = "") -> Response:
        who = _user(request, ("moderator",))
        if isinstance(who, Response):
            return who
        engine = request.app.state.engine
        try:
            page = queue_view.queue_page(engine, status=status, reason=reason or None, channel=channel or None,
                                         limit=100)
        except InsightError as exc:
            page, error = {"items": [], "total": 0}, exc.message
        for item in page["items"]:
            for post in item["evidence"]:
                post["segments"] = segments(post["text"], post["highlights"])
        return _page(request, "queue.html", who, page=page, status=status, reason=reason, channel=channel,
                     statuses=("active", "all", *STATUSES), reasons=TRIAGE_REASONS,
                     channels=queue_view.channels(engine), actions=QUEUE_ACTIONS, allowed=ALLOWED, msg=msg,
                     error=error)

    @app.post("/queue/{item_id}/act", include_in_schema=False)
    def queue_act(request: Request, item_id: int, action: Annotated[str, Form()],
                  reason: Annotated[str, Form()] = "", status: Annotated[str, Form()] = "",
                  filter_reason: Annotated[str, Form()] = "", channel: Annotated[str, Form()] = "") -> Response:
        who = _user(request, ("moderator",))
        if isinstance(who, Response):
            return who
        filters = {"status": status, "reason": filter_reason, "channel": channel}
        try:
            done = triage.act(request.app.state.engine, item_id, action, who.actor, reason or None)
        except InsightError as exc:
            return _back("/queue", {**filters, "error": exc.message, "sel": item_id})
        item = done["item"]
        return _back("/queue", {**filters, "msg": f"Item {item_id} ({item['title'] or item['thread_id']}): "
                                                  f"{action} → {item['status']}", "sel": item_id})

    # ------------------------------------------------------------------ story review

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, status: str = "pending", tag: str = "", msg: str = "",
                     error: str = "") -> Response:
        who = _user(request, ("researcher",))
        if isinstance(who, Response):
            return who
        engine = request.app.state.engine
        try:
            found = stories.suggestions(engine, status=status, order="uncertain", limit=50, tag=tag or None)
            tags = _tags(stories.taxonomy(engine))
        except InsightError as exc:  # no taxonomy yet, or a bad filter: say so on the page
            found, tags, error = [], [], exc.message
        for s in found:
            s["segments"] = segments(s["text"], s.get("highlights"))
        return _page(request, "stories.html", who, suggestions=found, tags=tags, status=status, tag=tag,
                     msg=msg, error=error)

    @app.post("/stories/{suggestion_id}/review", include_in_schema=False)
    def stories_review(request: Request, suggestion_id: str, decision: Annotated[str, Form()],
                       new_tag: Annotated[str, Form()] = "", status: Annotated[str, Form()] = "",
                       tag: Annotated[str, Form()] = "") -> Response:
        who = _user(request, ("researcher",))
        if isinstance(who, Response):
            return who
        filters = {"status": status, "tag": tag}
        try:
            stories.review(request.app.state.engine, suggestion_id, decision, who.actor, new_tag=new_tag or None)
        except InsightError as exc:
            return _back("/stories", {**filters, "error": exc.message, "sel": suggestion_id})
        what = f"retag → {new_tag}" if decision == "retag" else decision
        return _back("/stories", {**filters, "msg": f"Suggestion {suggestion_id}: {what}", "sel": suggestion_id})

    # ------------------------------------------------------------------ report

    @app.get("/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, period: str = "") -> Response:
        who = _user(request, ("reporter",))
        if isinstance(who, Response):
            return who
        period = period or reporting.latest_period(request.app.state.engine)
        error = ""
        try:
            reporting.check_period(period)
        except InsightError as exc:
            error = exc.message
        return _page(request, "report.html", who, period=period, error=error)

    @app.get("/report/view", response_class=HTMLResponse, include_in_schema=False)
    def report_view(request: Request, period: str) -> Response:
        who = _user(request, ("reporter",))
        if isinstance(who, Response):
            return who
        return HTMLResponse(reporting.report(request.app.state.engine, request.app.state.settings, period, "html"))


def _tags(taxonomy: dict[str, Any]) -> list[dict[str, str]]:
    """(id, name) of every tag in the stories service's taxonomy."""
    tags = taxonomy.get("tags", [])
    if isinstance(tags, dict):
        return [{"id": k, "name": (v.get("name", k) if isinstance(v, dict) else str(v))} for k, v in tags.items()]
    return [{"id": t.get("id") or t.get("tag"), "name": t.get("name") or t.get("id") or t.get("tag")} for t in tags]

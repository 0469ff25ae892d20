"""Pages: login, the report, and the routers of the triage queue (``queue``), story review
(``story_pages``) and the taxonomy editor (``taxonomy_page``), on the same services as the API.

Server-rendered with plain forms (post, then redirect back), so every action works without
JavaScript; ``static/app.js`` only adds one-key actions (j/k to move, then a letter). Login
stores the API key in an HttpOnly, SameSite=Strict cookie, which also keeps other sites
from posting the forms. ``mount(app)`` adds the router and the static files to an app.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from insight.errors import ApiError, InsightError
from insight.services import auth, report_store, reports
from insight.services.throttle import FailureThrottle
from insight.web import members_page, queue, story_pages, taxonomy_page
from insight.web.page import CSRF_COOKIE, HOME, WEB, form_refused, new_csrf_token, render, user

router = APIRouter(include_in_schema=False)


def mount(app: FastAPI) -> None:
    """The pages and their static files on ``app``, and the login throttle."""
    app.state.login_throttle = FailureThrottle(app.state.settings.api.login_failures_per_minute)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    app.include_router(router)
    app.include_router(queue.router)
    app.include_router(story_pages.router)
    app.include_router(taxonomy_page.router)
    app.include_router(members_page.router)


@router.get("/")
def home(request: Request) -> Response:
    try:
        who = auth.authenticate(request.app.state.engine, request.cookies.get(auth.SESSION_COOKIE))
    except ApiError:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOME[who.role], status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", error: str = "") -> Response:
    return render(request, "login.html", None, next=next, error=error)


@router.post("/login")
def login(request: Request, key: Annotated[str, Form(max_length=200)],
          next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    refused = form_refused(request, "", needs_token=False)
    if refused is not None:
        return refused
    throttle, client = request.app.state.login_throttle, request.client.host if request.client else "?"
    wait = throttle.wait_seconds(client)
    if wait:
        return render(request, "login.html", None, status_code=429, next=next,
                      error=str(ApiError("E712", seconds=wait)), headers={"Retry-After": str(wait)})
    try:
        who = auth.authenticate(request.app.state.engine, key)
    except ApiError as exc:
        throttle.failed(client)
        return render(request, "login.html", None, status_code=401, next=next, error=exc.message)
    target = next if next.startswith("/") and not next.startswith("//") and next != "/" else HOME[who.role]
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(auth.SESSION_COOKIE, key.strip(), httponly=True, samesite="strict", max_age=12 * 3600,
                        secure=secure)
    response.set_cookie(CSRF_COOKIE, new_csrf_token(), httponly=True, samesite="strict", max_age=12 * 3600,
                        secure=secure)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    refused = form_refused(request, csrf)
    if refused is not None:
        return refused
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


# --- report ------------------------------------------------------------------------------------


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, period: str = "") -> Response:
    who = user(request, ("reporter",))
    if isinstance(who, Response):
        return who
    period = period or reports.latest_period(request.app.state.engine)
    try:
        reports.require_period(request.app.state.engine, period)
    except InsightError as exc:
        # The same coded error the API and the CLI give, as a page (404 for a month with no data).
        return render(request, "report.html", who, status_code=404 if exc.code == "E654" else 400, period=period,
                      error=f"[{exc.code}] {exc.message}")
    return render(request, "report.html", who, period=period, error="")


@router.get("/report/view", response_class=HTMLResponse)
def report_view(request: Request, period: str) -> Response:
    who = user(request, ("reporter",))
    if isinstance(who, Response):
        return who
    settings = request.app.state.settings
    try:
        return HTMLResponse(report_store.report(request.app.state.engine, settings, period, "html",
                                                fresh_seconds=settings.api.report_fresh_seconds))
    except InsightError as exc:
        return render(request, "report.html", who, status_code=404 if exc.code == "E654" else 400, period=period,
                      error=f"[{exc.code}] {exc.message}")

"""What every page shares: templates, the navigation, the signed-in user, highlights and redirects.

The pages sign a user in with an API key kept in an HttpOnly, SameSite=Strict cookie
(``auth.SESSION_COOKIE``), checked by the same service as the API's keys; a page a role may not
see answers 403 with the reason, and no or a revoked key leads to the login page.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from insight.errors import ApiError
from insight.services import auth
from insight.services.auth import Principal

WEB = resources.files("insight.web")
templates = Jinja2Templates(directory=str(WEB / "templates"))
HOME = {"moderator": "/queue", "researcher": "/stories", "reporter": "/report", "admin": "/queue"}
NAV = (("/queue", "Triage queue", ("moderator",)), ("/stories", "Story review", ("researcher",)),
       ("/report", "Report", ("reporter",)))


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


def render(request: Request, name: str, who: Principal | None, status_code: int = 200, **context: Any) -> Response:
    nav = [(href, label) for href, label, roles in NAV if who is not None and auth.allowed(who, roles)]
    return templates.TemplateResponse(request, name, {"who": who, "nav": nav, **context}, status_code=status_code)


def user(request: Request, roles: tuple[str, ...]) -> Principal | Response:
    """The signed-in user when their role may see this page; else the login page or a 403 page."""
    key = request.cookies.get(auth.SESSION_COOKIE)
    try:
        return auth.check_access(request.app.state.engine, key, roles, request.url.path)
    except ApiError as exc:
        if exc.code in ("E701", "E702"):
            return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
        who = auth.authenticate(request.app.state.engine, key)
        return render(request, "forbidden.html", who, status_code=403, message=exc.message)


def back(path: str, params: dict[str, Any]) -> RedirectResponse:
    """Back to the list after a form post (``sel`` keeps the item selected for the next key)."""
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)

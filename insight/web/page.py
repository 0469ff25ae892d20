"""What every page shares: templates, the navigation, the signed-in user, highlights and redirects.

The pages sign a user in with an API key kept in an HttpOnly, SameSite=Strict cookie
(``auth.SESSION_COOKIE``), checked by the same service as the API's keys; a page a role may not
see answers 403 with the reason, and no or a revoked key leads to the login page.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

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
       ("/taxonomy", "Taxonomy", ("researcher",)), ("/report", "Report", ("reporter",)),
       ("/members", "Members", ("admin",)))


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


def ago(value: str | datetime | None, now: datetime | None = None) -> str:
    """"3 h ago", "2 d ago": how long since an ISO time (UTC)."""
    if not value:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    seconds = ((now or datetime.now(UTC)) - (at if at.tzinfo else at.replace(tzinfo=UTC))).total_seconds()
    if seconds < 0:
        return "in the future"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


def http_url(value: str | None) -> str:
    """``value`` when it is an http(s) URL, else "" (a stored post's URL comes from outside: never a
    ``javascript:`` or ``data:`` link on a page)."""
    if not value:
        return ""
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


def render(request: Request, name: str, who: Principal | None, status_code: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> Response:
    nav = [(href, label) for href, label, roles in NAV if who is not None and auth.allowed(who, roles)]
    csrf = request.cookies.get(CSRF_COOKIE, "")
    return templates.TemplateResponse(request, name, {"who": who, "nav": nav, "csrf": csrf, **context},
                                      status_code=status_code, headers=headers)


# --- forms: CSRF double submit and Origin check -------------------------------------------------

# Set at login next to the session cookie; every form posts it back as ``csrf``. A page on another
# origin (even another port of this host, which SameSite counts as the same site) can neither read
# it nor pass the Origin check.
CSRF_COOKIE = "insight_csrf"


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_origin(request: Request) -> bool:
    """The form came from this origin: Origin (or, without it, Referer) names this scheme, host and port."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True  # a browser always sends Origin on a cross-origin POST; its absence is a same-origin form
    parts = urlsplit(claimed)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.url.scheme}://{request.url.netloc}"


def form_refused(request: Request, token: str, *, needs_token: bool = True) -> Response | None:
    """A 403 page (E711) when the form failed the Origin check or lacks the session's token; else None."""
    if not same_origin(request):
        detail = "it was sent from another origin"
    elif needs_token and not (token and hmac.compare_digest(token.encode(),
                                                            request.cookies.get(CSRF_COOKIE, "").encode())):
        detail = "its security token is missing or out of date"
    else:
        return None
    return render(request, "forbidden.html", None, status_code=403, message=str(ApiError("E711", detail=detail)))


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


def posted(request: Request, roles: tuple[str, ...], csrf: str) -> Principal | Response:
    """The user behind a form post when their role may post it and the form passes the token and
    Origin checks; else the answer that refuses it (the login page, a 403 page)."""
    who = user(request, roles)
    if isinstance(who, Response):
        return who
    refused = form_refused(request, csrf)
    return refused if refused is not None else who


def back(path: str, params: dict[str, Any]) -> RedirectResponse:
    """Back to the list after a form post (``sel`` keeps the item selected for the next key)."""
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


templates.env.filters["ago"] = ago
templates.env.filters["http_url"] = http_url

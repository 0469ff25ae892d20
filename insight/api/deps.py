"""Request dependencies: the app's engine and settings, and the caller's key and role.

A key comes as ``Authorization: Bearer <key>`` (or ``X-API-Key``); the pages send it from the
cookie set at login. No key: 401 (E701); an unknown or revoked key: 401 (E702); a role that
may not use the route: 403 (E703). Admins reach every route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from insight.config import Settings
from insight.services import auth
from insight.services.auth import Principal

bearer = HTTPBearer(auto_error=False, description="An API key from `insight keys create --role <role>`.")


def engine(request: Request) -> Engine:
    return request.app.state.engine


def settings(request: Request) -> Settings:
    return request.app.state.settings


def request_key(request: Request, credentials: HTTPAuthorizationCredentials | None = None) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.headers.get("x-api-key") or request.cookies.get(auth.SESSION_COOKIE)


def role(*roles: str) -> Callable[..., Principal]:
    """A dependency that lets in only ``roles`` (and admins)."""

    def dependency(request: Request,
                   credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
        return auth.check_access(request.app.state.engine, request_key(request, credentials), roles, request.url.path)

    dependency.roles = roles  # type: ignore[attr-defined]  # read by the role table in the docs and tests
    return dependency


# Bounded parameters: a path id fits the 32-bit id columns, a text filter a column; anything
# outside is a 422 from validation, never a database error (a 500).
MAX_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A row id (1 to 2^31-1).")]
TextId = Annotated[str, Path(min_length=1, max_length=80, description="An id (at most 80 characters).")]

"""The outermost layer of the app: no request makes a bare 500, a body over its limit is refused
before it is read in full, and every answer carries the security headers.

One pure ASGI middleware (no ``BaseHTTPMiddleware``: it would buffer streamed answers):

- anything unexpected becomes ``{"error": {"code": "E709", ...}}`` with status 500, logged with an
  incident id the answer repeats (the message never echoes the input);
- a body larger than ``[api] max_body_bytes`` (``max_webhook_body_bytes`` under ``/webhooks``) is
  a 413 E710, whether its Content-Length says so or the stream turns out longer;
- CSP, X-Frame-Options, X-Content-Type-Options and Referrer-Policy on every answer.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from insight.config import Settings
from insight.errors import ApiError

log = logging.getLogger(__name__)

# Pages and the docs load scripts and styles from /static only; inline styles are allowed (the
# report's charts and Swagger UI set style attributes), inline scripts are not. The report page
# frames its own report, so framing is same-origin only.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                 b"frame-ancestors 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class _TooLarge(Exception):
    pass


class Guards:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, path: str) -> tuple[int, str]:
        if path.startswith("/webhooks/"):
            return self.settings.api.max_webhook_body_bytes, "max_webhook_body_bytes"
        return self.settings.api.max_body_bytes, "max_body_bytes"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, setting = self._limit(scope.get("path", ""))
        started = False

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _answer(guarded_send, 413, ApiError("E710", limit=limit, setting=setting))
            return
        received = 0

        async def counted_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            if not started:
                await _answer(guarded_send, 413, ApiError("E710", limit=limit, setting=setting))
        except Exception as exc:  # the one place that turns any fault into a coded answer
            incident = uuid.uuid4().hex[:12]
            log.exception("incident %s: %s %s failed", incident, scope.get("method"), scope.get("path"))
            if started:
                raise
            await _answer(guarded_send, 500, ApiError("E709", kind=type(exc).__name__, incident=incident))


async def _answer(send: Any, status: int, error: ApiError) -> None:
    body = json.dumps({"error": {"code": error.code, "message": error.message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

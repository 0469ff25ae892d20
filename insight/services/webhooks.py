"""Webhooks: check the platform's signature, read the payload with its adapter, queue the posts.

Nothing is stored or scored here (that is the worker's, see ``insight.services.jobs``), so a
webhook answers in milliseconds. The payload is read by the same adapter as an export file
(written to a temporary file: adapters read paths), so a post arriving by webhook and the
same post in an export become the same row.

Signatures (secrets in ``[api]`` of the config):

- Slack: ``X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{body}">``,
  the timestamp within ``slack_tolerance_seconds`` of now (replays are refused);
- GitHub: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>``;
- Discourse: ``X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256 of the body>``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.errors import ApiError
from insight.ingest.base import RawRow, Reject
from insight.ingest.validate import RowProblem, TimeWindow, clean_text, to_post
from insight.runtime import registry
from insight.services import jobs

PLATFORMS = ("discourse", "slack", "github")
_SECRET = {"slack": "slack_signing_secret", "github": "github_webhook_secret",
           "discourse": "discourse_webhook_secret"}
_HEADER = {"github": "x-hub-signature-256", "discourse": "x-discourse-event-signature"}


def _hex_hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(platform: str, secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers a platform would send with ``body`` (tests, and checking a setup by hand)."""
    if platform == "slack":
        ts = str(int(time.time()) if timestamp is None else timestamp)
        return {"X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": "v0=" + _hex_hmac(secret, f"v0:{ts}:".encode() + body)}
    return {_HEADER[platform]: "sha256=" + _hex_hmac(secret, body)}


def verify(platform: str, settings: Settings, headers: Mapping[str, str], body: bytes,
           now: float | None = None) -> None:
    """Raise unless ``body`` carries the platform's valid signature.

    Raises:
        ApiError: E706 no secret configured, E704 missing or wrong signature, E705 a Slack
            timestamp outside the tolerance.
    """
    setting = _SECRET[platform]
    secret = getattr(settings.api, setting)
    if not secret:
        raise ApiError("E706", platform=platform, setting=setting)
    lower = {k.lower(): v for k, v in headers.items()}
    if platform == "slack":
        ts, given = lower.get("x-slack-request-timestamp", ""), lower.get("x-slack-signature", "")
        if not (ts.isascii() and ts.isdigit()) or not given:
            raise ApiError("E704", platform=platform, setting=setting,
                           detail="X-Slack-Request-Timestamp and X-Slack-Signature are required")
        age = abs((time.time() if now is None else now) - int(ts))
        if age > settings.api.slack_tolerance_seconds:
            raise ApiError("E705", platform=platform, age=int(age), tolerance=settings.api.slack_tolerance_seconds)
        expected = "v0=" + _hex_hmac(secret, f"v0:{ts}:".encode() + body)
    else:
        given = lower.get(_HEADER[platform], "")
        if not given:
            raise ApiError("E704", platform=platform, setting=setting, detail=f"no {_HEADER[platform]} header")
        expected = "sha256=" + _hex_hmac(secret, body)
    # compare_digest refuses non-ASCII text: such a header is simply a wrong signature.
    if not given.isascii() or not hmac.compare_digest(expected, given.strip()):
        raise ApiError("E704", platform=platform, setting=setting, detail="the HMAC does not match the body")


def handshake(platform: str, headers: Mapping[str, str], payload: Any) -> dict[str, Any] | None:
    """The answer to a platform's set-up call (Slack's url_verification, GitHub's and Discourse's ping)."""
    lower = {k.lower(): v for k, v in headers.items()}
    if platform == "slack" and isinstance(payload, dict) and payload.get("type") == "url_verification":
        return {"challenge": payload.get("challenge")}
    if platform == "github" and lower.get("x-github-event") == "ping":
        return {"ok": True, "pong": True}
    if platform == "discourse" and lower.get("x-discourse-event") == "ping":
        return {"ok": True, "pong": True}
    return None


def read_payload(platform: str, body: bytes) -> tuple[list[RawRow], list[Reject]]:
    """Rows and rejects from one payload, read by the platform's adapter.

    Raises:
        ApiError: E707 when the body is not JSON or not a payload the adapter reads.
    """
    adapter = registry.adapters.build(platform)
    with tempfile.TemporaryDirectory(prefix="insight-webhook-") as folder:
        path = Path(folder) / f"{platform}-webhook.json"
        path.write_bytes(body)
        if not adapter.sniff(path):
            raise ApiError("E707", platform=platform, detail=f"not a {platform} webhook payload this version reads")
        rows, rejects = [], []
        try:
            for row in adapter.read(path):
                if isinstance(row, Reject):
                    rejects.append(row)
                elif row.kind == "post":
                    rows.append(RawRow(kind=row.kind, data=row.data, source=f"webhook:{platform}",
                                       pointer=row.pointer))
        except (ApiError, RecursionError, TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
            raise ApiError("E707", platform=platform, detail=f"the payload cannot be read ({type(exc).__name__})"
                           ) from None
    return rows, rejects


def checked_rows(rows: list[RawRow], settings: Settings) -> tuple[list[RawRow], list[Reject]]:
    """The rows that pass the post contract (queued with text made storable), and rejects for the others.

    Checked before queueing, so a job never holds a value that would fail its whole batch later.
    """
    window = TimeWindow.default(settings.ingest.earliest, settings.ingest.max_future_days)
    good, bad = [], []
    for row in rows:
        try:
            to_post(row.data, settings.ingest.max_text_chars, window)
        except RowProblem as problem:
            bad.append(Reject(row.source, problem.reason, problem.detail, field=problem.field, pointer=row.pointer,
                              row_id=None if not isinstance(row.data.get("post_id"), str) else
                              row.data["post_id"][:256]))
            continue
        good.append(dataclasses.replace(row, data=_storable(row.data)))
    return good, bad


def _storable(value: Any) -> Any:
    """Strings anywhere in a JSON value without NUL bytes or lone surrogates (PostgreSQL refuses both)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def receive(engine: Engine, settings: Settings, platform: str, headers: Mapping[str, str], body: bytes
            ) -> dict[str, Any]:
    """Verify, read and queue one webhook call; the answer says what was queued and rejected."""
    verify(platform, settings, headers, body)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError("E707", platform=platform, detail=f"the body is not JSON ({exc})") from None
    except RecursionError:
        raise ApiError("E707", platform=platform, detail="the body is JSON nested too deep") from None
    answer = handshake(platform, headers, payload)
    if answer is not None:
        return answer
    rows, rejects = read_payload(platform, body)
    rows, invalid = checked_rows(rows, settings)
    rejects += invalid
    counts = jobs.enqueue(engine, platform, rows)
    return {**counts, "rejected": len(rejects),
            "rejects": [{k: v for k, v in r.as_dict().items() if k != "source"} for r in rejects[:10]]}

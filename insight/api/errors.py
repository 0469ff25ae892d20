"""Coded errors as HTTP answers: ``{"error": {"code", "message"}}`` with a status that fits the code."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from insight.api.schemas import ErrorOut
from insight.errors import InsightError

STATUS = {
    "E701": 401, "E702": 401, "E704": 401, "E705": 401,
    "E703": 403,
    "E706": 503,
    "E421": 404, "E431": 404, "E433": 404, "E434": 404, "E451": 404,
    "E654": 404, "E658": 404, "E730": 404,
    "E432": 409, "E622": 409,
    # Issue 18: nothing to undo, a snooze the item or the clock does not allow, a taxonomy change the
    # current tags do not allow.
    "E438": 409, "E439": 409, "E440": 409, "E624": 409, "E629": 409,
    "E709": 500, "E710": 413, "E711": 403, "E712": 429,
    "E453": 404, "E456": 404, "E454": 409, "E455": 400, "E457": 500,  # member privacy (issue 19)
}

_WHY = {400: "Bad input: a coded E6xx/E7xx error says what, where and how to fix it.",
        401: "No key, an unknown or revoked key, or a bad webhook signature (E701, E702, E704, E705).",
        403: "The key's role may not use this route (E703).",
        404: "No such item (E421, E431, E433, E434, E451, E654, E730).",
        409: "The item is not in a state that allows this (E432, E622, E624, E629), or there is nothing to undo "
             "(E438-E440).",
        413: "The request body is over the configured limit (E710).",
        500: "An internal fault, logged with an incident id (E709).",
        503: "The webhook is not configured (E706)."}


def responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI entries for the coded errors a route can answer (with their schema)."""
    return {status: {"model": ErrorOut, "description": _WHY[status]} for status in statuses}


# What every keyed API route can answer besides its success and FastAPI's 422.
KEYED = responses(400, 401, 403, 404, 409, 413, 500)
WEBHOOK = responses(400, 401, 413, 500, 503)


def status_for(code: str) -> int:
    if code in STATUS:
        return STATUS[code]
    return 500 if code[1] in "1234" else 400  # config/pipeline/model/storage faults are ours; the rest is input


async def insight_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InsightError)
    headers = {"WWW-Authenticate": "Bearer"} if status_for(exc.code) == 401 else None
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=status_for(exc.code),
                        headers=headers)


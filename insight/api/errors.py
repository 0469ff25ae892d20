"""Coded errors as HTTP answers: ``{"error": {"code", "message"}}`` with a status that fits the code."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from insight.errors import InsightError

STATUS = {
    "E701": 401, "E702": 401, "E704": 401, "E705": 401,
    "E703": 403,
    "E706": 503,
    "E421": 404, "E431": 404, "E433": 404, "E434": 404, "E451": 404,
    "E654": 404, "E658": 404,
    "E432": 409, "E622": 409,
}


def status_for(code: str) -> int:
    if code in STATUS:
        return STATUS[code]
    return 500 if code[1] in "1234" else 400  # config/pipeline/model/storage faults are ours; the rest is input


async def insight_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InsightError)
    headers = {"WWW-Authenticate": "Bearer"} if status_for(exc.code) == 401 else None
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=status_for(exc.code),
                        headers=headers)


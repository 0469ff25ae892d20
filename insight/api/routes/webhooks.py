"""Platform webhooks: signature checked, posts queued for background scoring, answered at once (202)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from insight.api import deps
from insight.api.errors import WEBHOOK
from insight.api.schemas import WebhookAnswer
from insight.config import Settings
from insight.services import webhooks

router = APIRouter(prefix="/webhooks", tags=["webhooks"], responses=WEBHOOK)


@router.post("/{platform}", status_code=202, response_model=WebhookAnswer, response_model_exclude_none=True,
             summary="A Discourse, Slack or GitHub webhook call, signed with the platform's secret")
async def receive(platform: Literal["discourse", "slack", "github"], request: Request, response: Response,
                  engine: Annotated[Engine, Depends(deps.engine)],
                  settings: Annotated[Settings, Depends(deps.settings)]) -> dict[str, Any]:
    body = await request.body()
    answer = await run_in_threadpool(webhooks.receive, engine, settings, platform, request.headers, body)
    if "queued" not in answer:
        response.status_code = 200  # a handshake (Slack url_verification, ping) is answered, not queued
    return answer

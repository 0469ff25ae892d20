"""`insight serve`'s app runs the notifier: an unsafe webhook post becomes one alert at the Slack-
compatible receiver with no command run; a bad [alerts] section stops the app at start (E112)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from insight.api import create_app
from insight.config import AlertSettings
from insight.errors import ConfigError
from insight.services import webhooks
from insight.storage.db import make_engine
from tests.support.databases import settings_in
from tests.support.payloads import body, discourse_post
from tests.support.receiver import Receiver
from tests.support.service import service_settings


def test_app_alerts_serve_sends_a_new_safety_item_to_slack(tmp_path: Path) -> None:
    with Receiver() as receiver:
        settings = service_settings(settings_in(tmp_path)).model_copy(update={"alerts": AlertSettings(
            slack_webhook_url=receiver.url, poll_seconds=0.2)})
        now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        raw = body(discourse_post(7101, "Pay up or I will hurt you. I know where you live.", topic_id=6161,
                                  number=1, created_at=now))
        with TestClient(create_app(settings, make_engine(settings), workers=1, schedule=True)) as client:
            client.post("/webhooks/discourse", content=raw, headers={
                "Content-Type": "application/json", **webhooks.sign("discourse", "discourse-secret", raw)})
            assert receiver.wait_for(1, 60)
            time.sleep(0.6)  # a few more polls: nothing else is sent
    (sent,) = receiver.requests
    text = json.loads(sent.body)["text"]
    assert set(json.loads(sent.body)) == {"text"} and text.startswith("[insight] Safety concern (new,")
    assert "/queue?status=all&sel=" in text


def test_app_alerts_bad_section_fails_at_start(tmp_path: Path) -> None:
    settings = settings_in(tmp_path).model_copy(update={"alerts": AlertSettings(slack_webhook_url="hooks/x")})
    with pytest.raises(ConfigError) as caught:
        create_app(settings, make_engine(settings), workers=0)
    assert caught.value.code == "E112"

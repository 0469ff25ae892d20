"""Webhook bodies as the platforms send them (shapes of ../shared/data/platform_formats), made up here."""

from __future__ import annotations

import json
from typing import Any


def discourse_post(post_id: int, text: str, *, topic_id: int = 900, number: int = 2, user_id: int = 41,
                   created_at: str = "2026-05-19T10:00:00Z") -> dict[str, Any]:
    return {"post": {"id": post_id, "topic_id": topic_id, "post_number": number, "user_id": user_id,
                     "username": f"user{user_id}", "created_at": created_at, "raw": text, "cooked": f"<p>{text}</p>",
                     "post_type": 1, "topic_title": "Webhook thread", "category_id": 5,
                     "reply_to_post_number": None if number == 1 else 1}}


def slack_message(ts: str, text: str, *, user: str = "U061F7AUR", channel: str = "C0WEBHOOK") -> dict[str, Any]:
    return {"token": "XXYYZZ", "team_id": "T1H9RESGL", "api_app_id": "A2H9RFS1A", "type": "event_callback",
            "event_id": f"Ev{ts.replace('.', '')}", "event_time": int(float(ts)),
            "event": {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
                      "event_ts": ts, "channel_type": "channel"}}


def github_comment(comment_id: int, text: str, *, issue_number: int = 7, user_id: int = 5001) -> dict[str, Any]:
    user = {"id": user_id, "login": f"dev{user_id}", "type": "User"}
    return {"action": "created",
            "issue": {"id": 70000 + issue_number, "number": issue_number, "title": "Webhook issue", "body": "It broke.",
                      "user": user, "created_at": "2026-05-18T09:00:00Z", "html_url": "https://github.com/o/r/issues/7",
                      "reactions": {"total_count": 0}},
            "comment": {"id": comment_id, "body": text, "user": user, "created_at": "2026-05-19T09:00:00Z",
                        "html_url": f"https://github.com/o/r/issues/7#issuecomment-{comment_id}",
                        "reactions": {"total_count": 1}},
            "repository": {"id": 1, "full_name": "o/r", "name": "r", "owner": {"login": "o"}},
            "sender": user}


def body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()

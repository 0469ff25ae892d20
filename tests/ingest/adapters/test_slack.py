"""The Slack adapter against the real export samples in ../shared/data/platform_formats.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from insight.ingest.adapters.slack import SlackAdapter, slack_text
from insight.ingest.base import RawRow, Reason
from tests.support.ingest import (
    FIXTURES,
    SLACK,
    assert_valid,
    load_json,
    member_rows,
    needs_samples,
    post_rows,
    reject_rows,
    resolve,
    sample_files,
    sample_ids,
)


def _slack_channels() -> dict[str, str]:
    return {c["name"]: c["id"] for c in load_json(SLACK / "channels.json")}


SLACK_FILES = sample_files(SLACK)


@needs_samples
@pytest.mark.parametrize("path", SLACK_FILES, ids=sample_ids(SLACK_FILES))
def test_slack_every_export_file(path: Path) -> None:
    rows = list(SlackAdapter().read(path))
    assert_valid(rows, "slack")
    content = load_json(path)
    if path.parent == SLACK:  # metadata: users become members, channel lists yield nothing
        users = [u for u in content if not u.get("is_bot")] if path.name == "users.json" else []
        assert [m.data["author_id"] for m in member_rows(rows)] == [u["id"] for u in users]
        assert not post_rows(rows) and not reject_rows(rows)
        return
    channel_id = _slack_channels()[path.parent.name]
    assert len(post_rows(rows)) + len(reject_rows(rows)) == len(content)
    for row in post_rows(rows):
        msg = resolve(content, row.pointer or "")
        assert row.data["post_id"] == f"{channel_id}:{msg['ts']}"
        assert row.data["channel"] == path.parent.name and row.data["author_id"] == msg["user"]
        stamp = datetime.fromisoformat(row.data["created_at"].replace("Z", "+00:00"))
        assert abs(stamp - datetime.fromtimestamp(float(msg["ts"]), UTC)).total_seconds() < 1e-3
        if msg.get("thread_ts") and msg["thread_ts"] != msg["ts"]:
            assert row.data["kind"] == "reply"
            assert row.data["parent_id"] == row.data["thread_id"] == f"{channel_id}:{msg['thread_ts']}"
        else:
            assert row.data["kind"] == "message" and row.data["parent_id"] is None
            assert row.data["thread_id"] == row.data["post_id"]
    for reject in reject_rows(rows):
        msg = resolve(content, reject.pointer or "")
        assert msg.get("subtype") or msg.get("bot_id") or not msg.get("text")


@needs_samples
def test_slack_export_folder_reads_every_channel_and_links_replies_to_roots() -> None:
    rows = list(SlackAdapter().read(SLACK))
    assert_valid(rows, "slack")
    days = sorted(SLACK.glob("*/*.json"))
    messages = [m for day in days for m in load_json(day)]
    assert len(post_rows(rows)) + len(reject_rows(rows)) == len(messages)
    posts = {r.data["post_id"]: r.data for r in post_rows(rows)}
    replies = [p for p in posts.values() if p["kind"] == "reply"]
    assert replies
    rooted = [p for p in replies if p["parent_id"] in posts]
    assert rooted  # threads whose root is in the export resolve to a real post
    for reply in rooted:
        assert posts[reply["parent_id"]]["thread_id"] == reply["thread_id"]
    text_subtypes = {None, "thread_broadcast", "file_share", "me_message"}
    kinds = Counter(m.get("subtype") for m in messages if m.get("subtype") not in text_subtypes)
    unsupported = Counter(r.reason for r in reject_rows(rows))[Reason.UNSUPPORTED]
    bots = sum(1 for m in messages if m.get("bot_id") and not m.get("subtype"))
    assert unsupported == sum(kinds.values()) + bots
    users = load_json(SLACK / "users.json")
    assert {m.data["author_id"] for m in member_rows(rows)} == {u["id"] for u in users if not u["is_bot"]}


def _tiny_export(root: Path, messages: list[dict[str, Any]]) -> Path:
    (root / "general").mkdir(parents=True)
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]), encoding="utf-8")
    users = [{"id": "U1", "is_bot": False}, {"id": "B9", "is_bot": True}]
    (root / "users.json").write_text(json.dumps(users), encoding="utf-8")
    (root / "general" / "2026-03-01.json").write_text(json.dumps(messages), encoding="utf-8")
    return root


def test_slack_duplicates_bots_and_reactions(tmp_path: Path) -> None:
    base = {"type": "message", "user": "U1", "ts": "1772366400.000100"}
    messages = [
        {
            **base,
            "text": "Hi <@U2|ana>, see <https://x.example/doc|the doc> &amp; <#C7|help>",
            "reactions": [{"name": "tada", "count": 2}, {"name": "+1", "count": 3}],
        },
        {**base, "text": "the same message again"},
        {**base, "ts": "1772366401.000000", "user": "B9", "text": "beep"},
        {**base, "ts": "1772366402.000000", "subtype": "channel_join", "text": "joined"},
    ]
    rows = list(SlackAdapter().read(_tiny_export(tmp_path, messages)))
    assert_valid(rows, "slack")
    (post,) = post_rows(rows)
    assert post.data["text"] == "Hi @ana, see the doc & #help"
    assert post.data["reactions"] == 5
    assert [r.reason for r in reject_rows(rows)] == [Reason.DUPLICATE_IN_INPUT, Reason.UNSUPPORTED, Reason.UNSUPPORTED]
    assert [m.data["author_id"] for m in member_rows(rows)] == ["U1"]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("<!here> deploy at 5", "@here deploy at 5"),
        ("<https://example.org>", "https://example.org"),
        ("a &lt;b&gt;", "a <b>"),
    ],
)
def test_slack_text_markup(raw: str, text: str) -> None:
    assert slack_text(raw) == text


def test_slack_events_api_message() -> None:
    path = FIXTURES / "slack" / "event_callback_message.json"
    event = load_json(path)["event"]
    assert SlackAdapter().sniff(path)
    rows = list(SlackAdapter().read(path))
    assert_valid(rows, "slack")
    (post,) = post_rows(rows)
    assert post.data["post_id"] == f"{event['channel']}:{event['ts']}"
    assert post.data["text"] == event["text"] and post.data["author_id"] == event["user"]


@needs_samples
def test_slack_bot_message_sample_is_unsupported() -> None:
    rows = list(SlackAdapter().read(SLACK.parent / "bot_message.json"))
    assert [(r.reason, r.field) for r in reject_rows(rows)] == [(Reason.UNSUPPORTED, "bot_id")]




@needs_samples
def test_adapters_read_a_copied_export_the_same(tmp_path: Path) -> None:
    """Nothing depends on where an export lives."""
    copy = shutil.copytree(SLACK, tmp_path / "export")
    original = [(r.data if isinstance(r, RawRow) else r.reason) for r in SlackAdapter().read(SLACK)]
    moved = [(r.data if isinstance(r, RawRow) else r.reason) for r in SlackAdapter().read(Path(copy))]
    assert original == moved

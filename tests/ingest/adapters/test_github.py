"""The GitHub adapter against the real webhook payloads in ../shared/data/platform_formats.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from insight.ingest.adapters.github import GitHubAdapter
from insight.ingest.base import Reason, Reject
from tests.support.ingest import (
    GITHUB,
    assert_valid,
    load_json,
    needs_samples,
    post_rows,
    reject_rows,
    sample_files,
    sample_ids,
)

GITHUB_FILES = sample_files(GITHUB, "*.json")
ISSUE_COMMENTS = sample_files(GITHUB / "issue_comment", "*.json")


@needs_samples
@pytest.mark.parametrize("path", GITHUB_FILES, ids=sample_ids(GITHUB_FILES))
def test_github_every_payload(path: Path) -> None:
    payload = load_json(path)
    rows = list(GitHubAdapter().read(path))
    assert_valid(rows, "github")
    assert not reject_rows(rows)
    subject = "issue" if "issue" in payload else "discussion"
    root_id = f"{subject}:{payload[subject]['id']}"
    thread = f"{payload['repository']['full_name']}#{payload[subject]['number']}"
    posts = {r.data["post_id"]: r.data for r in post_rows(rows)}
    assert posts[root_id]["kind"] == "question" and posts[root_id]["parent_id"] is None
    assert posts[root_id]["title"] == payload[subject]["title"]
    assert posts[root_id]["text"] == (payload[subject]["body"] or payload[subject]["title"]).strip()
    assert {p["thread_id"] for p in posts.values()} == {thread}
    carried = [payload[k] for k in ("comment", "answer") if k in payload]
    assert len(posts) == 1 + len(carried)
    for comment in carried:
        row = posts[f"{subject}_comment:{comment['id']}"]
        assert row["parent_id"] == root_id and row["text"] == comment["body"]
        assert row["author_id"] == str(comment["user"]["id"])


@needs_samples
def test_github_answered_discussion_yields_accepted_answer() -> None:
    payload = load_json(GITHUB / "discussion" / "answered.payload.json")
    posts = {r.data["post_id"]: r.data for r in post_rows(list(GitHubAdapter().read(GITHUB / "discussion")))}
    answer = posts[f"discussion_comment:{payload['answer']['id']}"]
    assert answer["accepted_answer"] is True and answer["kind"] == "answer"
    assert answer["parent_id"] == f"discussion:{payload['discussion']['id']}"
    assert answer["channel"].endswith(payload["discussion"]["category"]["name"])


@needs_samples
@pytest.mark.parametrize("path", ISSUE_COMMENTS, ids=sample_ids(ISSUE_COMMENTS))
def test_github_issue_comment_parent_is_the_issue(path: Path) -> None:
    payload = load_json(path)
    rows = {r.data["post_id"]: r.data for r in post_rows(list(GitHubAdapter().read(path)))}
    comment = rows[f"issue_comment:{payload['comment']['id']}"]
    assert comment["parent_id"] == f"issue:{payload['issue']['id']}" and comment["kind"] == "reply"


@needs_samples
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"action": "deleted"}, Reason.UNSUPPORTED),
        ({"issue": {"body": "", "title": " "}}, Reason.EMPTY_TEXT),
        ({"issue": {"user": {"id": 1, "type": "Bot"}}}, Reason.UNSUPPORTED),
    ],
)
def test_github_rejects(tmp_path: Path, change: dict[str, Any], reason: Reason) -> None:
    payload = load_json(GITHUB / "issues" / "opened.payload.json")
    for key, value in change.items():
        payload[key] = {**payload[key], **value} if isinstance(value, dict) else value
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    rows = list(GitHubAdapter().read(path))
    assert [r.reason for r in rows if isinstance(r, Reject)] == [reason]
    assert not post_rows(rows)

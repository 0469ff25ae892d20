"""The adapter contract of ``insight.ingest.base`` on every platform adapter: each sniffs its own
samples and nothing else, a malformed file is one reject, and records of the wrong shape never raise.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.ingest.base import Reason, Reject
from tests.support.ingest import (
    ADAPTERS,
    DISCORD,
    FORMATS,
    GITHUB,
    LIVE,
    SLACK,
    needs_samples,
    sample_files,
    sample_ids,
)


def _expected_format(path: Path) -> set[str]:
    top = path.relative_to(FORMATS).parts[0]
    if top.startswith("discourse_"):
        return set() if path.suffix != ".json" else {"discourse"}
    return {
        "slack_export_slackdump_fixture": {"slack"},
        "discord_chat_exporter_json": {"discord"},
        "github_webhooks": {"github"},
    }.get(top, set())


SNIFFED = [
    p for p in sample_files(FORMATS)
    if not p.relative_to(FORMATS).parts[0].startswith("slack_api") and p.name != "SOURCE.md"
]


@needs_samples
@pytest.mark.parametrize("path", SNIFFED, ids=sample_ids(SNIFFED))
def test_adapters_sniff_each_sample_as_its_own_format(path: Path) -> None:
    assert {name for name, adapter in ADAPTERS.items() if adapter.sniff(path)} == _expected_format(path)


@needs_samples
@pytest.mark.parametrize(
    ("folder", "name"), [(LIVE, "discourse"), (SLACK, "slack"), (DISCORD, "discord"), (GITHUB, "github")]
)
def test_adapters_sniff_export_folders(folder: Path, name: str) -> None:
    assert {n for n, adapter in ADAPTERS.items() if adapter.sniff(folder)} == {name}


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_adapters_malformed_json_is_one_reject(tmp_path: Path, name: str) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"latest_posts": [{"id": 1,', encoding="utf-8")
    rows = list(ADAPTERS[name].read(bad))
    assert len(rows) == 1 and isinstance(rows[0], Reject)
    assert rows[0].reason is Reason.MALFORMED and rows[0].source == str(bad)
    assert not ADAPTERS[name].sniff(bad)




JUNK = {
    "discourse": {
        "latest_posts": [
            "not a post",
            {"id": [1], "topic_id": 9, "post_number": 2},
            {"id": 2, "topic_id": {"x": 1}, "post_number": [2], "reply_to_post_number": [1], "raw": 5},
            {
                "id": 3,
                "topic_id": 9,
                "post_number": 2,
                "user_id": "u",
                "raw": "fine",
                "created_at": "2026-01-01T00:00:00Z",
            },
        ]
    },
    "slack": {"type": "event_callback", "event": {"type": "message", "channel": ["C1"], "ts": {"a": 1}}},
    "discord": {"guild": {}, "channel": {}, "messages": ["x", {"id": 5, "author": "me", "content": 7}, {"id": 6}]},
    "github": {"action": "opened", "repository": {}, "issue": {"id": 1, "number": 2, "title": 3, "user": "x"}},
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_adapters_never_raise_on_records_of_the_wrong_shape(tmp_path: Path, name: str) -> None:
    path = tmp_path / "junk.json"
    path.write_text(json.dumps(JUNK[name]), encoding="utf-8")
    rows = list(ADAPTERS[name].read(path))
    assert rows and any(isinstance(r, Reject) for r in rows)
    for row in rows:
        if isinstance(row, Reject):
            assert row.reason in Reason and row.source == str(path)

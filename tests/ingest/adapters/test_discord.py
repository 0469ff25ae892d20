"""The Discord adapter against the real DiscordChatExporter samples in ../shared/data/platform_formats.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from insight.ingest.adapters.discord import DiscordAdapter
from insight.ingest.base import Reason
from tests.support.ingest import (
    DISCORD,
    assert_valid,
    load_json,
    needs_samples,
    post_rows,
    reject_rows,
    resolve,
    sample_files,
    sample_ids,
)

DISCORD_FILES = sample_files(DISCORD, "*.json")


@needs_samples
@pytest.mark.parametrize("path", DISCORD_FILES, ids=sample_ids(DISCORD_FILES))
def test_discord_every_export(path: Path) -> None:
    export = load_json(path)
    rows = list(DiscordAdapter().read(path))
    assert_valid(rows, "discord")
    posts, rejects = post_rows(rows), reject_rows(rows)
    assert posts
    assert len(posts) + len(rejects) == len(export["messages"])
    ids = Counter(m["id"] for m in export["messages"])
    duplicates = sum(n - 1 for n in ids.values())
    assert [r.reason for r in rejects].count(Reason.DUPLICATE_IN_INPUT) == duplicates
    assert len({p.data["post_id"] for p in posts}) == len(posts)
    for row in posts:
        msg = resolve(export, row.pointer or "")
        assert msg["type"] in ("Default", "Reply") and not msg["author"]["isBot"]
        assert row.data["thread_id"] == export["channel"]["id"]
        assert row.data["reactions"] == sum(r["count"] for r in msg["reactions"])
        reference = (msg.get("reference") or {}).get("messageId")
        assert row.data["parent_id"] == reference
        assert row.data["kind"] == ("reply" if reference else "message")
    for reject in rejects:
        msg = resolve(export, reject.pointer or "")
        if reject.reason is Reason.UNSUPPORTED:
            assert msg["type"] not in ("Default", "Reply") or msg["author"]["isBot"]


@needs_samples
def test_discord_folder_read_reports_ids_repeated_across_files() -> None:
    messages = [m["id"] for path in DISCORD_FILES for m in load_json(path)["messages"]]
    rows = list(DiscordAdapter().read(DISCORD))
    duplicates = [r for r in reject_rows(rows) if r.reason is Reason.DUPLICATE_IN_INPUT]
    assert len(duplicates) == len(messages) - len(set(messages))

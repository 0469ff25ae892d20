"""The platform export samples (../shared/data/platform_formats) and what adapter tests check on every row.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from insight.ingest.adapters.discord import DiscordAdapter
from insight.ingest.adapters.discourse import DiscourseAdapter
from insight.ingest.adapters.github import GitHubAdapter
from insight.ingest.adapters.slack import SlackAdapter
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.validate import to_member, to_post
from tests.support.paths import PLATFORM_FORMATS as FORMATS
from tests.support.paths import TEST_DATA as FIXTURES

LIVE = FORMATS / "discourse_live_api_examples"
CLIENT = FORMATS / "discourse_api_client_fixtures"
SLACK = FORMATS / "slack_export_slackdump_fixture" / "export_dir"
DISCORD = FORMATS / "discord_chat_exporter_json"
GITHUB = FORMATS / "github_webhooks"

ADAPTERS = {a.name: a for a in (DiscourseAdapter(), SlackAdapter(), DiscordAdapter(), GitHubAdapter())}

needs_samples = pytest.mark.skipif(not FORMATS.is_dir(), reason="../shared/data/platform_formats is not here")

__all__ = ["ADAPTERS", "CLIENT", "DISCORD", "FIXTURES", "FORMATS", "GITHUB", "LIVE", "SLACK", "assert_valid",
           "load_json", "member_rows", "needs_samples", "post_rows", "reject_rows", "resolve", "sample_files",
           "sample_ids"]


def sample_files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file()) if folder.is_dir() else []


def sample_ids(paths: list[Path]) -> list[str]:
    """Test ids for sample files: their paths inside the samples folder."""
    return [str(p.relative_to(FORMATS)) for p in paths]


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def resolve(doc: Any, pointer: str) -> Any:
    """The part of ``doc`` a JSON pointer (``/a/0/b``) names."""
    for part in filter(None, pointer.split("/")):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def post_rows(rows: list[RawRow | Reject]) -> list[RawRow]:
    return [r for r in rows if isinstance(r, RawRow) and r.kind == "post"]


def member_rows(rows: list[RawRow | Reject]) -> list[RawRow]:
    return [r for r in rows if isinstance(r, RawRow) and r.kind == "member"]


def reject_rows(rows: list[RawRow | Reject]) -> list[Reject]:
    return [r for r in rows if isinstance(r, Reject)]


def assert_valid(rows: list[RawRow | Reject], platform: str) -> None:
    """Every row validates into a record; every reject says where and why."""
    for row in rows:
        if isinstance(row, Reject):
            assert isinstance(row.reason, Reason) and row.detail and row.source
            continue
        assert row.data["platform"] == platform
        assert row.pointer is not None or row.line is not None
        if row.kind == "post":
            post, _ = to_post(row.data, 20000)
            assert post.platform == platform and post.text
        else:
            assert to_member(row.data).platform == platform

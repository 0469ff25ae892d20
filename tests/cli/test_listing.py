"""`--format json|jsonl|table` on the list commands, `--db` from INSIGHT_DATABASE_URL, and help
text printed as written ("[api] host" kept, not eaten as markup)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from insight.cli import command_line
from insight.storage.db import make_engine
from tests.support.cli import cli_json
from tests.support.databases import settings_in
from tests.support.triage import store_threads


@pytest.fixture(scope="module")
def queued(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("listing")
    url = f"sqlite:///{folder / 'q.db'}"
    settings = settings_in(folder, url)
    store_threads(make_engine(settings), settings)
    cli_json("triage", "refresh", "--as-of", "2026-05-20T12:00:00Z", "--db", url)
    cli_json("keys", "create", "--role", "moderator", "--name", "ana", "--db", url)
    return url


def _out(*args: str, env: dict[str, str] | None = None) -> list[str]:
    result = CliRunner().invoke(command_line(), list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()


def test_listing_queue_in_each_format_lists_the_same_items(queued: str) -> None:
    whole = json.loads(_out("triage", "queue", "--db", queued)[-1])  # json: one object, as before
    lines = [json.loads(line) for line in _out("triage", "queue", "--format", "jsonl", "--db", queued)]
    assert lines == whole["items"] and whole["count"] == len(lines) > 3
    header, rule, *rows = _out("triage", "queue", "--format", "table", "--db", queued)
    assert header.split() == ["id", "status", "priority", "reasons", "channel", "title", "thread_id"]
    assert set(rule) == {"-", " "} and len(rows) == len(lines)
    assert rows[0].split()[:3] == [str(lines[0]["id"]), lines[0]["status"], f"{lines[0]['priority']:.3f}"]


def test_listing_history_and_keys(queued: str) -> None:
    actions = [json.loads(line) for line in _out("triage", "history", "--format", "jsonl", "--db", queued)]
    assert actions and all(a["action"] == "open" for a in actions)
    header, _, *rows = _out("triage", "history", "--format", "table", "--db", queued)
    assert header.split()[:4] == ["id", "at", "item_id", "action"] and len(rows) == len(actions)
    keys = _out("keys", "list", "--db", queued)  # keys list keeps its one line per key
    assert json.loads(keys[0])["name"] == "ana"
    assert "moderator" in _out("keys", "list", "--format", "table", "--db", queued)[2]


def test_listing_unknown_format_is_coded(queued: str) -> None:
    for command in (["triage", "queue"], ["triage", "history"], ["stories", "suggestions"], ["keys", "list"]):
        answer = cli_json(*command, "--format", "csv", "--db", queued)
        assert answer["error"] == "E674" and "json, jsonl, table" in answer["message"]


def test_listing_db_from_the_environment(queued: str, tmp_path: Path) -> None:
    lines = _out("triage", "queue", "--format", "jsonl", env={"INSIGHT_DATABASE_URL": queued})
    assert len(lines) > 3


def test_listing_help_shows_config_keys_and_the_database_variable() -> None:
    serve = " ".join(" ".join(_out("serve", "--help")).split())
    assert "(default [api] host, 127.0.0.1)" in serve and "([pipeline] spec)" in serve
    assert "INSIGHT_DATABASE_URL" in serve
    queue = " ".join(" ".join(_out("triage", "queue", "--help")).split())
    assert "--format" in queue and "jsonl" in queue

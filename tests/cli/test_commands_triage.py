"""The triage commands: rank writes the queue file; refresh, queue, act, history and backtest print one JSON
line; errors are coded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.storage.db import make_engine
from tests.support.cli import cli_json as cli
from tests.support.cli import run_cli
from tests.support.databases import settings_in
from tests.support.paths import TRIAGE_DATA
from tests.support.triage import REASON_OF, store_threads


def scored_db(folder: Path) -> str:
    url = f"sqlite:///{folder / 'q.db'}"
    settings = settings_in(folder, url)
    store_threads(make_engine(settings), settings)
    return url


@pytest.fixture
def db(tmp_path: Path) -> str:
    return scored_db(tmp_path)


@pytest.fixture(scope="module")
def queued_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A scored database with a refreshed queue; the error cases below leave it unchanged."""
    url = scored_db(tmp_path_factory.mktemp("cli-errors"))
    cli("triage", "refresh", "--as-of", "2026-05-20T12:00:00Z", "--db", url)
    return url


def test_cli_triage_queue_workflow(db: str) -> None:
    refreshed = cli("triage", "refresh", "--as-of", "2026-05-20T12:00:00Z", "--db", db)
    assert refreshed["opened"] == 18 and refreshed["active"] == 18
    queue = cli("triage", "queue", "--db", db, "--limit", "3")
    assert queue["count"] == 18 and len(queue["items"]) == 3
    assert queue["items"][0]["reasons"][0] == "safety_concern"  # t01 also escalates (a lapsed billing promise)
    unanswered = cli("triage", "queue", "--db", db, "--reason", "unanswered_question")
    assert unanswered["count"] == 5
    item = unanswered["items"][0]["id"]
    done = cli("triage", "act", str(item), "dismiss", "--actor", "mod-ana", "--reason", "answered in chat",
               "--at", "2026-05-20T13:00:00Z", "--db", db)
    assert done["item"]["status"] == "dismissed" and done["action"]["at"] == "2026-05-20T13:00:00+00:00"
    assert cli("triage", "queue", "--db", db, "--status", "dismissed")["count"] == 1
    history = cli("triage", "history", str(item), "--db", db)
    assert [a["action"] for a in history["actions"]] == ["open", "dismiss"]
    assert history["actions"][1]["reason"] == "answered in chat"


@pytest.mark.parametrize("args,code", [
    (("triage", "act", "4242", "resolve", "--actor", "ana"), "E421"),
    (("triage", "act", "1", "archive", "--actor", "ana"), "E621"),
    (("triage", "act", "1", "reopen", "--actor", "ana"), "E622"),
    (("triage", "act", "1", "dismiss", "--actor", "ana"), "E623"),
    (("triage", "act", "1", "resolve", "--actor", "ana", "--at", "yesterday"), "E606"),
    (("triage", "queue", "--status", "closed"), "E606"),
    (("triage", "refresh", "--as-of", "20 May"), "E606"),
    (("triage", "backtest", "--start", "2026-05-20", "--end", "2026-05-01"), "E606"),
    (("triage", "backtest", "--start", "2026-05-01", "--end", "2026-05-20", "--labels", "nope.jsonl"), "E601"),
])
def test_cli_triage_errors_are_coded(queued_db: str, args: tuple[str, ...], code: str) -> None:
    out = cli(*args, "--db", queued_db)
    assert out.get("error") == code, out


@pytest.mark.slow
def test_eval_cli_rank_writes_the_queue_as_product_md_says(tmp_path: Path) -> None:
    out = tmp_path / "queue.jsonl"
    result = run_cli("triage", "rank", str(TRIAGE_DATA / "threads.jsonl"), "--as-of", "2026-05-20T12:00:00Z",
                     "--output", str(out), cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["threads"] == 42 and summary["written"] == 42 and summary["rejected"] == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    for line in lines:
        assert {"thread_id", "needs_attention", "priority", "reasons", "explanation"} <= set(line)
        assert set(line["reasons"]) <= set(REASON_OF.values())
    priorities = [line["priority"] for line in lines]
    assert priorities == sorted(priorities, reverse=True)
    assert lines[0]["reasons"][0] == "safety_concern"
    threat = next(line for line in lines if line["thread_id"] == "t01")
    safety = next(s for s in threat["signals"] if s["reason"] == "safety_concern")
    assert "I know where you live" in [span["span"] for span in safety["spans"]]


@pytest.mark.slow
def test_cli_triage_backtest_on_the_demo_database(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    labels = tmp_path / "labels.jsonl"
    truth = demo_db.community.truth
    labels.write_text("".join(json.dumps({"thread_id": t, "reason": r, "needs_attention": True}) + "\n"
                              for key, r in (("unsafe", "safety_concern"), ("rising_frustration", "rising_frustration"))
                              for t in truth[key]) + "not json\n")
    result = run_cli("triage", "backtest", "--start", "2026-06-01", "--end", "2026-10-31", "--labels", str(labels),
                     "--db", demo_db.url, "--output", str(tmp_path / "days.jsonl"), cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    summary = json.loads(result.stdout)
    assert set(summary["items_per_day"]) == {"safety_concern", "rising_frustration", "unanswered_question",
                                             "amplify_excitement"}
    assert summary["items_per_day"]["unanswered_question"] > 0
    assert summary["precision"]["safety_concern"] == 1.0 and summary["precision"]["amplify_excitement"] is None
    assert summary["rejected_labels"] == 1 and summary["label_rejects"][0]["line"] == 5
    assert len((tmp_path / "days.jsonl").read_text().splitlines()) == summary["steps"] == 153

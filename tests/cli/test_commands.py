"""The batch commands end to end, as a user runs them (subprocess, real models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.paths import PLATFORM_FORMATS


@pytest.mark.slow
def test_cli_score_writes_one_line_per_row(posts_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.jsonl"
    result = run_cli("score", str(posts_csv), "--output", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert summary["rows"] == summary["written"] == len(lines) == 2000
    assert [x["id"] for x in lines[:3]] == ["b0", "b1", "b2"]
    assert {x["sentiment"]["label"] for x in lines} == {"negative", "neutral", "positive"}
    assert all(x["safety"]["label"] in ("safe", "unsafe") for x in lines)
    assert all(x["provenance"][0]["run_id"] == summary["run_id"] for x in lines)


@pytest.mark.parametrize("args,code", [
    (("score", "missing.csv", "--output", "o.jsonl"), "E601"),
    (("topics", "fit", "missing.jsonl", "--output", "o.jsonl"), "E601"),
    (("triage", "rank", "missing.jsonl", "--as-of", "2026-01-01T00:00:00Z", "--output", "q.jsonl"), "E601"),
    (("ingest", "no/such/folder"), "E601"),
    (("report", "--period", "2026-13"), "E606"),
])
def test_cli_bad_paths_give_coded_errors(tmp_path: Path, args: tuple[str, ...], code: str) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_score_reports_bad_rows_and_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Love this community!"}\n{"id": "b", "text": ""}\nnot json\n'
                   '{"id": "c", "text": "The deploy is broken again and nobody answers."}\n')
    out = tmp_path / "o.jsonl"
    result = run_cli("score", str(src), "--output", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["written"] == 2 and summary["rejected"] == 2
    assert {(r["line"], r["reason"]) for r in summary["rejects"]} == {(2, "empty_text"), (3, "malformed")}
    labels = {json.loads(x)["id"]: json.loads(x)["sentiment"]["label"] for x in out.read_text().splitlines()}
    assert labels == {"a": "positive", "c": "negative"}


def test_cli_help_for_every_command(tmp_path: Path) -> None:
    for args in (("--help",), ("demo", "--help"), ("ingest", "--help"), ("score", "--help"),
                 ("topics", "fit", "--help"), ("triage", "rank", "--help"), ("report", "--help")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0 and "Usage" in result.stdout


def test_cli_ingest_platform_exports_then_again_adds_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    folder = PLATFORM_FORMATS
    first = run_cli("ingest", str(folder), "--db", db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {"read", "inserted", "duplicates", "rejected", "rejects"} <= set(summary)
    assert summary["inserted"] > 100 and summary["files"] >= 5  # one per platform export folder
    second = json.loads(run_cli("ingest", str(folder), "--db", db, cwd=tmp_path).stdout)
    assert second["inserted"] == 0 and second["duplicates"] >= summary["inserted"]
    if summary["rejected"]:
        rejects = [json.loads(x) for x in Path(summary["rejects"]).read_text().splitlines()]
        assert all(r["source"] and r["reason"] for r in rejects)

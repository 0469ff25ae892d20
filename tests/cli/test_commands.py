"""The batch commands end to end, as a user runs them (subprocess, real models)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA


def run_cli(*args: str, cwd: Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSIGHT_DATA_DIR": str(cwd), **(env_extra or {})}
    env.pop("INSIGHT_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "insight", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def posts_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 real member questions (Banking77) as an id/text CSV."""
    folder = tmp_path_factory.mktemp("posts")
    target = folder / "posts.csv"
    with (SHARED_DATA / "banking77" / "train.csv").open() as src, target.open("w", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(["id", "text"])
        for i, row in enumerate(csv.DictReader(src)):
            if i == 2000:
                break
            writer.writerow([f"b{i}", row["text"]])
    return target


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


@pytest.mark.slow
def test_cli_topics_fit_writes_one_line_per_row(posts_csv: Path, tmp_path: Path) -> None:
    out, topics = tmp_path / "topics.jsonl", tmp_path / "topics.json"
    result = run_cli("topics", "fit", str(posts_csv), "--output", str(out), "--topics-out", str(topics),
                     "--seed", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 2000
    info = json.loads(topics.read_text())
    real = [t for t in info if t["topic"] != -1]
    assert len(real) >= 5
    assert all(len(t["words"]) <= 10 and t["label"] for t in real)
    assert sum(t["size"] for t in info) == 2000
    assert sum(x["topic"] == -1 for x in lines) / 2000 < 0.10
    # Card questions and transfer questions should not share one topic.
    by_id = {x["id"]: x["topic"] for x in lines}
    assert by_id["b0"] != -1


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
    folder = SHARED_DATA / "platform_formats"
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

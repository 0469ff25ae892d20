"""The topic commands (real models): `insight topics fit` as a user runs it, and `--save` / `--previous`
and `insight topics assign` in process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.support.cli import cli_json as cli
from tests.support.cli import run_cli
from tests.support.topics import Sample

N_FIRST, N_MORE = 1000, 1200  # smaller than the library tests: every run embeds through the pipeline


def write_posts(path: Path, texts: list[str], start: int) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        writer.writerows([f"p{start + i}", t] for i, t in enumerate(texts))
    return path


def lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in path.read_text().splitlines()]


@pytest.mark.slow
def test_cli_topics_fit_save_assign_and_refit_keep_ids(banking: Sample, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_DATA_DIR", str(tmp_path))
    first = write_posts(tmp_path / "first.csv", banking.texts[:N_FIRST], 0)
    newer = write_posts(tmp_path / "new.csv", banking.texts[N_FIRST:N_MORE], N_FIRST)
    summary = cli("topics", "fit", str(first), "--output", str(tmp_path / "t1.jsonl"), "--topics-out",
                  str(tmp_path / "topics.json"), "--save", str(tmp_path / "model"), "--seed", "11")
    assert summary["written"] == N_FIRST and summary["outlier_share"] < 0.10
    info = json.loads((tmp_path / "topics.json").read_text())
    assert {"topic", "label", "words", "size"} <= set(info[0]) and sum(t["size"] for t in info) == N_FIRST
    assert all(r.startswith("p") for t in info for r in t["representatives"])

    assigned = cli("topics", "assign", str(newer), "--model", str(tmp_path / "model"),
                   "--output", str(tmp_path / "new.jsonl"))
    assert assigned["written"] == N_MORE - N_FIRST
    known = {t["topic"] for t in info} | {-1}
    assert {r["topic"] for r in lines(tmp_path / "new.jsonl")} <= known

    both = write_posts(tmp_path / "all.csv", banking.texts[:N_MORE], 0)
    refit = cli("topics", "fit", str(both), "--output", str(tmp_path / "t2.jsonl"), "--previous",
                str(tmp_path / "model"), "--seed", "11")
    assert refit["lineage"]["kept"] > 0
    before = {r["id"]: r["topic"] for r in lines(tmp_path / "t1.jsonl")}
    after = {r["id"]: r["topic"] for r in lines(tmp_path / "t2.jsonl")}
    # The 90% bar on 2,000 -> 2,400 posts is test_identity's; here the ids pass through the files.
    assert sum(before[i] == after[i] for i in before) / len(before) >= 0.85


def test_cli_topics_assign_needs_a_saved_model(tmp_path: Path) -> None:
    posts = write_posts(tmp_path / "p.csv", ["my card is blocked"], 0)
    (tmp_path / "empty").mkdir()
    assert cli("topics", "assign", str(posts), "--model", str(tmp_path / "empty"), "--output",
               str(tmp_path / "o.jsonl"))["error"] == "E306"
    assert cli("topics", "assign", str(posts), "--model", str(tmp_path / "none"), "--output",
               str(tmp_path / "o.jsonl"))["error"] == "E601"


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

"""``insight stories ...`` as a user runs it (subprocess, real models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.demo.seeds import seed_rows
from tests.cli.test_commands import run_cli
from tests.stories.conftest import A1_STORY, A2_STORY, DEMO_TAXONOMY, write_community

pytestmark = pytest.mark.slow


def test_cli_stories_tag_writes_the_product_format(tmp_path: Path) -> None:
    rows = [{"id": "s1", "text": A1_STORY}, {"id": "s2", "text": A2_STORY}, {"id": "q1", "text": "How do I export?"},
            {"id": "bad", "text": ""}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "seeds.jsonl").write_text("".join(json.dumps(r) + "\n" for r in seed_rows())
                                          + '{"text": "x", "tags": ["unknown_tag"]}\n')
    done = run_cli("stories", "tag", "in.jsonl", "--taxonomy", str(DEMO_TAXONOMY), "--examples", "seeds.jsonl",
                   "--output", "out.jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["written"] == 3 and summary["rejected"] == 1 and summary["rejected_examples"] == 1
    out = {r["id"]: r for r in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())}
    assert set(out["s1"]) >= {"id", "is_story", "tags"}
    assert out["s1"]["is_story"] and out["s1"]["tags"][0]["tag"] == "mentor_guidance"
    assert 0 <= out["s1"]["tags"][0]["score"] <= 1
    assert not out["q1"]["is_story"] and out["q1"]["tags"] == []


def test_cli_stories_loop_and_coded_errors(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'db.sqlite'}"]
    assert run_cli("ingest", *map(str, write_community(tmp_path / "c")), *db, cwd=tmp_path).returncode == 0
    missing = run_cli("stories", "pairs", "--period", "2026-03", *db, cwd=tmp_path)
    assert missing.returncode == 2 and "[E434]" in missing.stderr
    assert run_cli("stories", "taxonomy", "load", str(DEMO_TAXONOMY), *db, cwd=tmp_path).returncode == 0
    (tmp_path / "seeds.jsonl").write_text("".join(json.dumps(r) + "\n" for r in seed_rows()))
    assert run_cli("stories", "seed", "seeds.jsonl", *db, cwd=tmp_path).returncode == 0
    detected = json.loads(run_cli("stories", "detect", *db, cwd=tmp_path).stdout)
    assert detected["stories_found"] >= 3
    queue = json.loads(run_cli("stories", "suggestions", *db, cwd=tmp_path).stdout)
    first = queue["items"][0]
    done = run_cli("stories", "review", str(first["suggestion_id"]), "confirm", "--actor", "ana", *db, cwd=tmp_path)
    assert json.loads(done.stdout)["actor"] == "person:ana"
    again = run_cli("stories", "review", str(first["suggestion_id"]), "confirm", "--actor", "ana", *db, cwd=tmp_path)
    assert again.returncode == 2 and "[E432]" in again.stderr
    pairs = json.loads(run_cli("stories", "pairs", "--period", "2026-03", *db, cwd=tmp_path).stdout)
    assert pairs["count"] > 0
    trail = json.loads(run_cli("stories", "trace", pairs["pairs"][0]["link_id"], *db, cwd=tmp_path).stdout)
    assert trail["sources"][0]["source_id"] in pairs["pairs"][0]["source_post_ids"]

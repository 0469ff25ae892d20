"""``insight stories ...`` as a user runs it (subprocess, real models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from insight.demo.seeds import seed_rows
from tests.support.cli import run_cli
from tests.support.stories import A1_STORY, A2_STORY, DEMO_TAXONOMY, write_community

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


def _invoke(*args: str) -> tuple[int, str]:
    """In-process, so the models load once for the whole loop."""
    from insight.cli import command_line

    result = CliRunner().invoke(command_line(), list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return 2, f"{result.exception}"
    return result.exit_code, result.stdout


def test_cli_stories_loop_and_coded_errors(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'db.sqlite'}", "--config", str(_fast_config(tmp_path))]
    assert _invoke("ingest", *map(str, write_community(tmp_path / "c")), *db)[0] == 0
    code, out = _invoke("stories", "pairs", "--period", "2026-03", *db)
    assert code == 2 and "[E434]" in out
    assert _invoke("stories", "taxonomy", "load", str(DEMO_TAXONOMY), *db)[0] == 0
    (tmp_path / "seeds.jsonl").write_text("".join(json.dumps(r) + "\n" for r in seed_rows()))
    assert _invoke("stories", "seed", str(tmp_path / "seeds.jsonl"), *db)[0] == 0
    assert json.loads(_invoke("stories", "detect", *db)[1])["stories_found"] >= 3
    first = json.loads(_invoke("stories", "suggestions", *db)[1])["items"][0]
    done = _invoke("stories", "review", str(first["suggestion_id"]), "confirm", "--actor", "ana", *db)
    assert json.loads(done[1])["actor"] == "person:ana"
    code, out = _invoke("stories", "review", str(first["suggestion_id"]), "confirm", "--actor", "ana", *db)
    assert code == 2 and "[E432]" in out
    pairs = json.loads(_invoke("stories", "pairs", "--period", "2026-03", *db)[1])
    assert pairs["count"] > 0
    trail = json.loads(_invoke("stories", "trace", pairs["pairs"][0]["link_id"], *db)[1])
    assert trail["sources"][0]["source_id"] in pairs["pairs"][0]["source_post_ids"]
    shown = json.loads(_invoke("stories", "taxonomy", "show", *db)[1])
    assert shown["current"]["version"] == "2026-11"


def _fast_config(tmp_path: Path) -> Path:
    path = tmp_path / "fast.toml"
    path.write_text(f'data_dir = "{tmp_path}"\n[redaction]\nnames = false\n')
    return path

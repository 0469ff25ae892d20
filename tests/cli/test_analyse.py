"""``insight analyse`` on the command line: its summary line, progress on stderr, coded errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.analyse import CHEAP_SCORING_TOML, COMMUNITY
from tests.support.cli import cli_json, run_cli


@pytest.mark.slow
def test_analyse_prints_its_summary_and_a_progress_bar_per_stage(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    (tmp_path / "cheap.toml").write_text(CHEAP_SCORING_TOML)
    assert run_cli("ingest", str(COMMUNITY / "community.jsonl"), "--db", db, cwd=tmp_path).returncode == 0
    spec = tmp_path / "spec.toml"
    spec.write_text('name = "cli"\nstages = ["score", "triage"]\nschedule = ""\n')
    result = run_cli("analyse", "--spec", str(spec), "--config", str(tmp_path / "cheap.toml"), "--db", db,
                     "--as-of", "2026-09-18T00:00:00Z", cwd=tmp_path, env_extra={"TQDM_MININTERVAL": "0"})
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("posts_scored", "posts_skipped", "feedback_scored", "topics", "stories_suggested", "queue_active",
                "run_id"):
        assert key in summary
    assert summary["posts_scored"] == 18 and summary["spec"] == "cli" and summary["queue_active"] >= 1
    assert "score posts" in result.stderr and "18/18" in result.stderr


@pytest.mark.parametrize(("args", "code"), [
    (("analyse", "--spec", "missing.toml"), "E207"),
    (("analyse", "--engine", "spark"), "E606"),
    (("analyse", "--since", "yesterday"), "E606"),
])
def test_analyse_refuses_bad_options_with_codes(args: tuple[str, ...], code: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli_json(*args, "--db", f"sqlite:///{tmp_path / 'x.db'}")["error"] == code

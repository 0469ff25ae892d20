"""`insight experiments list | readout`: the registry as JSON, a readout on stored data, coded errors."""

from __future__ import annotations

from pathlib import Path

from insight.demo.community import generate_community
from tests.support.cli import cli_json


def test_experiments_list_and_readout_on_the_demo_registry(tmp_path: Path) -> None:
    files = generate_community(seed=7).write(tmp_path / "data")
    listed = cli_json("experiments", "list", "--experiments", str(files["experiments"]))
    (entry,) = listed["experiments"]
    assert entry["name"] == "answer-reminder" and entry["design"] == "randomised"
    assert entry["arms"] == {"reminder": 150, "control": 150} and entry["kpi"] == "solution_acceptance_rate"
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    missing = cli_json("experiments", "readout", "nope", "--experiments", str(files["experiments"]), "--db", db)
    assert missing["error"] == "E658" and "answer-reminder" in missing["message"]
    assert cli_json("experiments", "list", "--experiments", str(tmp_path / "none.toml"))["error"] == "E655"

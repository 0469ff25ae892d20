"""`insight business ingest` and `insight business influence` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.business import EXPECTED_REJECTS, GOOD, write_business
from tests.support.cli import cli_json, run_cli
from tests.support.stories import write_community


def test_cli_business_ingest_prints_the_summary_and_writes_rejects(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    rejects = tmp_path / "rejects.jsonl"
    files = [str(p) for p in write_business(tmp_path / "files")]
    summary = cli_json("business", "ingest", *files, "--rejects", str(rejects), "--db", db)
    assert {k: summary[k] for k in GOOD} == GOOD and summary["rejected"] == len(EXPECTED_REJECTS)
    assert len(rejects.read_text().splitlines()) == len(EXPECTED_REJECTS)
    assert summary["files"][files[0]] == "outcome"
    again = cli_json("business", "ingest", *files, "--db", db)
    assert again["inserted"] == 0 and again["duplicates"] == sum(GOOD.values())


def test_cli_business_errors_are_coded(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("foo\n1\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.db'}"
    assert cli_json("business", "ingest", str(odd), "--db", db)["error"] == "E690"
    assert cli_json("business", "ingest", str(odd), "--kind", "deals", "--db", db)["error"] == "E691"
    assert cli_json("business", "influence", "--period", "2026-03", "--db", db)["error"] == "E730"
    result = run_cli("business", "ingest", "missing.csv", cwd=tmp_path)
    assert result.returncode == 2 and "[E601]" in result.stderr


def test_cli_business_influence_prints_the_section(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.db'}"
    cli_json("ingest", *[str(p) for p in write_community(tmp_path / "community")], "--db", db)
    cli_json("business", "ingest", *[str(p) for p in write_business(tmp_path / "files")], "--db", db)
    section = cli_json("business", "influence", "--period", "2026-10", "--db", db)
    assert [m["model"] for m in section["models"]] == ["first_touch", "last_touch", "linear", "position_based",
                                                        "time_decay", "blended"]
    assert section["deflection_savings"]["assumptions"][3]["value"] == 22.0  # cost_per_ticket of 2026-10
    json.dumps(section)  # plain JSON all through
    one = cli_json("business", "influence", "--period", "2026-10", "--model", "linear", "--db", db)
    assert [m["model"] for m in one["models"]] == ["linear"]
    assert cli_json("business", "influence", "--period", "2026-10", "--model", "u", "--db", db)["error"] == "E731"

"""Documented commands on hostile inputs: coded errors, never a hang, a traceback or an overwritten input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.cli import cli_json, run_cli


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "ok.csv"
    path.write_text("id,text\n1,hello there\n2,😀😀😀\n")
    return path


def test_output_equal_to_input_is_refused_and_the_input_kept(table: Path) -> None:
    before = table.read_text()
    assert cli_json("score", str(table), "--output", str(table))["error"] == "E671"
    same_by_another_name = table.parent / "." / table.name
    assert cli_json("triage", "rank", str(table), "--as-of", "2026-01-01T00:00:00Z", "--output",
                    str(same_by_another_name))["error"] == "E671"
    assert table.read_text() == before


def test_non_regular_inputs_are_coded_errors(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for source in (fifo, Path("/dev/null"), Path("/proc/self/status")):
        answer = cli_json("score", str(source), "--output", str(tmp_path / "o.jsonl"))
        assert answer["error"] == "E670", (source, answer)
    assert cli_json("ingest", str(fifo), "--db", f"sqlite:///{tmp_path / 'x.db'}")["error"] == "E670"


def test_unwritable_outputs_and_out_of_range_options(table: Path, tmp_path: Path) -> None:
    assert cli_json("score", str(table), "--output", "/proc/x.jsonl")["error"] == "E672"
    assert cli_json("report", "--period", "2026-01", "--out", "/proc/x")["error"] == "E672"
    assert cli_json("report", "--period", "9999-12", "--out", str(tmp_path))["error"] == "E606"
    db = f"sqlite:///{tmp_path / 'b.db'}"
    for start, end, step in (("0001-01-01", "9999-12-31", "1D"), ("2020-01-01", "2100-12-31", "1H")):
        assert cli_json("triage", "backtest", "--start", start, "--end", end, "--step", step, "--db", db)["error"] \
            == "E606"


def test_no_traceback_as_a_user_runs_them(table: Path, tmp_path: Path) -> None:
    """As a subprocess: a usage error for --seed -1, and the catch-all E673 for anything unforeseen."""
    seed = run_cli("demo", "--seed", "-1", "--out", str(tmp_path / "d"), cwd=tmp_path, timeout=120)
    assert seed.returncode == 2 and "Traceback" not in seed.stderr and "--seed" in seed.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[ingest]\nearliest = \"2026-02-30\"\n")  # a config value no check foresaw is still coded
    answer = run_cli("ingest", str(table), "--config", str(broken), cwd=tmp_path, timeout=120)
    assert answer.returncode in (2, 3) and "Traceback" not in answer.stderr and "error: [E" in answer.stderr

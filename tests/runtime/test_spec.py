"""Pipeline specs: the shipped files load, bad ones get coded errors, schedules fire when they say."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from insight.errors import ConfigError, PipelineError
from insight.runtime.spec import ANALYSE_STAGES, AnalyseSpec, check_stages, load_spec, next_run
from tests.support.paths import REPO

PIPELINES = REPO / "pipelines"


def test_shipped_specs_load_and_say_what_they_run() -> None:
    daily = load_spec(PIPELINES / "daily.toml")
    assert daily.stages == list(ANALYSE_STAGES) and daily.engine == "local" and daily.schedule == "daily 03:00"
    assert daily.encoder == ["insight.signals.v1"]
    backfill = load_spec(PIPELINES / "backfill.toml")
    assert backfill.engine == "ray" and backfill.refit and backfill.schedule is None
    # The built-in spec `insight serve` runs without [pipeline] spec is the daily file's.
    assert AnalyseSpec().stages == daily.stages and AnalyseSpec().schedule == daily.schedule


def test_stages_run_in_pipeline_order_whatever_the_listing(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('stages = ["kpis", "score"]\n')
    assert load_spec(path).stages == ["score", "kpis"]
    assert check_stages(["triage", "topics"], "--stages") == ["topics", "triage"]


@pytest.mark.parametrize(("text", "code", "where"), [
    ('stages = ["score", "sentiment"]\n', "E208", "stages"),
    ("batch_size = 0\n", "E208", "batch_size"),
    ('engine = "spark"\n', "E208", "engine"),
    ("surprise = 1\n", "E208", "surprise"),
    ("stages = [\n", "E207", "s.toml"),
])
def test_bad_specs_get_coded_errors_naming_the_place(tmp_path: Path, text: str, code: str, where: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(PipelineError) as caught:
        load_spec(path)
    assert caught.value.code == code and where in caught.value.message


def test_missing_spec_and_unknown_stage_are_coded(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="E207"):
        load_spec(tmp_path / "nope.toml")
    with pytest.raises(PipelineError, match="E209"):
        check_stages(["score", "vibes"], "--stages")


def test_schedules() -> None:
    at = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    assert next_run("daily 03:00", at) == datetime(2026, 10, 2, 3, 0, tzinfo=UTC)
    assert next_run("daily 13:30", at) == datetime(2026, 10, 1, 13, 30, tzinfo=UTC)
    assert next_run("every 15 minutes", at) == datetime(2026, 10, 1, 12, 15, tzinfo=UTC)
    assert next_run("every 2 hours", at) == datetime(2026, 10, 1, 14, 0, tzinfo=UTC)
    for bad in ("weekly", "daily 25:00", "every 0 hours"):
        with pytest.raises(ConfigError, match="E210"):
            next_run(bad, at)

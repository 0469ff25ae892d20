"""`insight experiments list | readout NAME`: parse, call insight.services.experiments, print JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from insight.cli.commands import _settings
from insight.cli.listing import FormatOpt, check_format, emit_rows
from insight.cli.root import ConfigOpt, DbOpt, emit, experiments_app
from insight.storage.db import make_engine

FileOpt = Annotated[Path | None, typer.Option("--experiments", help="experiments.toml (default: [reports] "
                                                                     "experiments of the config).")]


@experiments_app.command("list")
def experiments_list(experiments: FileOpt = None, format: FormatOpt = "json", config: ConfigOpt = None) -> None:
    """The registered experiments: hypothesis, KPI, unit, assignment, dates, MDE and power."""
    from insight.services.experiments import list_experiments

    check_format(format)
    emit_rows(list_experiments(_settings(config, None), experiments), format, key="experiments",
              columns=("name", "kpi", "unit", "start", "end", "mde", "power", "hypothesis"))


@experiments_app.command("readout")
def experiments_readout(
    name: Annotated[str, typer.Argument(help="The experiment's name in the experiments file.")],
    experiments: FileOpt = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Read one experiment out: uplift, ci_low, ci_high, p_value, n_per_arm, method (and the pre-trend check)."""
    from insight.services.experiments import experiment_readout

    settings = _settings(config, db)
    emit(experiment_readout(make_engine(settings), settings, name, experiments))

"""`insight topics fit | assign`: parse, call insight.services.topics, print the summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from insight.cli.commands import _require_file
from insight.cli.root import ConfigOpt, emit, topics_app
from insight.config import load_config
from insight.services import inputs
from insight.storage import runs

ModelDirOpt = Annotated[Path | None, typer.Option("--save", help="Folder to save the fitted model in (no pickle).")]


@topics_app.command("fit")
def topics_fit(
    input: Annotated[Path, typer.Argument(help="CSV or JSONL with `id` and `text` columns.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL: id, topic, probability.")],
    topics_out: Annotated[Path | None, typer.Option("--topics-out", help="JSON list of topics.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default from config).")] = None,
    save: ModelDirOpt = None,
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="A saved model: topics that persist keep its ids and labels.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Fit topics on a file of posts; topic -1 means outlier."""
    from insight.services.topics import topics_fit_file

    summary = topics_fit_file(_require_file(input), output, settings=load_config(config), run_id=runs.new_run_id(),
                              topics_out=topics_out, seed=seed, save=save,
                              previous=inputs.input_path(previous, folders=True) if previous else None)
    emit(summary.as_dict())


@topics_app.command("assign")
def topics_assign(
    input: Annotated[Path, typer.Argument(help="CSV or JSONL with `id` and `text` columns.")],
    model: Annotated[Path, typer.Option("--model", help="A folder written by `insight topics fit --save`.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL: id, topic, probability.")],
    config: ConfigOpt = None,
) -> None:
    """Assign new posts to the topics of a saved model, without refitting."""
    from insight.services.topics import topics_assign_file

    emit(topics_assign_file(_require_file(input), output, settings=load_config(config), run_id=runs.new_run_id(),
                            model_dir=inputs.input_path(model, folders=True)).as_dict())

"""``insight analyse``: the pipeline on the stored data (parse, call ``services.analyse``, print the summary)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from insight.cli.commands import _settings
from insight.cli.root import ConfigOpt, DbOpt, app, emit
from insight.errors import InputError


@app.command()
def analyse(
    since: Annotated[str | None, typer.Option(help="ISO-8601: only posts and answers created from then on.")] = None,
    spec: Annotated[Path | None, typer.Option(help="A pipeline spec (pipelines/NAME.toml): stages, engine, "
                                                   "batch size.")] = None,
    rescore: Annotated[bool, typer.Option(help="Also re-score what an older model revision scored.")] = False,
    refit: Annotated[bool, typer.Option(help="Refit the topic model (topic ids are kept).")] = False,
    engine: Annotated[str | None, typer.Option(help="local|ray (default: the spec's, else [pipeline] engine).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO-8601 time the triage queue is ranked at "
                                                              "(default: now).")] = None,
    progress: Annotated[bool, typer.Option(help="Progress bars on stderr.")] = True,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Score, topic, detect stories, refresh the queue and materialise KPIs for what is stored and not yet analysed."""
    from insight.runtime.spec import AnalyseSpec, load_spec
    from insight.services.analyse import analyse as run
    from insight.services.analyse import no_progress, tqdm_progress
    from insight.services.triage import parse_as_of
    from insight.storage.db import make_engine, share_between_writers

    settings = _settings(config, db)
    chosen = load_spec(spec) if spec is not None else AnalyseSpec()
    if engine is not None:
        if engine not in ("local", "ray"):
            raise InputError("E606", option="--engine", detail=f"'{engine}'; use local or ray")
        chosen = chosen.model_copy(update={"engine": engine})
    summary = run(share_between_writers(make_engine(settings)), settings, chosen,
                  since=parse_as_of(since, "--since") if since else None, rescore=rescore, refit=refit,
                  as_of=parse_as_of(as_of) if as_of else None, progress=tqdm_progress if progress else no_progress)
    emit(summary)

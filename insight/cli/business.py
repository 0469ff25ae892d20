"""`insight business ingest` and `insight business influence`: parse, call a service, print JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from insight.cli.commands import _settings
from insight.cli.root import ConfigOpt, DbOpt, app, emit
from insight.services import inputs
from insight.storage.db import make_engine

business_app = typer.Typer(help="Business data: accounts, links, touchpoints, outcomes, support costs; "
                                "community influence.", no_args_is_help=True)
app.add_typer(business_app, name="business")


@business_app.command("ingest")
def business_ingest(
    paths: Annotated[list[Path], typer.Argument(help="CSV, JSONL or JSON files of business rows.")],
    kind: Annotated[str, typer.Option("--kind", help="auto|accounts|links|touchpoints|outcomes|support_costs")
                    ] = "auto",
    rejects: Annotated[Path | None, typer.Option(help="Where to write the rejected-rows report (JSONL).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Ingest accounts, member-to-account links, touchpoints, outcomes and support costs."""
    from insight.services.business import ingest_business

    settings = _settings(config, db)
    for path in paths:
        inputs.input_path(path)
    if rejects is not None:
        inputs.output_path(rejects, paths)
    emit(ingest_business(paths, engine=make_engine(settings), settings=settings, kind=kind,
                         rejects_path=rejects).as_dict())


@business_app.command("influence")
def business_influence(
    period: Annotated[str, typer.Option("--period", help="The month, YYYY-MM.")],
    model: Annotated[str | None, typer.Option("--model", help="One model's row only (e.g. linear, blended).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Community influence for a month: attribution models, engaged vs matched, deflection savings."""
    from insight.services.influence_read import influence

    settings = _settings(config, db)
    emit(influence(make_engine(settings), settings, period, model))

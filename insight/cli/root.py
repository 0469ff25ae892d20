"""The root command group, the options every command shares, and the one-line JSON summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

# Help is printed as written: rich markup would eat the config's "[api] host" as a tag.
PLAIN = None
app = typer.Typer(help="Qualitative insight for online communities.", no_args_is_help=True,
                  rich_markup_mode=PLAIN, add_completion=False,
                  pretty_exceptions_enable=False)
topics_app = typer.Typer(help="Topic models.", no_args_is_help=True, rich_markup_mode=PLAIN)
triage_app = typer.Typer(help="Moderator triage queue.", no_args_is_help=True, rich_markup_mode=PLAIN)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True, rich_markup_mode=PLAIN)
experiments_app = typer.Typer(help="Registered experiments: list them, read one out.", no_args_is_help=True,
                              rich_markup_mode=PLAIN)
app.add_typer(topics_app, name="topics")
app.add_typer(triage_app, name="triage")
app.add_typer(db_app, name="db")
app.add_typer(experiments_app, name="experiments")

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A TOML file overriding insight's defaults.")]
DbOpt = Annotated[str | None, typer.Option("--db", envvar="INSIGHT_DATABASE_URL", show_envvar=True,
                                          help="Database URL, e.g. postgresql://user@host/db; set "
                                               "INSIGHT_DATABASE_URL once instead of repeating --db "
                                               "(default: SQLite in the user data dir).")]


def emit(summary: dict[str, Any]) -> None:
    """The one-line JSON summary every batch command prints on stdout."""
    typer.echo(json.dumps(summary, ensure_ascii=False, default=str))

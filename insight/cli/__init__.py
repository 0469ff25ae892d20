"""The ``insight`` command line: parse, call a service, print a one-line JSON summary.

Errors insight raises on purpose are printed as ``error: [Exxx] ...`` on stderr with exit
code 2; nothing here holds SQL or model code.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from insight.errors import InsightError

app = typer.Typer(help="Qualitative insight for online communities.", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)
topics_app = typer.Typer(help="Topic models.", no_args_is_help=True)
triage_app = typer.Typer(help="Moderator triage queue.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")
app.add_typer(triage_app, name="triage")
app.add_typer(db_app, name="db")

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="A TOML file overriding insight's defaults.")]
DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: SQLite in the user data dir).")]


def emit(summary: dict[str, Any]) -> None:
    """The one-line JSON summary every batch command prints on stdout."""
    typer.echo(json.dumps(summary, ensure_ascii=False, default=str))


def _offline_defaults() -> None:
    # Nothing may reach a model hub at run time; users with a hub can unset these.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    _offline_defaults()
    from insight.cli import (
        commands,  # noqa: F401  registers the commands on `app`
        serve,  # noqa: F401  serve, worker, keys
        stories,  # noqa: F401  registers `insight stories ...`
        topics,  # noqa: F401  `insight topics fit | assign`
    )

    try:
        app()
    except InsightError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)

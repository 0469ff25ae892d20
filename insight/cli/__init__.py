"""The ``insight`` command line: parse, call a service, print a one-line JSON summary.

Errors insight raises on purpose are printed as ``error: [Exxx] ...`` on stderr with exit
code 2; nothing here holds SQL or model code. ``root`` holds the command group and the shared
options; ``commands``, ``analyse``, ``serve``, ``stories`` and ``topics`` register their commands on it.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext

import typer

from insight.cli.heartbeat import Heartbeat, label
from insight.errors import InsightError


def _offline_defaults() -> None:
    # Nothing may reach a model hub at run time; users with a hub can unset these.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def command_line():  # type: ignore[no-untyped-def]
    """The Typer app with every command registered (the modules register theirs on import)."""
    from insight.cli import (  # noqa: F401
        alerts,  # `insight alerts run | list | retry`
        analyse,  # `insight analyse`
        business,  # `insight business ingest | influence` (issue 20)
        commands,  # demo, ingest, score, triage ..., report, db
        experiments,  # `insight experiments list | readout`
        members,  # `insight members ...`, `insight retention apply` (issue 19)
        serve,  # serve, worker, keys
        stories,  # `insight stories ...`
        topics,  # `insight topics fit | assign`
    )
    from insight.cli.root import app

    return app


def main() -> None:
    _offline_defaults()
    app = command_line()
    name = label(sys.argv[1:])
    try:
        with Heartbeat(name) if name else nullcontext():
            app()
    except InsightError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except (Exception, RecursionError) as exc:  # no traceback for a user; INSIGHT_DEBUG=1 shows it
        if os.environ.get("INSIGHT_DEBUG"):
            raise
        unexpected = InsightError("E673", kind=type(exc).__name__)
        typer.echo(f"error: {unexpected}", err=True)
        sys.exit(3)

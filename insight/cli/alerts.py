"""``insight alerts run | list | retry``: send new queue items to the configured destinations ([alerts])."""

from __future__ import annotations

from typing import Annotated

import typer

from insight.cli.commands import _settings
from insight.cli.listing import FormatOpt, check_format, emit_rows
from insight.cli.root import PLAIN, ConfigOpt, DbOpt, app, emit
from insight.storage.db import make_engine, share_between_writers

alerts_app = typer.Typer(help="Alerts: new queue items sent to a signed webhook or Slack ([alerts] in the config).",
                         no_args_is_help=True, rich_markup_mode=PLAIN)
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("run")
def alerts_run(
    once: Annotated[bool, typer.Option("--once", help="Send what is due now, then stop (retries wait for the "
                                                      "next run).")] = False,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Send queued alerts, each once (`insight serve` runs this too); Ctrl-C stops."""
    import threading

    from insight.services.notifier import run_notifier

    settings = _settings(config, db)
    stop = threading.Event()
    try:
        counts = run_notifier(share_between_writers(make_engine(settings)), settings, stop=stop, once=once)
    except KeyboardInterrupt:
        stop.set()
        return
    emit(dict(counts))


@alerts_app.command("list")
def alerts_list(
    status: Annotated[str, typer.Option("--status", help="all (default), queued, running, delivered or "
                                                         "failed.")] = "all",
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many, newest first.")] = 50,
    format: FormatOpt = "json",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Alerts with their destination, delivery id, attempts, last HTTP status and error."""
    from insight.services.alerts import list_alerts

    check_format(format)
    rows = list_alerts(make_engine(_settings(config, db)), status=status, limit=limit)
    emit_rows(rows, format, key="alerts", columns=("id", "status", "destination", "attempts", "last_status",
                                                   "queue_item_id", "created_at", "error"))


@alerts_app.command("retry")
def alerts_retry(
    alert_id: Annotated[int | None, typer.Argument(help="One failed alert's id (default: every failed one).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Queue failed alerts again with fresh attempts (after fixing the destination)."""
    from insight.services.alerts import retry_failed

    emit({"requeued": retry_failed(make_engine(_settings(config, db)), alert_id)})

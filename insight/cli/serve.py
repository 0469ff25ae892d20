"""``insight serve`` (the HTTP API and the pages), ``insight worker`` and ``insight keys``."""

from __future__ import annotations

from typing import Annotated

import typer

from insight.cli.commands import _settings
from insight.cli.listing import FormatOpt, check_format, emit_rows
from insight.cli.root import PLAIN, ConfigOpt, DbOpt, app, emit
from insight.storage.db import make_engine, share_between_writers

keys_app = typer.Typer(help="API keys for the HTTP service (stored hashed; a key's secret is shown once).",
                       no_args_is_help=True, rich_markup_mode=PLAIN)
app.add_typer(keys_app, name="keys")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default [api] host, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default [api] port, 8000).")] = None,
    workers: Annotated[int | None, typer.Option(help="Background scoring threads (default [api] workers).")] = None,
    processes: Annotated[int | None, typer.Option(
        help="HTTP processes (default [api] processes, 1); about one per core.")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Serve the API (OpenAPI at /docs) and the triage, story review and report pages; runs the daily
    analysis spec ([pipeline] spec) on its schedule."""
    from insight.api.serving import serve as run_service
    from insight.services import auth

    settings = _settings(config, db)
    engine = make_engine(settings)
    host, port = host or settings.api.host, port or settings.api.port
    if not auth.has_admin(engine):
        where = f" --db {db}" if db else ""
        typer.echo(f"No admin key yet. Create one (its secret is shown once):\n"
                   f"  insight keys create --role admin --name you{where}", err=True)
    typer.echo(f"insight on http://{host}:{port}/ (API docs at /docs), database {engine.url.render_as_string()}",
               err=True)
    run_service(settings, engine, host=host, port=port, workers=workers, processes=processes)


@app.command()
def worker(
    until_empty: Annotated[bool, typer.Option("--until-empty", help="Stop once no job is queued.")] = False,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Store and score queued webhook posts (run as many as you like; each post is scored once)."""
    import threading

    from insight.services import jobs

    settings = _settings(config, db)
    stop = threading.Event()
    try:
        counts = jobs.run_worker(share_between_writers(make_engine(settings)), settings, stop=stop,
                                 until_empty=until_empty)
    except KeyboardInterrupt:
        stop.set()
        return
    emit(dict(counts))


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help="moderator | researcher | reporter | admin")],
    name: Annotated[str, typer.Option("--name", help="Who uses it; names the actor in the audit trail.")] = "",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    from insight.services import auth

    emit(auth.create_key(make_engine(_settings(config, db)), role, name))


@keys_app.command("list")
def keys_list(format: FormatOpt = "jsonl", config: ConfigOpt = None, db: DbOpt = None) -> None:
    """One JSON line per key (the default --format jsonl): id, prefix, role, name, created, revoked (no secret)."""
    from insight.services import auth

    check_format(format)
    emit_rows(auth.list_keys(make_engine(_settings(config, db))), format, key="keys",
              columns=("id", "prefix", "role", "name", "created_at", "revoked_at"))


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see `insight keys list`).")],
                config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Revoke a key at once."""
    from insight.services import auth

    emit(auth.revoke_key(make_engine(_settings(config, db)), key_id))

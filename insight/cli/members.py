"""`insight members suggestions | merge | unmerge | export | erase | verify` and `insight retention apply`
(issue 19): parse, call insight.services.members / retention, print JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from insight.cli.commands import _settings
from insight.cli.root import ConfigOpt, DbOpt, app, emit
from insight.errors import InputError
from insight.storage.db import make_engine

members_app = typer.Typer(help="Member privacy: link accounts into a person, footprint, erasure.",
                          no_args_is_help=True)
retention_app = typer.Typer(help="Retention of raw text, signal details, queue history, rejects files.",
                            no_args_is_help=True)
app.add_typer(members_app, name="members")
app.add_typer(retention_app, name="retention")

MemberArg = Annotated[str, typer.Argument(help="The stored member id (m_...), a person id (p_...) or a platform "
                                               "account such as discourse:alice.")]
ActorOpt = Annotated[str | None, typer.Option("--actor", help="Who does it (the privacy audit names them).")]


def _actor(actor: str | None, command: str) -> str:
    if not (actor or "").strip():
        raise InputError("E680", command=command)
    return actor.strip()  # type: ignore[union-attr]


@members_app.command("suggestions")
def members_suggestions(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Accounts on different platforms that may be one person: confidence (1.0 = same email) and evidence."""
    from insight.services.members import suggestions

    found = suggestions(make_engine(_settings(config, db)))
    emit({"suggestions": found, "count": len(found)})


@members_app.command("merge")
def members_merge(
    accounts: Annotated[list[str], typer.Argument(help="Two or more accounts (ids as for export).")],
    actor: ActorOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Why (kept in the privacy audit).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Link accounts into one person (an admin merge); refused when a member said no to linking."""
    from insight.services.members import merge

    settings = _settings(config, db)
    emit(merge(make_engine(settings), settings, accounts, actor=_actor(actor, "merge"), note=note))


@members_app.command("unmerge")
def members_unmerge(member: MemberArg, actor: ActorOpt = None, config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Take an account out of its person."""
    from insight.services.members import unmerge

    settings = _settings(config, db)
    emit(unmerge(make_engine(settings), settings, member, actor=_actor(actor, "unmerge")))


@members_app.command("export")
def members_export(
    member: MemberArg,
    output: Annotated[Path | None, typer.Option("--output", help="Write the JSON here (default: stdout).")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who asks (kept in the privacy audit).")] = "cli",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Every row held about a member or person (accounts, posts raw and redacted, signals, topics, stories,
    links, queue evidence, consent history), in JSON with provenance."""
    from insight.services import inputs
    from insight.services.members import export

    settings = _settings(config, db)
    target = inputs.output_path(output) if output is not None else None
    found = export(make_engine(settings), settings, member, actor=actor)
    text = json.dumps(found, ensure_ascii=False, default=str, indent=1)
    if target is None:
        typer.echo(text)
        return
    target.write_text(text + "\n", encoding="utf-8")
    emit({"output": str(target), "subject": found["subject"], "accounts": found["accounts"],
          "rows": {k: v if isinstance(v, int) else len(v) for k, v in found["rows"].items()}})


@members_app.command("erase")
def members_erase(
    member: MemberArg,
    actor: ActorOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: an erasure cannot be undone.")] = False,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Erase a member or person: their text from every table, what came of it, their records; cached reports
    invalidated; the privacy audit's notes tombstoned; the erasure recorded."""
    from insight.services.members import erase

    who = _actor(actor, "erase")
    if not yes:
        raise InputError("E681", ident=member)
    settings = _settings(config, db)
    emit(erase(make_engine(settings), settings, member, actor=who))


@members_app.command("verify")
def members_verify(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Walk the privacy audit's hash chain (E457 when a row was changed outside insight)."""
    from insight.services.members import verify_audit

    emit(verify_audit(make_engine(_settings(config, db))))


@retention_app.command("apply")
def retention_apply(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Apply [retention]: expire raw text, thin old signals, drop old queue history and rejects files."""
    from insight.services.retention import apply

    settings = _settings(config, db)
    emit(apply(make_engine(settings), settings))

"""The commands of PRODUCT.md's batch interface; each parses, calls a service, prints a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from insight.cli.listing import FormatOpt, check_format, emit_rows
from insight.cli.root import ConfigOpt, DbOpt, app, db_app, emit, triage_app
from insight.config import Settings, load_config
from insight.errors import InputError
from insight.services import inputs
from insight.storage import runs
from insight.storage.db import make_engine

QUEUE_COLUMNS = ("id", "status", "priority", "reasons", "channel", "title", "thread_id")
HISTORY_COLUMNS = ("id", "at", "item_id", "action", "from_status", "to_status", "actor", "reason")


def _settings(config: Path | None, db: str | None) -> Settings:
    overrides = {"database_url": db} if db else None
    return load_config(config, overrides=overrides)


def _require_file(path: Path) -> Path:
    """An existing regular input file (E601, E670: never a FIFO, device or /proc file)."""
    return inputs.input_path(path)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo data, database, queue and report.")] = Path(
        "insight-demo"),
    seed: Annotated[int, typer.Option(min=0, max=2**32 - 1, help="Seed of the synthetic community.")] = 7,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Build a synthetic community, run the whole pipeline, write the triage queue and the report."""
    from insight.services.analyse import tqdm_progress
    from insight.services.demo import run_demo

    summary = run_demo(inputs.output_folder(out), _settings(config, db), seed=seed, progress=tqdm_progress)
    emit(summary)
    typer.echo(f"Triage queue: {summary['queue']}\nReport: {summary['report']}\n"
               f"Report (Markdown): {summary['report_md']}\n"
               f"Pages and API: insight keys create --role admin --db {summary['database']}, then "
               f"insight serve --db {summary['database']} --config {summary['config']}", err=True)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: canonical JSONL/CSV or platform exports.")],
    format: Annotated[str, typer.Option("--format", help="auto|canonical|discourse|slack|discord|github")] = "auto",
    rejects: Annotated[Path | None, typer.Option(help="Where to write the rejected-rows report (JSONL).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Ingest posts, members, feedback answers and KPI observations into the database."""
    from insight.services.ingest import ingest_paths

    settings = _settings(config, db)
    for path in paths:
        inputs.input_path(path, folders=True)
    if rejects is not None:
        inputs.output_path(rejects, paths)
    summary = ingest_paths(paths, engine=make_engine(settings), settings=settings, fmt=format, rejects_path=rejects)
    emit(summary.as_dict())


@app.command()
def score(
    input: Annotated[Path, typer.Argument(help="CSV or JSONL with `id` and `text` columns.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL, one line per row.")],
    config: ConfigOpt = None,
) -> None:
    """Sentiment, emotion and safety for every row."""
    from insight.services.analysis import score_file

    settings = _settings(config, None)
    source, target = _require_file(input), inputs.output_path(output, [input])
    emit(score_file(source, target, settings=settings, run_id=runs.new_run_id()).as_dict())


@triage_app.command("rank")
def triage_rank(
    threads: Annotated[Path, typer.Argument(help="JSONL of canonical posts, or of threads with a `posts` list.")],
    as_of: Annotated[str, typer.Option("--as-of", help="ISO-8601 time the queue is computed for.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL queue, highest priority first.")],
    config: ConfigOpt = None,
) -> None:
    """Rank threads by what needs a moderator's attention, with reasons."""
    from insight.services.triage import parse_as_of, rank_file

    settings = _settings(config, None)
    emit(rank_file(_require_file(threads), inputs.output_path(output, [threads]), as_of=parse_as_of(as_of),
                   settings=settings, run_id=runs.new_run_id()).as_dict())


@triage_app.command("refresh")
def triage_refresh(
    as_of: Annotated[str, typer.Option("--as-of", help="ISO-8601 time to rank the stored threads at.")],
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Rank the stored threads and bring the moderator queue up to date (open, update, reopen, clear)."""
    from insight.services.triage import parse_as_of, refresh_queue

    settings = _settings(config, db)
    emit(refresh_queue(make_engine(settings), settings, as_of=parse_as_of(as_of)))


@triage_app.command("queue")
def triage_queue(
    status: Annotated[list[str] | None, typer.Option("--status", help="active (default), all, or a status; "
                                                     "repeatable.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Only items with this reason.")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Only items in this channel.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many items.")] = 50,
    format: FormatOpt = "json",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """List the moderator queue, highest priority first."""
    from insight.services.triage import list_queue

    check_format(format)
    settings = _settings(config, db)
    items = list_queue(make_engine(settings), status=status or None, reason=reason, channel=channel)
    emit_rows([i.as_dict() for i in items[:limit]], format, key="items", count=len(items), columns=QUEUE_COLUMNS)


@triage_app.command("act")
def triage_act(
    item_id: Annotated[int, typer.Argument(help="Queue item id (see `insight triage queue`).")],
    action: Annotated[str, typer.Argument(help="acknowledge, escalate, resolve, dismiss or reopen.")],
    actor: Annotated[str, typer.Option("--actor", help="Who acts (moderator name or id).")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why; required to dismiss.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="ISO-8601 time of the action (default: now).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Act on a queue item; every action is audited and kept as labelled data."""
    from insight.services.triage import act, parse_as_of

    settings = _settings(config, db)
    when = parse_as_of(at, "--at") if at else None
    emit(act(make_engine(settings), item_id, action, actor, reason, at=when))


@triage_app.command("history")
def triage_history(
    item_id: Annotated[int | None, typer.Argument(help="Only this item's actions.")] = None,
    format: FormatOpt = "json",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """The queue's audit trail, oldest first."""
    from insight.services.triage import queue_history

    check_format(format)
    settings = _settings(config, db)
    actions = queue_history(make_engine(settings), item_id)
    emit_rows([a.as_dict() for a in actions], format, key="actions", columns=HISTORY_COLUMNS)


@triage_app.command("backtest")
def triage_backtest(
    start: Annotated[str, typer.Option("--start", help="First day to replay, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--end", help="Last day to replay (inclusive), YYYY-MM-DD.")],
    labels: Annotated[Path | None, typer.Option("--labels", help="JSONL of {thread_id, reason, needs_attention} "
                                                "(default: moderators' stored decisions).")] = None,
    step: Annotated[str, typer.Option("--step", help="Replay step, e.g. 1D or 6H.")] = "1D",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="JSONL of raises per step.")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Replay history against the configured rules: items raised per day and precision per reason."""
    from insight.services.triage_backtest import backtest, backtest_summary, parse_period, write_backtest
    from insight.triage.backtest import read_labels

    settings = _settings(config, db)
    inputs.replay_dates(start, end)
    first, last, delta = parse_period(start, end, step)
    inputs.replay_span(first, last, delta)
    if output is not None:
        inputs.output_path(output, [labels] if labels else [])
    label_set, rejects = read_labels(_require_file(labels)) if labels else (None, [])
    report = backtest(make_engine(settings), settings, first, last, delta, labels=label_set)
    summary = backtest_summary(report)
    summary["labels"] = str(labels) if labels else ("moderator actions" if report.labels else None)
    if rejects:
        summary["rejected_labels"], summary["label_rejects"] = len(rejects), rejects[:20]
    if output is not None:
        summary["output"] = str(write_backtest(report, output))
    emit(summary)


@app.command()
def report(
    period: Annotated[str, typer.Option("--period", help="Month to report, YYYY-MM.")],
    format: Annotated[str, typer.Option("--format", help="html|md|json")] = "html",
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path("."),
    kpis: Annotated[Path | None, typer.Option("--kpis", help="KPI dictionary TOML (default: packaged).")] = None,
    annotations: Annotated[Path | None, typer.Option("--annotations", help="TOML of dated notes: experiments, "
                                                     "releases, incidents, events.")] = None,
    experiments: Annotated[Path | None, typer.Option("--experiments", help="experiments.toml to read out "
                                                     "(default: [reports] experiments).")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Write the narrative report for a period from the stored data (same data, same report)."""
    from insight.services.reports import build_report, check_period, write_report

    period = check_period(period, "--period")
    if format not in ("html", "md", "json"):
        raise InputError("E606", option="--format", detail=f"'{format}'; use html, md or json")
    settings = _settings(config, db)
    inputs.output_folder(out)
    data = build_report(make_engine(settings), settings, period, kpi_dictionary=kpis, annotations=annotations,
                        experiments=experiments)
    emit({"period": period, "report": write_report(data, out, (format,))[format], "run_id": data.run["run_id"],
          "input_hash": data.run["input_hash"]})


@db_app.command("upgrade")
def db_upgrade(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Create or migrate the database schema to the newest revision."""
    settings = _settings(config, db)
    engine = make_engine(settings)
    emit({"database": engine.url.render_as_string(hide_password=True), "schema": "head"})

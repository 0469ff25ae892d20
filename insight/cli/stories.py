"""``insight stories ...``: tag a file, load a taxonomy and seeds, tag stored posts, review, pairs, trace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from insight.cli.commands import _require_file, _settings
from insight.cli.listing import FormatOpt, check_format, emit_rows
from insight.cli.root import PLAIN, ConfigOpt, DbOpt, app, emit
from insight.storage import runs
from insight.storage.db import make_engine

stories_app = typer.Typer(help="Member stories: detect, tag with your taxonomy, review, link to KPIs.",
                          no_args_is_help=True, rich_markup_mode=PLAIN)
taxonomy_app = typer.Typer(help="Story taxonomy versions.", no_args_is_help=True, rich_markup_mode=PLAIN)
app.add_typer(stories_app, name="stories")
stories_app.add_typer(taxonomy_app, name="taxonomy")


@stories_app.command("tag")
def stories_tag(
    input: Annotated[Path, typer.Argument(help="CSV or JSONL with `id` and `text` columns.")],
    taxonomy: Annotated[Path, typer.Option("--taxonomy", help="Story taxonomy TOML.")],
    examples: Annotated[Path, typer.Option("--examples", help="Seed examples JSONL: {text, tags}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL: id, is_story, tags [{tag, score}].")],
) -> None:
    """Detect stories in a file and tag them with a taxonomy and a few examples per tag."""
    from insight.services.stories import tag_file

    emit(tag_file(_require_file(input), _require_file(taxonomy), _require_file(examples), output,
                  run_id=runs.new_run_id()).as_dict())


@taxonomy_app.command("load")
def taxonomy_load(
    path: Annotated[Path, typer.Argument(help="Story taxonomy TOML (a new `version` for every change).")],
    actor: Annotated[str, typer.Option("--actor", help="Who loads it (researcher name or id).")] = "researcher",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Store a taxonomy version; past tags are re-applied through renames, merges, splits and retirements."""
    from insight.services.stories import load_taxonomy_file

    emit(load_taxonomy_file(make_engine(_settings(config, db)), _require_file(path), actor=actor))


@taxonomy_app.command("show")
def taxonomy_show(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """The current taxonomy and every stored version with its tag mapping."""
    from insight.services.stories import taxonomy, taxonomy_versions

    engine = make_engine(_settings(config, db))
    emit({"current": taxonomy(engine), "versions": taxonomy_versions(engine)})


@stories_app.command("seed")
def stories_seed(
    path: Annotated[Path, typer.Argument(help="Seed examples JSONL: {text, tags} (empty tags: a non-story).")],
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Store seed examples for the current taxonomy."""
    from insight.services.stories import add_examples

    emit(add_examples(make_engine(_settings(config, db)), _require_file(path)))


@stories_app.command("detect")
def stories_detect(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Find stories in the stored posts and feedback answers and suggest tags (one training round)."""
    from insight.services.stories import tag_stored

    settings = _settings(config, db)
    emit(tag_stored(make_engine(settings), settings, runs.new_run_id()))


@stories_app.command("suggestions")
def stories_suggestions(
    status: Annotated[str, typer.Option(help="pending, confirmed, rejected, retagged or all.")] = "pending",
    order: Annotated[str, typer.Option(help="uncertain (nearest the threshold first), score or recent.")] = "uncertain",
    tag: Annotated[str | None, typer.Option(help="Only this tag.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    format: FormatOpt = "json",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Tag suggestions to review (redacted text, evidence spans)."""
    from insight.services.stories import suggestions

    check_format(format)
    items = suggestions(make_engine(_settings(config, db)), status=status, order=order, limit=limit, tag=tag)
    emit_rows(items, format, key="items", columns=("suggestion_id", "status", "tag", "score", "threshold", "text"))


@stories_app.command("review")
def stories_review(
    suggestion_id: Annotated[int, typer.Argument(help="Suggestion id (see `insight stories suggestions`).")],
    decision: Annotated[str, typer.Argument(help="confirm, reject or retag.")],
    actor: Annotated[str, typer.Option("--actor", help="Who decides (researcher name or id).")],
    new_tag: Annotated[str | None, typer.Option("--new-tag", help="The right tag, for retag.")] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Confirm, reject or retag a suggestion; audited, and used by the next training round."""
    from insight.services.stories import review

    emit(review(make_engine(_settings(config, db)), suggestion_id, decision, actor, new_tag=new_tag))


@stories_app.command("add")
def stories_add(
    source_ids: Annotated[list[str], typer.Argument(help="Post ids of one member (or feedback:<response_id>).")],
    tag: Annotated[str, typer.Option("--tag", help="The story's tag.")],
    actor: Annotated[str, typer.Option("--actor", help="Who adds it (researcher name or id).")],
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Mark posts the detector missed as a story with a tag; confirmed, linked and audited."""
    from insight.services.stories import add_story

    emit(add_story(make_engine(_settings(config, db)), source_ids, tag, actor))


@stories_app.command("pairs")
def stories_pairs(
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    cohort: Annotated[str | None, typer.Option(help="Only this cohort, e.g. motivation=learn.")] = None,
    kpi: Annotated[str | None, typer.Option(help="Only this KPI id.")] = None,
    format: FormatOpt = "json",
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Story-metric pairs of a period: KPI values beside the confirmed stories that illustrate them,
    for the stories told in the period and the two months before (the report's story window)."""
    from insight.services.reports import require_period
    from insight.services.stories import story_metric_pairs

    check_format(format)
    settings = _settings(config, db)
    engine = make_engine(settings)
    pairs = story_metric_pairs(engine, require_period(engine, period), cohort=cohort, kpi_id=kpi,
                               unknown_members=settings.ingest.unknown_members)
    emit_rows([p.as_dict() for p in pairs], format, key="pairs",
              columns=("kpi_id", "cohort", "period", "value", "n", "tag", "tag_score", "quote"))


@stories_app.command("trace")
def stories_trace(
    link_id: Annotated[str, typer.Argument(help="A link id from a story-metric pair.")],
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """The audit trail of one link: source posts, tagger, taxonomy version, decisions, remappings."""
    from insight.services.stories import trace

    emit(trace(make_engine(_settings(config, db)), link_id))

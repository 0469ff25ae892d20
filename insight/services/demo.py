"""Demo use-case: a synthetic community through the whole pipeline on an embedded database."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from insight.config import Settings
from insight.demo.community import BUSINESS_FILES, generate_community
from insight.runtime.spec import AnalyseSpec
from insight.services import reports, stories, triage
from insight.services.analyse import ProgressFactory, analyse, no_progress
from insight.services.business import ingest_business
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine, share_between_writers

# Dated notes (releases, incidents, experiments, events) that match what the demo plants.
DEMO_ANNOTATIONS = Path(str(resources.files("insight.demo") / "annotations.toml"))


def run_demo(out: Path, settings: Settings, *, seed: int = 7,
             progress: ProgressFactory = no_progress) -> dict[str, Any]:
    """Generate, ingest, analyse (``insight analyse``'s path), review stories and report; returns where
    everything is.

    The demo uses its own SQLite file inside ``out`` (unless a database URL is configured),
    so it never mixes synthetic members into a real community's data.
    """
    out = out.resolve()
    if not settings.database_url:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{out / 'insight-demo.db'}"})
    settings = settings.model_copy(update={"data_dir": str(out)})
    # Stage by stage on stderr (the analysis shows its own bars): minutes on a laptop are never silent.
    with progress("demo 1/6: synthetic community", None) as advance:
        community = generate_community(seed=seed)
        files = community.write(out / "data")
        advance(len(community.posts))
    engine = share_between_writers(make_engine(settings))
    with progress("demo 2/6: ingest", None) as advance:
        ingest_files = [files[k] for k in ("members", "posts", "feedback", "kpi_observations")]
        ingested = ingest_paths(ingest_files, engine=engine, settings=settings)
        advance(ingested.read)
        # The business side through `insight business ingest`'s path: accounts, links, touchpoints, outcomes, costs.
        business = ingest_business([files[k] for k in BUSINESS_FILES], engine=engine, settings=settings)
        # The researcher's taxonomy and seeds first, so the analysis suggests tags on the stories it finds.
        stories.load_taxonomy_file(engine, files["taxonomy"], actor=DEMO_RESEARCHER)
        seeded = stories.add_examples(engine, files["story_seeds"])
    as_of = community.window_end
    with progress("demo 3/6: analyse", None):
        analysed = analyse(engine, settings, AnalyseSpec(name="demo"), as_of=as_of, progress=progress)
    run_id = analysed["run_id"]
    with progress("demo 4/6: triage queue", None):
        items = triage.rank_stored(engine, settings, as_of=as_of, run_id=run_id)
        queue_path = out / "queue.jsonl"
        triage.write_queue(items, queue_path)
    with progress("demo 5/6: story review", None):
        story_summary = _review_loop(engine, settings, run_id, community.story_tags)
    story_summary.update(seed_examples=seeded["examples"], stories_found=analysed.get("stories_found", 0),
                         suggested=analysed.get("stories_suggested", 0))
    period = _last_full_month(as_of)
    with progress("demo 6/6: report", None):
        report = reports.build_report(engine, settings, period, kpi_dictionary=files.get("kpis"),
                                      annotations=DEMO_ANNOTATIONS, experiments=files.get("experiments"))
        report_paths = reports.write_report(report, out, ("md", "html", "json"))
    summary = {
        "database": settings.resolved_database_url,
        "queue": str(queue_path),
        "report": report_paths["html"],
        "report_md": report_paths["md"],
        "period": period,
        "ingest": {k: v for k, v in dataclasses.asdict(ingested).items() if k != "skipped_files"},
        "business": {k: v for k, v in business.as_dict().items() if k != "files"},
        "analysis": analysed,
        "queue_items": sum(i.needs_attention for i in items),
        "top_of_queue": [{"thread_id": i.thread_id, "reasons": list(i.reasons)} for i in items[:5]],
        "stories": story_summary,
        "story_metric_pairs": len(report.story_metric_pairs),
        "run_id": run_id,
        "config": str(_report_config(out, files.get("experiments"))),
    }
    return summary


def _report_config(out: Path, experiments: Path | None) -> Path:
    """A config naming the demo's annotations and experiments, so `insight serve --config` (the API and
    the /report page) shows the same report as the files written here."""
    lines = ["# The demo's report inputs: pass --config to insight serve or insight report.", "[reports]",
             f"annotations = {json.dumps(str(DEMO_ANNOTATIONS))}"]
    if experiments is not None:
        lines.append(f"experiments = {json.dumps(str(Path(experiments).resolve()))}")
    target = out / "insight-demo.toml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


DEMO_RESEARCHER = "demo-researcher"


def _review_loop(engine: Any, settings: Settings, run_id: str, story_tags: dict[str, list[str]]) -> dict[str, Any]:
    """The researcher's loop after the analysis suggested tags: review every suggestion, add what the
    detector missed, retrain on the decisions."""
    decisions = review_with_truth(engine, story_tags, DEMO_RESEARCHER)
    decisions["add"] = add_missed_stories(engine, story_tags, DEMO_RESEARCHER)
    second = stories.tag_stored(engine, settings, run_id, detect=False)  # the next round, on the decisions
    return {"decisions": decisions, "tagger": second["tagger"]}


def review_with_truth(engine: Any, story_tags: dict[str, list[str]], actor: str) -> dict[str, int]:
    """A simulated researcher: confirms planted stories' right tags, retags wrong ones, rejects the rest.

    Uncertain suggestions come first, as a researcher would see them; every decision is audited
    as ``person:<actor>``.
    """
    counts = {"confirm": 0, "reject": 0, "retag": 0}
    confirmed: set[tuple[str, str]] = set()
    decided: set[int] = set()  # a retag may confirm another pending suggestion of the same story
    for item in stories.suggestions(engine, limit=10_000):
        if item["suggestion_id"] in decided:
            continue
        truth = next((story_tags[p] for p in item["post_ids"] if p in story_tags), [])
        if item["tag"] in truth:
            decision, new_tag = "confirm", None
        elif truth and (item["story_id"], truth[0]) not in confirmed:
            decision, new_tag = "retag", truth[0]
        else:
            decision, new_tag = "reject", None
        if decision != "reject":
            confirmed.add((item["story_id"], new_tag or item["tag"]))
        result = stories.review(engine, item["suggestion_id"], decision, actor, new_tag=new_tag)
        decided.add(result["confirmed_suggestion_id"] or item["suggestion_id"])
        counts[decision] += 1
    return counts


def add_missed_stories(engine: Any, story_tags: dict[str, list[str]], actor: str) -> int:
    """The researcher adds the planted stories the detector missed (as one would, reading the threads)."""
    seen = {p for item in stories.suggestions(engine, status="all", limit=100_000) for p in item["post_ids"]}
    missed = sorted(p for p in story_tags if p not in seen)
    for post_id in missed:
        stories.add_story(engine, [post_id], story_tags[post_id][0], actor)
    return len(missed)


def _last_full_month(as_of: datetime) -> str:
    first_of_month = as_of.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if as_of - first_of_month < timedelta(days=20):
        first_of_month = (first_of_month - timedelta(days=1)).replace(day=1)
    return first_of_month.strftime("%Y-%m")

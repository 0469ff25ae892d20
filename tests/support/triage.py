"""Builders for triage tests: scored posts and threads at hours after T0, VADER signals stored for every
post, and the demo community in a scored SQLite database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from insight.config import Settings
from insight.demo.community import BUSINESS_FILES, Community, generate_community
from insight.records import Doc, Post, Safety
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.services import consented
from insight.services.business import ingest_business
from insight.services.ingest import ingest_paths
from insight.signals.sentiment import polarity
from insight.storage import signals
from insight.storage.db import make_engine, session_scope
from insight.triage.rank import ScoredPost, ThreadView
from tests.support.databases import settings_in
from tests.support.paths import TRIAGE_DATA

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SIGNAL_STAGES = ("insight.sentiment.v1", "insight.safety.keywords.v1")
VADER = "insight.sentiment.vader.v1"
AS_OF = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)  # "now" for the labelled threads of tests/data/triage
# The demo's planted scenarios (``Community.truth`` keys) and the reason each should be raised for.
REASON_OF = {"unsafe": "safety_concern", "rising_frustration": "rising_frustration",
             "unanswered": "unanswered_question", "excited_showcase": "amplify_excitement"}


def sp(thread_id: str, n: int, author: str, hours: float, sentiment: float, text: str = "ok", *,
       kind: str | None = None, reactions: int = 0, views: int = 0, accepted: bool = False,
       safety: Safety | None = None, channel: str = "help") -> ScoredPost:
    """Post ``n`` of a thread (n == 1 is the root), created ``hours`` after T0."""
    post = Post(post_id=f"{thread_id}-{n}", thread_id=thread_id, author_id=author,
                created_at=T0 + timedelta(hours=hours), text=text, channel=channel,
                parent_id=None if n == 1 else f"{thread_id}-1", kind=kind, reactions=reactions, views=views,
                accepted_answer=accepted)
    return ScoredPost(post=post, sentiment=sentiment, safety=safety)


def thread(thread_id: str, *posts: ScoredPost, channel: str = "help", title: str | None = None) -> ThreadView:
    return ThreadView(thread_id=thread_id, posts=posts, channel=channel, title=title)


def question(thread_id: str, hours: float, author: str = "asker", channel: str = "help") -> ThreadView:
    return thread(thread_id, sp(thread_id, 1, author, hours, 0.0, "How do I rotate the API key?", kind="question",
                                channel=channel), channel=channel)


def store_signals(engine: Engine, settings: Settings, run_id: str = "test-signals") -> int:
    """VADER sentiment and the safety rules for every stored post: the cheap part of ``analyse_stored``.

    No embeddings, no topics, no trained model (it takes minutes on the demo on a busy CPU); triage
    reads VADER's ``compound`` score, which sits on the trained model's scale.
    """
    with session_scope(engine) as session:
        stored = consented.stored_posts(session, settings.ingest.unknown_members)
    vader = settings.models.model_copy(update={"sentiment": VADER})
    context = StageContext(settings.model_copy(update={"models": vader}), run_id)
    pipe = Pipeline.from_names(SIGNAL_STAGES, context)
    docs = pipe.run(Doc(id=str(s.pk), text=s.post.text, post=s.post) for s in stored)
    rows = [{
        "post_pk": int(d.id), "sentiment_label": d.sentiment.label, "sentiment_score": polarity(d.sentiment),
        "sentiment_scores": d.sentiment.scores, "emotion": d.emotion, "safety_label": d.safety.label,
        "safety_category": d.safety.category, "safety_score": d.safety.score, "safety_evidence": d.safety.evidence,
    } for d in docs if d.sentiment is not None and d.safety is not None]
    with session_scope(engine) as session:
        signals.save_signals(session, rows, context.provenance(SIGNAL_STAGES[0]))
    return len(rows)


def add_posts(engine: Engine, settings: Settings, tmp: Path, *rows: dict) -> None:  # type: ignore[type-arg]
    """Ingest more discourse posts (one dict each) and store their cheap signals."""
    path = tmp / f"more-{len(list(tmp.glob('more-*')))}.jsonl"
    path.write_text("".join(json.dumps({"platform": "discourse", "parent_id": None, **r}) + "\n" for r in rows))
    summary = ingest_paths([path], engine=engine, settings=settings)
    assert summary.inserted == len(rows)
    store_signals(engine, settings)


def store_threads(engine: Engine, settings: Settings) -> None:
    """The 42 labelled threads of tests/data/triage ingested, with their cheap signals stored.

    Each post gets a source URL (``post_url``) on the way in, so the pages can link to it; the
    evaluation file itself stays as it was frozen.
    """
    rows = [json.loads(line) for line in (TRIAGE_DATA / "threads.jsonl").read_text().splitlines() if line.strip()]
    with_urls = settings.data_path / "triage-threads-with-urls.jsonl"
    with_urls.parent.mkdir(parents=True, exist_ok=True)
    with_urls.write_text("".join(json.dumps({**row, "url": post_url(row)}) + "\n" for row in rows))
    ingest_paths([with_urls], engine=engine, settings=settings)
    store_signals(engine, settings)


def post_url(row: dict[str, str]) -> str:
    """Where a labelled thread's post would live on its forum: /t/<thread>/<post number>."""
    return f"https://community.example.com/t/{row['thread_id']}/{row['post_id'].split('-p')[-1]}"


@dataclass(frozen=True)
class DemoDb:
    settings: Settings
    engine: Engine
    community: Community
    url: str


def demo_db_in(out: Path) -> DemoDb:
    """The demo community (seed 7) ingested into a SQLite file in ``out`` and scored cheaply (about 5 s)."""
    url = f"sqlite:///{out / 'insight-demo.db'}"
    settings = settings_in(out, url)
    community = generate_community(seed=7)
    files = community.write(out / "data")
    engine = make_engine(settings)
    ingest_paths([files[k] for k in ("members", "posts", "feedback", "kpi_observations")], engine=engine,
                 settings=settings)
    ingest_business([files[k] for k in BUSINESS_FILES], engine=engine, settings=settings)
    store_signals(engine, settings)
    return DemoDb(settings, engine, community, url)

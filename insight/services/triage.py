"""Triage use-cases: rank threads from a file or from the database into a moderator queue."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from insight.triage.rank import ScoredPost, ThreadView, rank_threads
from sqlalchemy import Engine

from insight.backends.sentiment import polarity
from insight.config import Settings
from insight.errors import InputError
from insight.ingest.base import Reason, Reject
from insight.ingest.canonical import read_canonical
from insight.ingest.validate import RowProblem, to_post
from insight.records import Doc, Post, Safety, TriageItem
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.services.analysis import BatchSummary, _write_jsonl
from insight.storage import repository as repo
from insight.storage.db import session_scope

STAGE = "insight.triage.rules.v1"


def _posts_from_file(path: Path, summary: BatchSummary, max_chars: int) -> list[Post]:
    """Canonical posts, one per line, or thread objects whose ``posts`` hold them."""
    if not path.exists():
        raise InputError("E601", path=path)
    posts: list[Post] = []
    for row in read_canonical(path, "item"):
        if isinstance(row, Reject):
            summary.rows += 1
            summary.rejected += 1
            summary.rejects.append(row.as_dict())
            continue
        inner = row.data.get("posts")
        items = inner if isinstance(inner, list) else [row.data]
        for index, data in enumerate(items):
            summary.rows += 1
            if isinstance(inner, list):
                # A thread object: its fields are defaults for each of its posts.
                data = {"thread_id": row.data.get("thread_id"), "channel": row.data.get("channel"), **data}
            try:
                post, _ = to_post(data, max_chars)
            except (RowProblem, TypeError) as exc:
                field = getattr(exc, "field", None)
                reason = getattr(exc, "reason", Reason.MALFORMED)
                pointer = f"/posts/{index}" if isinstance(inner, list) else None
                summary.rejected += 1
                summary.rejects.append(Reject(row.source, reason, str(exc), field=field, line=row.line,
                                              pointer=pointer).as_dict())
                continue
            posts.append(post)
    if not posts:
        raise InputError("E603", path=path, detail=f"{summary.rejected} rejected of {summary.rows}")
    return posts


def build_threads(scored: Sequence[tuple[Post, float, Safety | None]], titles: dict[str, str | None] | None = None
                  ) -> list[ThreadView]:
    grouped: dict[str, list[ScoredPost]] = defaultdict(list)
    for post, sentiment, safety in scored:
        grouped[post.thread_id].append(ScoredPost(post=post, sentiment=sentiment, safety=safety))
    threads = []
    for thread_id in sorted(grouped):
        items = tuple(sorted(grouped[thread_id], key=lambda s: (s.post.created_at, s.post.post_id)))
        first = items[0].post
        title = (titles or {}).get(thread_id) or next((s.post.title for s in items if s.post.title), None)
        threads.append(ThreadView(thread_id=thread_id, posts=items, channel=first.channel, title=title))
    return threads


def rank_file(path: Path, output: Path, *, as_of: datetime, settings: Settings, run_id: str) -> BatchSummary:
    summary = BatchSummary(output=str(output), run_id=run_id)
    posts = _posts_from_file(path, summary, settings.ingest.max_text_chars)
    context = StageContext(settings, run_id)
    docs = Pipeline.from_names(settings.pipeline.score_stages, context).run(Doc(id=p.post_id, text=p.text, post=p) for p in posts)
    scored = [(d.post, polarity(d.sentiment), d.safety) for d in docs]  # type: ignore[arg-type]
    items = rank_threads(build_threads(scored), as_of=as_of, settings=settings.triage,
                         provenance=context.provenance(STAGE))
    summary.written = _write_jsonl(output, (_queue_line(i) for i in items))
    summary.extra = {"threads": len(items), "needs_attention": sum(i.needs_attention for i in items)}
    return summary


def _queue_line(item: TriageItem) -> dict[str, Any]:
    out = item.as_dict()
    return {k: out[k] for k in ("thread_id", "needs_attention", "priority", "reasons", "explanation",
                                "evidence_post_ids", "channel", "title", "provenance")}


def rank_stored(engine: Engine, settings: Settings, *, as_of: datetime, run_id: str) -> list[TriageItem]:
    """Rank stored threads by their stored signals; the queue is saved with provenance."""
    with session_scope(engine) as session:
        stored = repo.load_posts(session, unknown_members=settings.ingest.unknown_members)
        signals = repo.signals_by_post(session)
        scored = []
        for s in stored:
            sig = signals.get(s.pk)
            safety = Safety(label=sig.safety_label, category=sig.safety_category, score=sig.safety_score,  # type: ignore[arg-type]
                            evidence=sig.safety_evidence) if sig else None
            # Moderators see redacted text only; thread ids become "platform:thread_id" keys.
            post = dataclasses.replace(s.post, text=s.text_redacted,
                                       thread_id=repo.thread_key(s.post.platform, s.post.thread_id))
            scored.append((post, sig.sentiment_score if sig else 0.0, safety))
    context = StageContext(settings, run_id)
    items = rank_threads(build_threads(scored), as_of=as_of, settings=settings.triage,
                         provenance=context.provenance(STAGE))
    with session_scope(engine) as session:
        repo.save_triage(session, items, as_of, context.provenance(STAGE))
    return items


def write_queue(items: Sequence[TriageItem], output: Path) -> int:
    return _write_jsonl(output, (_queue_line(i) for i in items))


def parse_as_of(value: str) -> datetime:
    from insight.ingest.validate import parse_time

    try:
        parsed = parse_time(value, "--as-of")
    except RowProblem as problem:
        raise InputError("E606", option="--as-of", detail=problem.detail) from None
    assert parsed is not None
    return parsed


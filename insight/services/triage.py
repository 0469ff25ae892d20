"""Triage use-cases: rank threads from a file or the database, keep the moderator queue, act on it, backtest.

Library first: the CLI (and later the API) only parse and print. The queue lives in the
database (``triage_queue``, one item per thread, and the append-only ``triage_actions``); the
rules that open, update, reopen and clear items are ``insight.triage.queue``.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.errors import InputError, StorageError
from insight.ingest.base import Reason, Reject
from insight.ingest.canonical import read_canonical
from insight.ingest.validate import RowProblem, to_post
from insight.privacy.shown import shown
from insight.records import TRIAGE_REASONS, Doc, Post, Provenance, QueueAction, QueueItem, Safety, TriageItem
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.services import alerts, consented
from insight.services.batch import BatchSummary, write_jsonl
from insight.services.queue_wake import wake_on_new_evidence
from insight.storage import members, moderation, posts, queue, runs, signals
from insight.storage.db import session_scope
from insight.triage.backtest import Labels
from insight.triage.detectors import sentiment_value
from insight.triage.queue import (
    ACTIVE,
    STATUSES,
    SYSTEM_ACTOR,
    Change,
    EpisodeState,
    decision_labels,
    plan_refresh,
    transition,
)
from insight.triage.rank import Assessment, ScoredPost, Signal, ThreadView, assess_threads

STAGE = "insight.triage.rules.v1"
THREAD_CHUNK = 2000  # threads read and assessed at a time: memory follows this, not the corpus


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


def score_file_threads(path: Path, settings: Settings, run_id: str,
                       summary: BatchSummary | None = None) -> list[ThreadView]:
    """Threads from a canonical posts file, each post scored by the ``score_stages`` (sentiment, safety)."""
    summary = summary or BatchSummary(run_id=run_id)
    posts = _posts_from_file(path, summary, settings.ingest.max_text_chars)
    pipe = Pipeline.from_names(settings.pipeline.score_stages, StageContext(settings, run_id))
    docs = pipe.run(Doc(id=p.post_id, text=p.text, post=p) for p in posts)
    return build_threads([(d.post, sentiment_value(d.sentiment.scores if d.sentiment else None), d.safety)  # type: ignore[misc]
                          for d in docs])


def rank_file(path: Path, output: Path, *, as_of: datetime, settings: Settings, run_id: str) -> BatchSummary:
    """``insight triage rank``: one line per thread, highest priority first (PRODUCT.md)."""
    summary = BatchSummary(output=str(output), run_id=run_id)
    threads = score_file_threads(path, settings, run_id, summary)
    assessments = assess_threads(threads, as_of=as_of, settings=settings.triage,
                                 provenance=StageContext(settings, run_id).provenance(STAGE))
    summary.written = write_jsonl(output, (_assessment_line(a) for a in assessments))
    summary.extra = {"threads": len(assessments), "needs_attention": sum(a.item.needs_attention for a in assessments)}
    return summary


def _queue_line(item: TriageItem) -> dict[str, Any]:
    out = item.as_dict()
    return {k: out[k] for k in ("thread_id", "needs_attention", "priority", "reasons", "explanation",
                                "evidence_post_ids", "channel", "title", "provenance")}


def _assessment_line(assessment: Assessment) -> dict[str, Any]:
    """A queue line plus each signal's strength, trigger time and details (the safety span among them)."""
    return {**_queue_line(assessment.item), "signals": [_signal_detail(s) for s in assessment.signals]}


def rank_stored(engine: Engine, settings: Settings, *, as_of: datetime, run_id: str) -> list[TriageItem]:
    """Rank stored threads by their stored signals; the ranking is saved with provenance and refreshes the queue."""
    context = StageContext(settings, run_id)
    provenance = context.provenance(STAGE)
    assessments = assess_stored(engine, settings, as_of=as_of, provenance=provenance)
    items = [a.item for a in assessments]
    with session_scope(engine) as session:
        queue.save_triage(session, items, as_of, provenance)
        _apply_refresh(session, assessments, as_of, provenance, settings)
    return items


# --------------------------------------------------------------------------- stored threads


@dataclasses.dataclass(frozen=True)
class StoredThreads:
    """Stored threads as triage sees them, with the member context the priority reads."""

    threads: list[ThreadView]
    joined_at: dict[str, datetime]
    at_risk: frozenset[str]


def load_threads(engine: Engine, settings: Settings, as_of: datetime | None = None,
                 keys: Sequence[str] | None = None) -> StoredThreads:
    """Stored, consented posts with their signals, grouped into threads keyed ``platform:thread_id``:
    those of ``keys`` when given, else with ``as_of`` the threads ``triage_keys`` names, else all.

    A member's join date comes from the members table, else from their first stored post (posts
    carry author ids, so a first-timer is recognisable without a member export).
    """
    with session_scope(engine) as session:
        if keys is None and as_of is not None:
            keys = _triage_keys(session, settings, as_of)
        stored = consented.stored_posts(session, settings.ingest.unknown_members, keys)
        scores = signals.signals_by_post(session, None if keys is None else [s.pk for s in stored])
        authors = {s.post.author_id for s in stored}
        known = members.members_by_id(session, authors)
        # The first post over everything stored, not just these threads: threads come in chunks.
        first_post = posts.first_post_times(session, authors)
    scored = []
    for s in stored:
        sig = scores.get(s.pk)
        safety = Safety(label=sig["safety_label"], category=sig["safety_category"], score=sig["safety_score"],
                        evidence=sig["safety_evidence"]) if sig else None
        # Moderators see redacted text only; thread ids become "platform:thread_id" keys.
        post = dataclasses.replace(s.post, text=s.text_redacted,
                                   thread_id=posts.thread_key(s.post.platform, s.post.thread_id))
        scored.append((post, sentiment_value(sig["sentiment_scores"], sig["sentiment_score"]) if sig else 0.0, safety))
    joined = {a: (m.joined_at if (m := known.get(a)) and m.joined_at else t) for a, t in first_post.items()}
    segments = set(settings.triage.at_risk_segments)
    at_risk = frozenset(a for a, m in known.items() if m.segment is not None and m.segment in segments)
    return StoredThreads(build_threads(scored), joined, at_risk)


def _triage_keys(session: Any, settings: Settings, as_of: datetime) -> list[str]:
    """Threads active within ``[triage] lookback_days`` before ``as_of``, and those in the queue."""
    recent = posts.active_thread_keys(session, as_of - timedelta(days=settings.triage.lookback_days))
    return sorted(set(recent) | {i.thread_key for i in queue.queue_items(session, statuses=ACTIVE)})


def assess_stored(engine: Engine, settings: Settings, *, as_of: datetime, provenance: Provenance | None = None,
                  keep: Collection[str] | None = None) -> list[Assessment]:
    """Assess the threads triage looks at as of ``as_of``, highest priority first.

    Threads are read ``THREAD_CHUNK`` at a time, so memory follows the chunk and the items kept,
    not the corpus. With ``keep``, only threads that need attention or are among ``keep`` (thread
    keys, e.g. those with a queue item) are returned: what a queue refresh reads.
    """
    with session_scope(engine) as session:
        keys = _triage_keys(session, settings, as_of)
    out: list[Assessment] = []
    for start in range(0, len(keys), THREAD_CHUNK):
        data = load_threads(engine, settings, keys=keys[start:start + THREAD_CHUNK])
        found = assess_threads(data.threads, as_of=as_of, settings=settings.triage, provenance=provenance,
                               joined_at=data.joined_at, at_risk=data.at_risk)
        out.extend(a for a in found if keep is None or a.item.needs_attention or a.item.thread_id in keep)
    return sorted(out, key=lambda a: (-a.item.priority, a.item.thread_id))


# --------------------------------------------------------------------------- the queue


def refresh_queue(engine: Engine, settings: Settings, *, as_of: datetime, run_id: str | None = None) -> dict[str, Any]:
    """Rank stored threads as of ``as_of`` and bring the queue up to date (see ``insight.triage.queue``).

    Returns a summary: items opened, updated, reopened (new evidence) and cleared, and the
    active items per reason. The needs-attention part of the ranking is kept as history.
    """
    run_id = run_id or runs.new_run_id()
    provenance = StageContext(settings, run_id).provenance(STAGE)
    with session_scope(engine) as session:
        queued = {i.thread_key for i in queue.queue_items(session)}
    assessments = assess_stored(engine, settings, as_of=as_of, provenance=provenance, keep=queued)
    with session_scope(engine) as session:
        queue.save_triage(session, [a.item for a in assessments if a.item.needs_attention], as_of, provenance)
        counts = _apply_refresh(session, assessments, as_of, provenance, settings)
        counts["woken"] = wake_on_new_evidence(session, as_of)
        active = queue.queue_items(session, statuses=ACTIVE)
    by_reason = {reason: sum(reason in i.reasons for i in active) for reason in TRIAGE_REASONS}
    return {"as_of": as_of.isoformat(), **counts, "active": len(active), "active_by_reason": by_reason,
            "run_id": run_id}


def _signal_detail(signal: Signal) -> dict[str, Any]:
    trigger = signal.trigger_at.isoformat() if signal.trigger_at else None
    return {"reason": signal.reason, "score": round(signal.score, 4), "evidence": list(signal.evidence),
            "trigger_at": trigger, **signal.detail}


def _item_after(change: Change, old: QueueItem | None, as_of: datetime) -> QueueItem:
    """The stored item after an open, reopen or update: the ranking's fields, the episode's status."""
    assert change.assessment is not None
    item = change.assessment.item
    new_episode = change.kind in ("open", "reopen") or old is None
    raised = change.raised if new_episode else tuple(dict.fromkeys((*old.raised_reasons, *change.raised)))  # type: ignore[union-attr]
    return QueueItem(
        id=old.id if old else None, thread_key=item.thread_id, status="open" if new_episode else old.status,  # type: ignore[union-attr]
        priority=item.priority, needs_attention=item.needs_attention, reasons=item.reasons, raised_reasons=raised,
        explanation=item.explanation, evidence_post_ids=item.evidence_post_ids,
        details=tuple(_signal_detail(s) for s in change.assessment.signals), channel=item.channel, title=item.title,
        opened_at=old.opened_at if old else as_of, ranked_at=as_of,
        status_changed_at=as_of if new_episode else old.status_changed_at,  # type: ignore[union-attr]
        attention_at=as_of if item.needs_attention else old.attention_at,  # type: ignore[union-attr]
    )


def _apply_refresh(session: Any, assessments: Sequence[Assessment], as_of: datetime, provenance: Provenance,
                   settings: Settings) -> dict[str, int]:
    existing = {i.thread_key: i for i in queue.queue_items(session)}
    states = {k: EpisodeState(i.status, i.raised_reasons, i.status_changed_at, i.attention_at)
              for k, i in existing.items()}
    counts = {"opened": 0, "updated": 0, "reopened": 0, "cleared": 0}
    clear_after = timedelta(hours=settings.triage.clear_after_hours)
    for change in plan_refresh(states, assessments, as_of=as_of, clear_after=clear_after):
        old = existing.get(change.thread_key)
        if change.kind == "clear":
            assert old is not None and old.id is not None
            queue.set_queue_status(session, old.id, "resolved", as_of)
            queue.add_queue_action(session, QueueAction(old.id, old.thread_key, "resolve", old.status, "resolved",
                                                       SYSTEM_ACTOR, as_of, change.note, old.reasons, old.priority))
            counts["cleared"] += 1
            continue
        item = _item_after(change, old, as_of)
        item_id = queue.save_queue_item(session, item, provenance)
        alerts.queue_alerts(session, settings, item_id, item, change.kind, change.raised, as_of)
        if change.kind == "update":
            counts["updated"] += 1
            continue
        action = "open" if change.kind == "open" else "reopen"
        queue.add_queue_action(session, QueueAction(item_id, item.thread_key, action, old.status if old else None,
                                                   "open", SYSTEM_ACTOR, as_of, change.note, item.reasons,
                                                   item.priority))
        counts["opened" if action == "open" else "reopened"] += 1
    return counts


def statuses(status: str | Sequence[str] | None) -> tuple[str, ...]:
    if status is None or status == "active":
        return ACTIVE
    wanted = (status,) if isinstance(status, str) else tuple(status)
    if "all" in wanted:
        return STATUSES
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise InputError("E606", option="--status", detail=f"'{unknown[0]}'; use active, all or one of "
                                                           f"{', '.join(STATUSES)}")
    return wanted


def list_queue(engine: Engine, *, status: str | Sequence[str] | None = None, reason: str | None = None,
               channel: str | None = None, limit: int | None = None, offset: int = 0) -> list[QueueItem]:
    """Queue items, highest priority first. ``status`` None or "active" means open, acknowledged or
    escalated; "all" means every item. ``limit``/``offset`` page through them."""
    with session_scope(engine) as session:
        return queue.queue_items(session, statuses=statuses(status), reason=_reason(reason), channel=channel,
                                limit=limit, offset=offset)


def count_queue(engine: Engine, *, status: str | Sequence[str] | None = None, reason: str | None = None,
                channel: str | None = None) -> int:
    """How many items ``list_queue`` would list without a limit."""
    with session_scope(engine) as session:
        return queue.count_queue_items(session, statuses=statuses(status), reason=_reason(reason), channel=channel)


def check_filters(*, status: str | Sequence[str] | None, reason: str | None, channel: str | None) -> None:
    """E606 for an unknown status or reason (``channel`` is free text)."""
    statuses(status)
    _reason(reason)


def _reason(reason: str | None) -> str | None:
    if reason is not None and reason not in TRIAGE_REASONS:
        raise InputError("E606", option="--reason", detail=f"'{reason}'; use one of {', '.join(TRIAGE_REASONS)}")
    return reason


def act(engine: Engine, item_id: int, action: str, actor: str, reason: str | None = None,
        at: datetime | None = None) -> dict[str, Any]:
    """A moderator's action on a queue item: checked, applied and audited (who, when, what, why).

    Raises:
        StorageError: E421 when there is no item ``item_id``.
        InputError: E621/E622/E623 for an unknown action, a transition the item's status does
            not allow, or a missing actor or dismissal reason.
    """
    with session_scope(engine) as session:
        return act_in(session, item_id, action, actor, reason, at or datetime.now(UTC))


def act_in(session: Any, item_id: int, action: str, actor: str, reason: str | None, at: datetime) -> dict[str, Any]:
    """``act`` inside a session (bulk actions apply many in one transaction); the status before is
    kept beside the audit row so the action can be undone (``services.moderation.undo``)."""
    item = queue.queue_item(session, item_id)
    if item is None:
        raise StorageError("E421", item_id=item_id)
    status = transition(item.status, action, item_id=item_id, actor=actor, reason=reason)
    queue.set_queue_status(session, item_id, status, at)
    note = shown(reason.strip()) if reason and reason.strip() else None  # shown on the queue page
    audit = QueueAction(item_id, item.thread_key, action, item.status, status, actor.strip(), at, note,
                        item.reasons, item.priority)
    audit = dataclasses.replace(audit, id=queue.add_queue_action(session, audit))
    moderation.add_change(session, audit.id, item_id, {"status": item.status})  # type: ignore[arg-type]
    updated = queue.queue_item(session, item_id)
    assert updated is not None
    return {"item": updated.as_dict(), "action": audit.as_dict()}


def queue_history(engine: Engine, item_id: int | None = None) -> list[QueueAction]:
    """The audit trail, oldest first: every open, reopen, clear and moderator action."""
    with session_scope(engine) as session:
        return queue.queue_actions(session, item_id)


def action_labels(engine: Engine) -> Labels:
    """Moderators' decisions as labels: (thread, reason) -> needs attention (see ``decision_labels``)."""
    with session_scope(engine) as session:
        decisions = decision_labels(queue.queue_actions(session))
    return Labels(dict(decisions))


def write_queue(items: Sequence[TriageItem], output: Path) -> int:
    return write_jsonl(output, (_queue_line(i) for i in items))


def parse_as_of(value: str, option: str = "--as-of") -> datetime:
    from insight.ingest.validate import parse_time

    try:
        parsed = parse_time(value, option)
    except RowProblem as problem:
        raise InputError("E606", option=option, detail=problem.detail) from None
    assert parsed is not None
    return parsed

"""Typed reads and writes. ORM rows stay here; callers get records, dicts or DataFrames."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import String, cast, delete, func, select
from sqlalchemy.orm import Session

from insight.records import (
    FeedbackAnswer,
    KpiObservation,
    Member,
    Post,
    Provenance,
    QueueAction,
    QueueItem,
    StoredPost,
    TriageItem,
    utc,
)
from insight.storage.tables import (
    FeedbackRow,
    KpiObservationRow,
    MemberRow,
    PostRow,
    Run,
    SignalRow,
    ThreadRow,
    TopicAssignmentRow,
    TopicRow,
    TriageActionRow,
    TriageItemRow,
    TriageQueueRow,
)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


# --- runs ---------------------------------------------------------------------------------


def start_run(session: Session, command: str, config_hash: str, run_id: str | None = None) -> str:
    run_id = run_id or new_run_id()
    session.add(Run(run_id=run_id, command=command, config_hash=config_hash, started_at=datetime.now(UTC),
                    finished_at=None, status="running", summary={}))
    session.flush()
    return run_id


def finish_run(session: Session, run_id: str, summary: dict[str, Any], status: str = "ok") -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.finished_at = datetime.now(UTC)
    run.status = status
    run.summary = summary


# --- members, posts, feedback, KPI observations -------------------------------------------


def members_by_id(session: Session, author_ids: Iterable[str]) -> dict[str, Member]:
    ids = list(set(author_ids))
    out: dict[str, Member] = {}
    for chunk in _chunks(ids, 500):
        for row in session.scalars(select(MemberRow).where(MemberRow.author_id.in_(chunk))):
            out[row.author_id] = _member(row)
    return out


def upsert_member(session: Session, member: Member, run_id: str) -> bool:
    """Insert or update; True when the member was new."""
    row = session.get(MemberRow, member.author_id)
    values = {
        "platform": member.platform, "joined_at": member.joined_at, "motivation": member.motivation,
        "segment": member.segment, "region": member.region, "plan": member.plan,
        "consent_analytics": member.consent_analytics, "consent_quotes": member.consent_quotes, "run_id": run_id,
    }
    if row is None:
        session.add(MemberRow(author_id=member.author_id, **values))
        return True
    for key in ("consent_analytics", "consent_quotes"):
        if values[key] is None:  # an export that says nothing about consent never erases an answer
            values[key] = getattr(row, key)
    for key, value in values.items():
        setattr(row, key, value)
    return False


def purge_author(session: Session, author_id: str) -> int:
    """Remove everything a member wrote (consent withdrawn). Returns posts removed."""
    post_pks = list(session.scalars(select(PostRow.id).where(PostRow.author_id == author_id)))
    for chunk in _chunks(post_pks, 500):
        for table in (SignalRow, TopicAssignmentRow):
            session.execute(delete(table).where(table.post_pk.in_(chunk)))
        session.execute(delete(PostRow).where(PostRow.id.in_(chunk)))
    session.execute(delete(FeedbackRow).where(FeedbackRow.author_id == author_id))
    return len(post_pks)


def existing_post_ids(session: Session, platform: str, post_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(post_ids), 500):
        stmt = select(PostRow.post_id).where(PostRow.platform == platform, PostRow.post_id.in_(chunk))
        found.update(session.scalars(stmt))
    return found


def thread_key(platform: str, thread_id: str) -> str:
    return f"{platform}:{thread_id}"


def insert_post(session: Session, post: Post, text_redacted: str, source: str | None, run_id: str) -> None:
    key = thread_key(post.platform, post.thread_id)
    thread = session.get(ThreadRow, key)
    if thread is None:
        session.add(ThreadRow(thread_key=key, platform=post.platform, thread_id=post.thread_id,
                              channel=post.channel, title=post.title, created_at=post.created_at))
        session.flush()
    else:
        # The thread's title and start come from its earliest post, whatever the ingest order.
        if post.title and (not thread.title or post.created_at < utc(thread.created_at)):  # type: ignore[operator]
            thread.title = post.title
        if post.created_at < utc(thread.created_at):  # type: ignore[operator]
            thread.created_at = post.created_at
        thread.channel = thread.channel or post.channel
    session.add(PostRow(
        platform=post.platform, post_id=post.post_id, thread_key=key, author_id=post.author_id,
        created_at=post.created_at, text=post.text, text_redacted=text_redacted, channel=post.channel,
        parent_id=post.parent_id, title=post.title, kind=post.kind, accepted_answer=post.accepted_answer,
        reactions=post.reactions, helpful_votes=post.helpful_votes, views=post.views, url=post.url,
        source=source, run_id=run_id,
    ))


def insert_feedback(session: Session, answer: FeedbackAnswer, text_redacted: str, run_id: str) -> bool:
    if session.get(FeedbackRow, answer.response_id) is not None:
        return False
    session.add(FeedbackRow(
        response_id=answer.response_id, prompt_id=answer.prompt_id, moment=answer.moment,
        author_id=answer.author_id, created_at=answer.created_at, text=answer.text,
        text_redacted=text_redacted, rating=answer.rating, run_id=run_id,
    ))
    return True


def upsert_kpi_observation(session: Session, obs: KpiObservation, run_id: str) -> bool:
    """True when new; an observation for the same KPI, cohort and period is updated in place."""
    row = session.scalar(select(KpiObservationRow).where(
        KpiObservationRow.kpi_id == obs.kpi_id, KpiObservationRow.cohort == obs.cohort,
        KpiObservationRow.period_start == obs.period_start, KpiObservationRow.period_end == obs.period_end,
    ))
    if row is None:
        session.add(KpiObservationRow(kpi_id=obs.kpi_id, period_start=obs.period_start, period_end=obs.period_end,
                                      cohort=obs.cohort, value=obs.value, n=obs.n, run_id=run_id))
        return True
    row.value, row.n, row.run_id = obs.value, obs.n, run_id
    return False


# --- analysis reads -----------------------------------------------------------------------


def load_posts(session: Session, *, only_consented: bool = True, unknown_members: str = "include") -> list[StoredPost]:
    """Posts in thread and time order; members without analytics consent are left out."""
    stmt = select(PostRow, MemberRow.consent_analytics).outerjoin(MemberRow, MemberRow.author_id == PostRow.author_id)
    stmt = stmt.order_by(PostRow.thread_key, PostRow.created_at, PostRow.id)
    out = []
    for row, consent in session.execute(stmt):
        # consent is None both for unknown consent and for authors with no member record.
        if only_consented and (consent is False or (consent is None and unknown_members == "exclude")):
            continue
        out.append(StoredPost(pk=row.id, post=_post(row), text_redacted=row.text_redacted))
    return out


def posts_frame(session: Session) -> pd.DataFrame:
    """All posts as a DataFrame (columns of the canonical post contract), UTC times."""
    rows = session.execute(select(
        PostRow.post_id, PostRow.thread_key.label("thread_id"), PostRow.author_id, PostRow.created_at, PostRow.kind,
        PostRow.parent_id, PostRow.accepted_answer, PostRow.channel, PostRow.platform,
    )).all()
    frame = pd.DataFrame(rows, columns=["post_id", "thread_id", "author_id", "created_at", "kind", "parent_id",
                                        "accepted_answer", "channel", "platform"])
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def members_frame(session: Session, unknown_members: str = "include") -> pd.DataFrame:
    """Members as a DataFrame; unknown consent resolved by the ``ingest.unknown_members`` policy."""
    rows = session.execute(select(
        MemberRow.author_id, MemberRow.joined_at, MemberRow.motivation, MemberRow.segment,
        MemberRow.consent_analytics, MemberRow.consent_quotes,
    )).all()
    frame = pd.DataFrame(rows, columns=["author_id", "joined_at", "motivation", "segment",
                                        "consent_analytics", "consent_quotes"])
    frame["joined_at"] = pd.to_datetime(frame["joined_at"], utc=True)
    unknown = frame["consent_analytics"].isna()
    frame["consent_analytics"] = frame["consent_analytics"].astype(object).where(~unknown, unknown_members == "include")
    frame["consent_analytics"] = frame["consent_analytics"].astype(bool)
    frame["consent_quotes"] = frame["consent_quotes"].fillna(False).astype(bool)
    return frame


def kpi_observations(session: Session) -> list[KpiObservation]:
    rows = session.scalars(select(KpiObservationRow).order_by(KpiObservationRow.kpi_id, KpiObservationRow.period_start))
    return [KpiObservation(kpi_id=r.kpi_id, period_start=utc(r.period_start), period_end=utc(r.period_end),  # type: ignore[arg-type]
                           cohort=r.cohort, value=r.value, n=r.n) for r in rows]


# --- outputs with provenance ---------------------------------------------------------------


def _prov(p: Provenance) -> dict[str, Any]:
    return {"stage": p.stage, "model": p.model, "model_revision": p.model_revision,
            "config_hash": p.config_hash, "run_id": p.run_id}


def save_signals(session: Session, rows: Sequence[dict[str, Any]], provenance: Provenance) -> None:
    """Replace the signals of the given posts (``rows`` hold post_pk and the signal columns)."""
    pks = [r["post_pk"] for r in rows]
    for chunk in _chunks(pks, 500):
        session.execute(delete(SignalRow).where(SignalRow.post_pk.in_(chunk)))
    session.add_all(SignalRow(**r, **_prov(provenance)) for r in rows)


def signals_by_post(session: Session) -> dict[int, SignalRow]:
    return {row.post_pk: row for row in session.scalars(select(SignalRow))}


def save_topics(session: Session, topics: Sequence[dict[str, Any]], assignments: Sequence[tuple[int, int, float]],
                provenance: Provenance) -> None:
    """Store a fitted topic set and its assignments (replacing earlier assignments of those posts)."""
    session.add_all(TopicRow(topic=t["topic"], label=t["label"], words=t["words"], size=t["size"], **_prov(provenance))
                    for t in topics)
    pks = [a[0] for a in assignments]
    for chunk in _chunks(pks, 500):
        session.execute(delete(TopicAssignmentRow).where(TopicAssignmentRow.post_pk.in_(chunk)))
    session.add_all(TopicAssignmentRow(post_pk=pk, topic=topic, probability=prob, **_prov(provenance))
                    for pk, topic, prob in assignments)


def latest_topics(session: Session) -> list[dict[str, Any]]:
    last_run = session.scalar(select(TopicRow.run_id).order_by(TopicRow.id.desc()).limit(1))
    if last_run is None:
        return []
    rows = session.scalars(select(TopicRow).where(TopicRow.run_id == last_run).order_by(TopicRow.topic))
    return [{"topic": r.topic, "label": r.label, "words": r.words, "size": r.size, "run_id": r.run_id} for r in rows]


def save_triage(session: Session, items: Sequence[TriageItem], as_of: datetime, provenance: Provenance) -> None:
    for item in items:
        session.add(TriageItemRow(
            thread_key=item.thread_id, as_of=as_of, needs_attention=item.needs_attention, priority=item.priority,
            reasons=list(item.reasons), explanation=item.explanation, evidence_post_ids=list(item.evidence_post_ids),
            status="open", **_prov(provenance),
        ))


# --- helpers ------------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _member(row: MemberRow) -> Member:
    return Member(author_id=row.author_id, platform=row.platform, joined_at=utc(row.joined_at),
                  motivation=row.motivation, segment=row.segment, region=row.region, plan=row.plan,
                  consent_analytics=row.consent_analytics, consent_quotes=row.consent_quotes)


def _post(row: PostRow) -> Post:
    _, _, thread_id = row.thread_key.partition(":")
    return Post(post_id=row.post_id, thread_id=thread_id, author_id=row.author_id,
                created_at=utc(row.created_at), text=row.text, platform=row.platform,  # type: ignore[arg-type]
                channel=row.channel, parent_id=row.parent_id, title=row.title, kind=row.kind,
                accepted_answer=row.accepted_answer, reactions=row.reactions, helpful_votes=row.helpful_votes,
                views=row.views, url=row.url)


# --- triage queue (items updated in place, actions append-only) ---------------------------


def _queue_filters(stmt: Any, statuses: Sequence[str] | None, reason: str | None, channel: str | None) -> Any:
    if statuses:
        stmt = stmt.where(TriageQueueRow.status.in_(list(statuses)))
    if channel is not None:
        stmt = stmt.where(TriageQueueRow.channel == channel)
    if reason is not None:
        # JSON containment differs between SQLite and PostgreSQL; the JSON text of the list is the
        # same on both, and reasons are fixed words without quotes, so '"reason"' matches exactly.
        stmt = stmt.where(cast(TriageQueueRow.reasons, String).like(f'%"{reason}"%'))
    return stmt


def queue_items(session: Session, *, statuses: Sequence[str] | None = None, reason: str | None = None,
                channel: str | None = None, limit: int | None = None, offset: int = 0) -> list[QueueItem]:
    """Queue items, highest priority first; ``reason`` matches any current reason; ``limit``/``offset`` page."""
    stmt = _queue_filters(select(TriageQueueRow), statuses, reason, channel)
    stmt = stmt.order_by(TriageQueueRow.priority.desc(), TriageQueueRow.thread_key).offset(offset).limit(limit)
    return [_queue_item(row) for row in session.scalars(stmt)]


def count_queue_items(session: Session, *, statuses: Sequence[str] | None = None, reason: str | None = None,
                      channel: str | None = None) -> int:
    stmt = _queue_filters(select(func.count()).select_from(TriageQueueRow), statuses, reason, channel)
    return int(session.scalar(stmt) or 0)


def queue_channels(session: Session) -> list[str]:
    """Channels that have queue items (for the queue page's filter)."""
    stmt = select(TriageQueueRow.channel).where(TriageQueueRow.channel.is_not(None)).distinct()
    return sorted(session.scalars(stmt))


def queue_item(session: Session, item_id: int) -> QueueItem | None:
    row = session.get(TriageQueueRow, item_id)
    return None if row is None else _queue_item(row)


def save_queue_item(session: Session, item: QueueItem, provenance: Provenance) -> int:
    """Insert a new item (``item.id`` None) or update the thread's item in place; returns its id."""
    values = {
        "status": item.status, "priority": item.priority, "needs_attention": item.needs_attention,
        "reasons": list(item.reasons), "raised_reasons": list(item.raised_reasons), "explanation": item.explanation,
        "evidence_post_ids": list(item.evidence_post_ids), "details": list(item.details), "channel": item.channel,
        "title": item.title, "opened_at": item.opened_at, "ranked_at": item.ranked_at,
        "status_changed_at": item.status_changed_at, "attention_at": item.attention_at, **_prov(provenance),
    }
    row = session.get(TriageQueueRow, item.id) if item.id is not None else None
    if row is None:
        row = TriageQueueRow(thread_key=item.thread_key, **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()
    return row.id


def set_queue_status(session: Session, item_id: int, status: str, at: datetime) -> None:
    row = session.get(TriageQueueRow, item_id)
    if row is not None:
        row.status, row.status_changed_at = status, at


def add_queue_action(session: Session, action: QueueAction) -> int:
    """Append one audit row. There is no update or delete: the audit is the labelled history."""
    row = TriageActionRow(item_id=action.item_id, thread_key=action.thread_key, action=action.action,
                          from_status=action.from_status, to_status=action.to_status, actor=action.actor,
                          reason=action.reason, at=action.at, reasons=list(action.reasons), priority=action.priority)
    session.add(row)
    session.flush()
    return row.id


def queue_actions(session: Session, item_id: int | None = None) -> list[QueueAction]:
    stmt = select(TriageActionRow).order_by(TriageActionRow.at, TriageActionRow.id)
    if item_id is not None:
        stmt = stmt.where(TriageActionRow.item_id == item_id)
    return [QueueAction(item_id=r.item_id, thread_key=r.thread_key, action=r.action, from_status=r.from_status,
                        to_status=r.to_status, actor=r.actor, at=utc(r.at), reason=r.reason,  # type: ignore[arg-type]
                        reasons=tuple(r.reasons), priority=r.priority, id=r.id) for r in session.scalars(stmt)]


def _queue_item(row: TriageQueueRow) -> QueueItem:
    return QueueItem(id=row.id, thread_key=row.thread_key, status=row.status, priority=row.priority,
                     needs_attention=row.needs_attention, reasons=tuple(row.reasons),
                     raised_reasons=tuple(row.raised_reasons), explanation=row.explanation,
                     evidence_post_ids=tuple(row.evidence_post_ids), details=tuple(row.details),
                     channel=row.channel, title=row.title, opened_at=utc(row.opened_at),  # type: ignore[arg-type]
                     ranked_at=utc(row.ranked_at), status_changed_at=utc(row.status_changed_at),  # type: ignore[arg-type]
                     attention_at=utc(row.attention_at))  # type: ignore[arg-type]

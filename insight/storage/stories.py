"""Reads and writes of member stories: taxonomy versions, examples, stories, suggestions, decisions, links,
audit; and what story-metric pairs read (the stories' members, a fingerprint of every input).

ORM rows stay here; callers get plain dicts (times in UTC) or ``Member`` records. Review decisions and the story audit
trail are append-only: the ORM refuses to update or delete their rows (E436).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import case, event, func, select
from sqlalchemy.orm import Session

from insight.errors import StorageError
from insight.records import Member
from insight.storage import persons
from insight.storage.members import member_record
from insight.storage.rows import chunks, values
from insight.storage.tables import (
    KpiObservationRow,
    MemberRow,
    PostRow,
    ReviewDecisionRow,
    StoryAuditRow,
    StoryExampleRow,
    StoryLinkRow,
    StoryRow,
    TagMappingRow,
    TagSuggestionRow,
    TaxonomyVersionRow,
)


def _refuse_change(mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
    raise StorageError("E436", table=target.__tablename__)


for _table in (StoryAuditRow, ReviewDecisionRow):
    event.listen(_table, "before_update", _refuse_change)
    event.listen(_table, "before_delete", _refuse_change)


# --- taxonomy versions --------------------------------------------------------------------


def taxonomy_rows(session: Session) -> list[dict[str, Any]]:
    """Every stored version, oldest first; the last one is current."""
    return [values(r) for r in session.scalars(select(TaxonomyVersionRow).order_by(TaxonomyVersionRow.id))]


def add_taxonomy(session: Session, values: dict[str, Any], mappings: Iterable[dict[str, Any]]) -> None:
    session.add(TaxonomyVersionRow(**values))
    session.add_all(TagMappingRow(**m) for m in mappings)
    session.flush()


def mappings(session: Session, from_version: str | None = None) -> list[dict[str, Any]]:
    stmt = select(TagMappingRow).order_by(TagMappingRow.id)
    if from_version is not None:
        stmt = stmt.where(TagMappingRow.from_version == from_version)
    return [values(r) for r in session.scalars(stmt)]


# --- seed examples ------------------------------------------------------------------------


def add_examples(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    items = [StoryExampleRow(**r) for r in rows]
    session.add_all(items)
    return len(items)


def examples(session: Session) -> list[dict[str, Any]]:
    return [values(r) for r in session.scalars(select(StoryExampleRow).order_by(StoryExampleRow.id))]


# --- stories ------------------------------------------------------------------------------


def story_ids(session: Session) -> set[str]:
    return set(session.scalars(select(StoryRow.story_id)))


def add_stories(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    session.add_all(StoryRow(**r) for r in rows)
    session.flush()


def stories(session: Session, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    stmt = select(StoryRow).order_by(StoryRow.told_at, StoryRow.story_id)
    if ids is not None:
        stmt = stmt.where(StoryRow.story_id.in_(list(ids)))
    return [values(r) for r in session.scalars(stmt)]


def matching_story_ids(session: Session, words: str) -> set[str]:
    """Stories whose redacted text holds ``words`` (case-insensitive, as typed; % and _ are literal)."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = select(StoryRow.story_id).where(StoryRow.text_redacted.ilike(f"%{escaped}%", escape="\\"))
    return set(session.scalars(stmt))


def story(session: Session, story_id: str) -> dict[str, Any] | None:
    row = session.get(StoryRow, story_id)
    return None if row is None else values(row)


# --- suggestions and decisions --------------------------------------------------------------


def suggestions(session: Session, *, version: str | None = None, statuses: Sequence[str] | None = None,
                tag: str | None = None, story_id: str | None = None) -> list[dict[str, Any]]:
    stmt = select(TagSuggestionRow).order_by(TagSuggestionRow.id)
    if version is not None:
        stmt = stmt.where(TagSuggestionRow.taxonomy_version == version)
    if statuses:
        stmt = stmt.where(TagSuggestionRow.status.in_(list(statuses)))
    if tag is not None:
        stmt = stmt.where(TagSuggestionRow.tag == tag)
    if story_id is not None:
        stmt = stmt.where(TagSuggestionRow.story_id == story_id)
    return [values(r) for r in session.scalars(stmt)]


def suggestion(session: Session, suggestion_id: int) -> dict[str, Any] | None:
    row = session.get(TagSuggestionRow, suggestion_id)
    return None if row is None else values(row)


def add_suggestion(session: Session, values: dict[str, Any]) -> int:
    row = TagSuggestionRow(**values)
    session.add(row)
    session.flush()
    return row.id


def update_suggestion(session: Session, suggestion_id: int, **values: Any) -> None:
    row = session.get(TagSuggestionRow, suggestion_id)
    if row is not None:
        for key, value in values.items():
            setattr(row, key, value)


def add_decision(session: Session, values: dict[str, Any]) -> int:
    row = ReviewDecisionRow(**values)
    session.add(row)
    session.flush()
    return row.id


def latest_decisions(session: Session, suggestion_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """suggestion id -> its newest decision (confirm, reject, retag, add, undo)."""
    out: dict[int, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(suggestion_ids))):
        newest = (select(func.max(ReviewDecisionRow.id)).where(ReviewDecisionRow.suggestion_id.in_(list(chunk)))
                  .group_by(ReviewDecisionRow.suggestion_id))
        for row in session.scalars(select(ReviewDecisionRow).where(ReviewDecisionRow.id.in_(newest))):
            out[row.suggestion_id] = values(row)
    return out


def decisions(session: Session) -> list[dict[str, Any]]:
    return [values(r) for r in session.scalars(select(ReviewDecisionRow).order_by(ReviewDecisionRow.id))]


# --- links and audit ----------------------------------------------------------------------


def add_link(session: Session, values: dict[str, Any]) -> None:
    session.add(StoryLinkRow(**values))
    session.flush()


def links(session: Session, *, active: bool | None = True, kind: str | None = None,
          suggestion_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    stmt = select(StoryLinkRow).order_by(StoryLinkRow.linked_at, StoryLinkRow.link_id)
    if active is not None:
        stmt = stmt.where(StoryLinkRow.active.is_(active))
    if kind is not None:
        stmt = stmt.where(StoryLinkRow.kind == kind)
    if suggestion_ids is not None:
        stmt = stmt.where(StoryLinkRow.suggestion_id.in_(list(suggestion_ids)))
    return [values(r) for r in session.scalars(stmt)]


def link(session: Session, link_id: str) -> dict[str, Any] | None:
    row = session.get(StoryLinkRow, link_id)
    return None if row is None else values(row)


def reactivate_link(session: Session, link_id: str, **changes: Any) -> None:
    """A link undone earlier and made again (its id is derived from the suggestion, kind and target)."""
    row = session.get(StoryLinkRow, link_id)
    if row is not None:
        row.active = True
        for key, value in changes.items():
            setattr(row, key, value)
        session.flush()


def deactivate_links(session: Session, link_ids: Sequence[str]) -> None:
    for row in session.scalars(select(StoryLinkRow).where(StoryLinkRow.link_id.in_(list(link_ids)))):
        row.active = False


def add_audit(session: Session, values: dict[str, Any]) -> None:
    session.add(StoryAuditRow(**values))


def audit(session: Session, *, story_id: str | None = None, link_id: str | None = None) -> list[dict[str, Any]]:
    stmt = select(StoryAuditRow).order_by(StoryAuditRow.at, StoryAuditRow.id)
    if story_id is not None:
        stmt = stmt.where(StoryAuditRow.story_id == story_id)
    if link_id is not None:
        stmt = stmt.where(StoryAuditRow.link_id == link_id)
    return [values(r) for r in session.scalars(stmt)]


# --- what story-metric pairs read -----------------------------------------------------------


def story_members(session: Session, story_ids: Iterable[str]) -> dict[str, Member | None]:
    """story id -> its member's record as stored now (None: the author has no member record)."""
    ids = sorted(set(story_ids))
    out: dict[str, Member | None] = {}
    for chunk in chunks(ids):
        rows = session.execute(select(StoryRow.story_id, MemberRow)
                               .outerjoin(MemberRow, MemberRow.author_id == StoryRow.author_id)
                               .where(StoryRow.story_id.in_(chunk)))
        out.update({sid: None if member is None else member_record(member) for sid, member in rows})
    return out


def pairs_fingerprint(session: Session) -> tuple[Any, ...]:
    """What story-metric pairs of any period depend on, as a handful of aggregates (one round trip).

    Posts, members (count, consent counts, newest run), KPI observations, stories, links and
    taxonomy versions: any change to what pairs read changes one of these.
    """
    aggregates = [
        func.count(PostRow.id), func.max(PostRow.id),
        func.count(MemberRow.author_id), func.max(MemberRow.run_id),
        func.sum(case((MemberRow.consent_analytics.is_(False), 1), else_=0)),
        func.sum(case((MemberRow.consent_quotes.is_(True), 1), else_=0)),
        func.count(KpiObservationRow.id), func.max(KpiObservationRow.id),
        func.count(StoryRow.story_id),
        func.count(StoryLinkRow.link_id), func.sum(case((StoryLinkRow.active.is_(True), 1), else_=0)),
        func.max(StoryLinkRow.linked_at),
        func.count(TaxonomyVersionRow.id),
    ]
    # Each aggregate reads one table: as scalar subqueries they make one row in one round trip.
    columns = [select(a).scalar_subquery() for a in aggregates]
    # Links between accounts change who counts once (issue 19): their state is part of it too.
    return tuple(session.execute(select(*columns)).one()) + persons.fingerprint(session)

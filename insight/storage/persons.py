"""Persons above platform accounts: identity hashes, account links, consent history.

ORM rows stay here; callers get plain dicts (times in UTC) or ``Identity`` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from insight.storage.privacy_tables import ConsentEventRow, MemberIdentityRow, PersonAccountRow, PrivacyAuditRow
from insight.storage.rows import values
from insight.storage.tables import FeedbackRow, MemberRow, PostRow, StoryRow

CONSENT_FLAGS = ("consent_analytics", "consent_quotes", "link_accounts")


IDENTITY_FIELDS = ("author_id", "platform", "email_hash", "username_hash", "name_tokens", "link_accounts")


def save_identity(session: Session, identity: dict[str, Any], at: datetime) -> bool | None:
    """Store an account's identity hashes (``IDENTITY_FIELDS``); a field the row did not give keeps
    its stored value. Returns the stored ``link_accounts`` answer before this row."""
    row = session.get(MemberIdentityRow, identity["author_id"])
    if row is None:
        row = MemberIdentityRow(author_id=identity["author_id"], platform=identity["platform"], name_tokens=[],
                                updated_at=at)
        session.add(row)
        before = None
    else:
        before = row.link_accounts
    row.platform = identity["platform"]
    row.email_hash = identity["email_hash"] or row.email_hash
    row.username_hash = identity["username_hash"] or row.username_hash
    row.name_tokens = list(identity["name_tokens"]) or list(row.name_tokens or [])
    if identity["link_accounts"] is not None:
        row.link_accounts = identity["link_accounts"]
    row.updated_at = at
    return before


def identities(session: Session, author_ids: Sequence[str] | None = None, *,
               email_hashes: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Stored identity hashes (``IDENTITY_FIELDS``), by author id; only ``author_ids`` or only those with
    one of ``email_hashes`` when given."""
    stmt = select(MemberIdentityRow).order_by(MemberIdentityRow.author_id)
    if author_ids is not None:
        stmt = stmt.where(MemberIdentityRow.author_id.in_(list(author_ids)))
    if email_hashes is not None:
        stmt = stmt.where(MemberIdentityRow.email_hash.in_(list(email_hashes)))
    return [{k: getattr(r, k) for k in IDENTITY_FIELDS} for r in session.scalars(stmt)]


def link_consent(session: Session, author_id: str) -> bool | None:
    row = session.get(MemberIdentityRow, author_id)
    return None if row is None else row.link_accounts


def known_author(session: Session, author_id: str) -> bool:
    """Whether anything is stored under this member key: a member record, identity, post or answer."""
    if session.get(MemberRow, author_id) is not None or session.get(MemberIdentityRow, author_id) is not None:
        return True
    return any(session.scalar(select(column).where(column == author_id).limit(1)) is not None
               for column in (PostRow.author_id, FeedbackRow.author_id, StoryRow.author_id))


def member_consent(session: Session, author_id: str) -> dict[str, Any] | None:
    row = session.get(MemberRow, author_id)
    if row is None:
        return None
    return {"consent_analytics": row.consent_analytics, "consent_quotes": row.consent_quotes}


# --- links ----------------------------------------------------------------------------------


def person_of(session: Session) -> dict[str, str]:
    """account (member key) -> person id, for every linked account."""
    return dict(session.execute(select(PersonAccountRow.author_id, PersonAccountRow.person_id)).tuples().all())


def person_accounts(session: Session, person_id: str) -> list[dict[str, Any]]:
    return [values(r) for r in session.scalars(select(PersonAccountRow).where(PersonAccountRow.person_id == person_id)
                                               .order_by(PersonAccountRow.author_id))]


def link(session: Session, author_ids: Sequence[str], person_id: str, *, how: str, actor: str,
         confidence: float | None, evidence: list[str], at: datetime) -> None:
    """Put accounts into one person (each account's earlier person is merged in too)."""
    earlier = set(session.scalars(select(PersonAccountRow.person_id).where(
        PersonAccountRow.author_id.in_(list(author_ids)))))
    for row in session.scalars(select(PersonAccountRow).where(PersonAccountRow.person_id.in_(sorted(earlier)))):
        row.person_id = person_id
    for author_id in author_ids:
        row = session.get(PersonAccountRow, author_id)
        if row is None:
            session.add(PersonAccountRow(author_id=author_id, person_id=person_id, how=how, actor=actor,
                                         confidence=confidence, evidence=evidence, linked_at=at))
        else:
            row.person_id, row.how, row.actor = person_id, how, actor
            row.confidence, row.evidence, row.linked_at = confidence, evidence, at
    session.flush()


def unlink(session: Session, author_id: str) -> str | None:
    """Take an account out of its person; a person left with one account is dissolved. Returns the person id."""
    row = session.get(PersonAccountRow, author_id)
    if row is None:
        return None
    person = row.person_id
    session.delete(row)
    session.flush()
    rest = list(session.scalars(select(PersonAccountRow).where(PersonAccountRow.person_id == person)))
    if len(rest) == 1:
        session.delete(rest[0])
    return person


def linked_accounts(session: Session) -> tuple[int, int]:
    """(accounts linked, persons they form)."""
    accounts, persons = session.execute(select(func.count(PersonAccountRow.author_id),
                                               func.count(func.distinct(PersonAccountRow.person_id)))).one()
    return int(accounts or 0), int(persons or 0)


def fingerprint(session: Session) -> tuple[Any, ...]:
    """What changes who counts as one person: the links and the newest privacy action."""
    return tuple(session.execute(select(
        select(func.count(PersonAccountRow.author_id)).scalar_subquery(),
        select(func.max(PrivacyAuditRow.id)).where(PrivacyAuditRow.event != "exported").scalar_subquery(),
    )).one())


# --- consent history ------------------------------------------------------------------------


def record_consent(session: Session, author_id: str, flag: str, value: bool | None, previous: bool | None,
                   source: str, run_id: str, at: datetime) -> bool:
    """Append a consent change; nothing when the answer did not change (or says nothing). True when recorded."""
    if value is None or value == previous:
        return False
    session.add(ConsentEventRow(author_id=author_id, at=at, flag=flag, value=value, previous=previous,
                                source=source[:300], run_id=run_id))
    return True


def consent_history(session: Session, author_ids: Sequence[str]) -> list[dict[str, Any]]:
    stmt = select(ConsentEventRow).where(ConsentEventRow.author_id.in_(list(author_ids))).order_by(
        ConsentEventRow.at, ConsentEventRow.id)
    return [values(r) for r in session.scalars(stmt)]


def forget(session: Session, author_ids: Sequence[str]) -> dict[str, int]:
    """Remove the accounts' identity hashes, links and consent history (an erasure)."""
    ids = list(author_ids)
    out = {}
    for name, table in (("identities", MemberIdentityRow), ("person_links", PersonAccountRow),
                        ("consent_events", ConsentEventRow)):
        out[name] = int(session.execute(delete(table).where(table.author_id.in_(ids))).rowcount or 0)
    return out


def rekey(session: Session, old: str, new: str) -> None:
    """An account's identity, consent history and person link now belong to member ``new`` (a members
    file named the account after its platform's user list was read: ``posts.rekey_author``'s partner)."""
    if old == new:
        return
    session.flush()
    session.execute(update(ConsentEventRow).where(ConsentEventRow.author_id == old).values(author_id=new))
    for table in (MemberIdentityRow, PersonAccountRow):
        if session.get(table, old) is None:
            continue
        if session.get(table, new) is None:
            session.flush()
            session.execute(update(table).where(table.author_id == old).values(author_id=new))
            session.expire_all()
        else:  # the member's own answers win; the account's row goes
            if table is MemberIdentityRow:
                mine, theirs = session.get(table, new), session.get(table, old)
                for name in ("email_hash", "username_hash", "link_accounts"):
                    if getattr(mine, name) is None:
                        setattr(mine, name, getattr(theirs, name))
                mine.name_tokens = mine.name_tokens or theirs.name_tokens
            session.execute(delete(table).where(table.author_id == old))
    session.flush()

"""Members: their records (cohort fields, consent answers) as ``Member`` records or a DataFrame.

Consent answers come back as stored (True, False or None for unknown); whether a member is
analysed or quoted is decided above storage, by ``insight.privacy.consent``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from insight.records import Member, utc
from insight.storage.rows import chunks
from insight.storage.tables import MemberRow


def members_by_id(session: Session, author_ids: Iterable[str]) -> dict[str, Member]:
    ids = list(set(author_ids))
    out: dict[str, Member] = {}
    for chunk in chunks(ids):
        for row in session.scalars(select(MemberRow).where(MemberRow.author_id.in_(chunk))):
            out[row.author_id] = member_record(row)
    return out


def upsert_member(session: Session, member: Member, run_id: str, received: Collection[str] | None = None) -> bool:
    """Insert or update; True when the member was new.

    ``received``: the fields the input actually gave (None: all); an existing member keeps every
    other attribute, so re-ingesting a platform's user list never erases a join date or segment.
    """
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
        if received is None or key in received or key == "run_id":
            setattr(row, key, value)
    return False


def link_account(session: Session, account_id: str, member_id: str) -> None:
    """Merge an account's member record into the member it belongs to (a members file named it).

    The account's attributes fill what the member lacks; then the account record goes, and
    ``posts.rekey_author`` moves what the account wrote.
    """
    account = session.get(MemberRow, account_id)
    member = session.get(MemberRow, member_id)
    if account is None or member is None or account_id == member_id:
        return
    for key in ("joined_at", "segment", "region", "plan", "consent_analytics", "consent_quotes"):
        if getattr(member, key) is None:
            setattr(member, key, getattr(account, key))
    session.delete(account)


def members_frame(session: Session) -> pd.DataFrame:
    """Members as a DataFrame, UTC join times; the consent columns hold the stored answers (None: unknown)."""
    rows = session.execute(select(
        MemberRow.author_id, MemberRow.joined_at, MemberRow.motivation, MemberRow.segment,
        MemberRow.consent_analytics, MemberRow.consent_quotes,
    )).all()
    frame = pd.DataFrame(rows, columns=["author_id", "joined_at", "motivation", "segment",
                                        "consent_analytics", "consent_quotes"])
    frame["joined_at"] = pd.to_datetime(frame["joined_at"], utc=True)
    return frame


def snapshot_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every member's cohort fields and consent answers, by author id (a report's run record hashes them)."""
    return [tuple(r) for r in session.execute(
        select(MemberRow.author_id, MemberRow.joined_at, MemberRow.motivation, MemberRow.segment,
               MemberRow.consent_analytics, MemberRow.consent_quotes).order_by(MemberRow.author_id))]


def member_record(row: MemberRow) -> Member:
    return Member(author_id=row.author_id, platform=row.platform, joined_at=utc(row.joined_at),
                  motivation=row.motivation, segment=row.segment, region=row.region, plan=row.plan,
                  consent_analytics=row.consent_analytics, consent_quotes=row.consent_quotes)

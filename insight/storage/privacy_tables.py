"""ORM tables of member privacy (issue 19): identity keys, accounts linked into persons, consent
history, erasures and the hash-chained privacy audit.

Kept beside ``tables`` (same ``Base``); ``schema`` imports it so migrations see every table.
No table here holds a raw email, username or display name: only keyed hashes of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from insight.storage.tables import Base


class MemberIdentityRow(Base):
    """What a members file said about an account's identity, as keyed hashes (the pseudonym key),
    and whether the member agreed to have their accounts linked (``link_accounts``)."""

    __tablename__ = "member_identities"
    author_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    username_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    name_tokens: Mapped[list[Any]] = mapped_column(default=list)  # keyed hashes of display-name words
    link_accounts: Mapped[bool | None] = mapped_column(Boolean)  # None: not asked
    updated_at: Mapped[datetime]


class PersonAccountRow(Base):
    """An account (a member key) linked into a person: by the member's consent or by an admin."""

    __tablename__ = "person_accounts"
    author_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(40), index=True)
    how: Mapped[str] = mapped_column(String(10))  # consent | admin
    actor: Mapped[str] = mapped_column(String(120))
    confidence: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    linked_at: Mapped[datetime]


class ConsentEventRow(Base):
    """One change of a consent answer: when, which flag, from what to what, from which source."""

    __tablename__ = "consent_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]
    flag: Mapped[str] = mapped_column(String(40))  # consent_analytics | consent_quotes | link_accounts
    value: Mapped[bool | None] = mapped_column(Boolean)
    previous: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(300))
    run_id: Mapped[str] = mapped_column(String(40))


class ErasureRow(Base):
    """An erasure: whose (the member key, never a text), why, by whom and how many rows went."""

    __tablename__ = "erasures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(20))  # request | consent_withdrawn
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PrivacyAuditRow(Base):
    """Append-only, hash-chained audit of privacy actions (links, merges, exports, erasures).

    ``row_hash`` covers the previous row's hash, the event's fields and ``note_digest`` (SHA-256
    of a per-row salt and the note), never the note itself: an erasure replaces the note with a
    tombstone and the chain still verifies.
    """

    __tablename__ = "privacy_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(64), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    salt: Mapped[str] = mapped_column(String(32))
    note_digest: Mapped[str] = mapped_column(String(64))
    tombstoned: Mapped[bool] = mapped_column(Boolean, default=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))

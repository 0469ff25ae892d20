"""The privacy audit: an append-only chain of privacy actions, each row hashing the one before.

A row's hash covers the previous hash, its fields and ``note_digest`` = SHA-256(salt + note); the
note itself stays out of the chain, so an erasure can replace it with a tombstone (and drop the
details' words) while ``verify`` still proves that no row was changed, removed or inserted.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from insight.records import utc
from insight.storage.privacy_tables import PrivacyAuditRow
from insight.storage.rows import values

GENESIS = "0" * 64
TOMBSTONE = "[erased]"


def _digest(salt: str, note: str | None) -> str:
    return hashlib.sha256(f"{salt}\x00{note or ''}".encode()).hexdigest()


def _row_hash(prev: str, at: datetime, event: str, subject: str, actor: str, note_digest: str) -> str:
    body = json.dumps([prev, utc(at).isoformat(), event, subject, actor, note_digest])  # type: ignore[union-attr]
    return hashlib.sha256(body.encode()).hexdigest()


def append(session: Session, *, event: str, subject: str, actor: str, at: datetime, note: str | None = None,
           details: dict[str, Any] | None = None) -> int:
    """Append one row after the newest; returns its id. (Details are informative, not chained:
    they hold counts and keyed ids only.)"""
    last = session.execute(select(PrivacyAuditRow.row_hash).order_by(PrivacyAuditRow.id.desc()).limit(1)
                           .with_for_update()).scalar()
    prev = last or GENESIS
    salt = secrets.token_hex(16)
    digest = _digest(salt, note)
    row = PrivacyAuditRow(at=at, event=event, subject=subject, actor=actor[:120], details=details or {}, note=note,
                          salt=salt, note_digest=digest, tombstoned=False, prev_hash=prev,
                          row_hash=_row_hash(prev, at, event, subject, actor[:120], digest))
    session.add(row)
    session.flush()
    return row.id


def rows(session: Session, subjects: Sequence[str] | None = None) -> list[dict[str, Any]]:
    stmt = select(PrivacyAuditRow).order_by(PrivacyAuditRow.id)
    if subjects is not None:
        stmt = stmt.where(PrivacyAuditRow.subject.in_(list(subjects)))
    return [{k: v for k, v in values(r).items() if k != "salt"} for r in session.scalars(stmt)]


def tombstone(session: Session, subjects: Sequence[str]) -> int:
    """Replace the notes of the subjects' rows with the tombstone and empty their details."""
    result = session.execute(update(PrivacyAuditRow).where(PrivacyAuditRow.subject.in_(list(subjects)))
                             .values(note=TOMBSTONE, details={}, tombstoned=True))
    return int(result.rowcount or 0)


def verify(session: Session) -> dict[str, Any]:
    """Walk the chain: ``ok`` with the number of rows and tombstones, or the first broken row."""
    prev, count, stones = GENESIS, 0, 0
    for row in session.scalars(select(PrivacyAuditRow).order_by(PrivacyAuditRow.id)):
        count += 1
        stones += bool(row.tombstoned)
        note_ok = row.tombstoned or _digest(row.salt, row.note) == row.note_digest
        expected = _row_hash(prev, row.at, row.event, row.subject, row.actor, row.note_digest)
        if row.prev_hash != prev or row.row_hash != expected or not note_ok:
            return {"ok": False, "rows": count, "broken_at": row.id, "tombstoned": stones}
        prev = row.row_hash
    return {"ok": True, "rows": count, "broken_at": None, "tombstoned": stones}

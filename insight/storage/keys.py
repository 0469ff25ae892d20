"""API keys: the SHA-256 of each key, its prefix, role and name, and when it was revoked.

Keys come back as dicts of their columns (``id``, ``prefix``, ``role``, ``name``, ``created_at``,
``revoked_at``); the hash never leaves storage.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from insight.storage.tables import ApiKeyRow


def add_key(session: Session, key_hash: str, prefix: str, role: str, name: str, created_at: datetime) -> dict[str, Any]:
    row = ApiKeyRow(key_hash=key_hash, prefix=prefix, role=role, name=name, created_at=created_at)
    session.add(row)
    session.flush()
    return _key(row)


def key_by_hash(session: Session, key_hash: str) -> dict[str, Any] | None:
    """The key whose SHA-256 is ``key_hash``, revoked or not."""
    row = session.scalar(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash))
    return None if row is None else _key(row)


def keys(session: Session) -> list[dict[str, Any]]:
    """Every key, revoked ones included, oldest first."""
    return [_key(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]


def revoke_key(session: Session, key_id: int, at: datetime) -> dict[str, Any] | None:
    """Mark key ``key_id`` revoked at ``at`` (a key revoked before keeps its time); None when there is no such key."""
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = at
    return _key(row)


def has_active_admin(session: Session) -> bool:
    """Whether some admin key is not revoked."""
    stmt = select(ApiKeyRow.id).where(ApiKeyRow.role == "admin", ApiKeyRow.revoked_at.is_(None)).limit(1)
    return session.scalar(stmt) is not None


def _key(row: ApiKeyRow) -> dict[str, Any]:
    # Times as the row holds them: SQLite gives them back naive, and callers show them as they come.
    return {"id": row.id, "prefix": row.prefix, "role": row.role, "name": row.name,
            "created_at": row.created_at, "revoked_at": row.revoked_at}

"""API keys and roles: who may call what.

A key is ``ik_<8 hex>_<43 url-safe chars>``: 256 random bits. Only its SHA-256 is stored; a
plain hash is enough (no slow KDF) because the secret is random, not a password a person chose,
so there is nothing to guess. The ``ik_<8 hex>`` prefix names the key in lists and logs.

Roles (an admin reaches everything):

- moderator: the triage queue and its actions;
- researcher: stories, their review and the taxonomy;
- reporter: KPI values, story-metric pairs and reports, which carry no author ids and quote
  only members who consented to quotes;
- admin: everything, plus keys and the scoring jobs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from insight.errors import ApiError, StorageError
from insight.storage import keys
from insight.storage.db import session_scope

ROLES = ("moderator", "researcher", "reporter", "admin")
KEY_PREFIX = "ik_"
# The pages keep the key in this HttpOnly cookie after login; the API reads it too.
SESSION_COOKIE = "insight_key"


@dataclasses.dataclass(frozen=True)
class Principal:
    """The caller behind a key."""

    key_id: int
    role: str
    name: str
    prefix: str

    @property
    def actor(self) -> str:
        """How the audit trail names this caller: the key's name, else its prefix."""
        return self.name or self.prefix


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ApiError("E708", role=role, options=", ".join(ROLES))
    return role


def create_key(engine: Engine, role: str, name: str = "") -> dict[str, Any]:
    """A new key for ``role``; the secret is in the answer once and never stored."""
    check_role(role)
    prefix = KEY_PREFIX + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    with session_scope(engine) as session:
        out = _key_dict(keys.add_key(session, hash_key(key), prefix, role, name.strip()[:120], datetime.now(UTC)))
    return {**out, "key": key}


def authenticate(engine: Engine, key: str | None) -> Principal:
    """The principal behind ``key``.

    Raises:
        ApiError: E701 no key, E702 unknown or revoked key.
    """
    if not key:
        raise ApiError("E701")
    with session_scope(engine) as session:
        found = keys.key_by_hash(session, hash_key(key.strip()))
    if found is None or found["revoked_at"] is not None:
        raise ApiError("E702")
    return Principal(key_id=found["id"], role=found["role"], name=found["name"], prefix=found["prefix"])


def allowed(principal: Principal, roles: tuple[str, ...]) -> bool:
    return principal.role == "admin" or principal.role in roles


def check_access(engine: Engine, key: str | None, roles: tuple[str, ...], path: str) -> Principal:
    """The principal behind ``key``, when its role may use ``path`` (open to ``roles`` and admins).

    Raises:
        ApiError: E701 no key, E702 unknown or revoked key, E703 a role that may not use ``path``.
    """
    principal = authenticate(engine, key)
    if not allowed(principal, roles):
        raise ApiError("E703", role=principal.role, path=path, allowed=", ".join((*roles, "admin")))
    return principal


def list_keys(engine: Engine) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        return [_key_dict(k) for k in keys.keys(session)]


def revoke_key(engine: Engine, key_id: int) -> dict[str, Any]:
    """Revoke a key at once; it stays listed (with when it was revoked) for the record.

    Raises:
        StorageError: E451 when there is no key ``key_id``.
    """
    with session_scope(engine) as session:
        found = keys.revoke_key(session, key_id, datetime.now(UTC))
        if found is None:
            raise StorageError("E451", key_id=key_id)
    return _key_dict(found)


def has_admin(engine: Engine) -> bool:
    with session_scope(engine) as session:
        return keys.has_active_admin(session)


def _key_dict(key: dict[str, Any]) -> dict[str, Any]:
    return {**key, "created_at": key["created_at"].isoformat() if key["created_at"] else None,
            "revoked_at": key["revoked_at"].isoformat() if key["revoked_at"] else None}

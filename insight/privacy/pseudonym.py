"""Keyed-hash pseudonyms for author ids: stable per key, not reversible without it."""

from __future__ import annotations

import hashlib
import hmac


def author_key(fmt: str, raw_id: str) -> str:
    """The id that gets hashed.

    Platform adapters prefix their platform ("slack:U1", "discourse:1") so users of two
    platforms never collide; canonical files keep the ids the user chose, so a members file
    and a posts file written by the same hand agree.
    """
    return raw_id if fmt == "canonical" else f"{fmt}:{raw_id}"


def pseudonymise(key: bytes, author_id: str) -> str:
    """``m_`` + 20 hex chars (80 bits) of HMAC-SHA256(key, author_id)."""
    digest = hmac.new(key, author_id.encode(), hashlib.sha256).hexdigest()
    return "m_" + digest[:20]

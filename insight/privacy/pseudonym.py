"""Keyed-hash pseudonyms for author ids: stable per key, not reversible without it."""

from __future__ import annotations

import hashlib
import hmac

# Platforms whose exports insight reads with an adapter: their accounts are keyed per platform.
NATIVE_PLATFORMS = ("discourse", "slack", "discord", "github")


def account_key(platform: str, raw_id: str) -> str:
    """The key of an account on a platform: ``slack:U1``, ``discourse:41``; a generic id stays as is.

    One platform's user 1 and another's never collide. An id already carrying its platform
    prefix is kept, so ``slack:UBOB`` in a members file is the account an adapter reads.
    """
    if platform not in NATIVE_PLATFORMS or raw_id.startswith(f"{platform}:"):
        return raw_id
    return f"{platform}:{raw_id}"


def author_key(fmt: str, raw_id: str) -> str:
    """The id that gets hashed for a row read in format ``fmt``.

    Platform adapters key accounts per platform (``account_key``); canonical files keep the ids
    the user chose, so a members file and a posts file written by the same hand agree. A members
    file row naming a platform account (platform ``slack``, id ``UBOB``) links that account to
    the member: ``insight.services.ingest`` stores the account's posts under the member's key.
    """
    return raw_id if fmt == "canonical" else account_key(fmt, raw_id)


def pseudonymise(key: bytes, author_id: str) -> str:
    """``m_`` + 20 hex chars (80 bits) of HMAC-SHA256(key, author_id)."""
    digest = hmac.new(key, author_id.encode(), hashlib.sha256).hexdigest()
    return "m_" + digest[:20]

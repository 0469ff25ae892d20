"""One person above platform accounts: identity keys as keyed hashes, merge suggestions with their
confidence and evidence, and KPI frames that count a person once.

Nothing here keeps a raw email, username or display name: each is normalised and hashed with the
pseudonym key (HMAC-SHA256), so two accounts can be compared without the words being stored.
Suggestions are only suggestions: a link is made when both accounts consented (``link_accounts``)
and the evidence is certain, or when an admin merges them (``insight.services.members``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import pandas as pd

# Confidence per kind of evidence: a verified email is the same person; a username shared across
# platforms very likely; similar display names only hint (scaled by how many words they share).
EMAIL_CONFIDENCE = 1.0
USERNAME_CONFIDENCE = 0.8
NAME_CONFIDENCE = 0.6
MIN_NAME_OVERLAP = 0.5
MAX_NAME_BUCKET = 500


@dataclass(frozen=True)
class Identity:
    """An account's identity keys: hashes only."""

    author_id: str
    platform: str
    email_hash: str | None = None
    username_hash: str | None = None
    name_tokens: tuple[str, ...] = ()
    link_accounts: bool | None = None


@dataclass(frozen=True)
class Suggestion:
    """Two accounts that may be one person, with how sure and why."""

    author_a: str
    author_b: str
    confidence: float
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"author_a": self.author_a, "author_b": self.author_b, "confidence": self.confidence,
                "evidence": list(self.evidence)}


def from_stored(row: Mapping[str, Any]) -> Identity:
    """An ``Identity`` from its stored columns."""
    return Identity(author_id=row["author_id"], platform=row["platform"], email_hash=row.get("email_hash"),
                    username_hash=row.get("username_hash"), name_tokens=tuple(row.get("name_tokens") or ()),
                    link_accounts=row.get("link_accounts"))


def keyed(key: bytes, kind: str, value: str) -> str:
    """HMAC-SHA256 of a normalised identity value; ``kind`` keeps an email and a username apart."""
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def identity_of(key: bytes, author_id: str, platform: str, data: Mapping[str, Any]) -> Identity:
    """Hash what a members row gave (``email``, ``username``, ``display_name``, ``link_accounts``)."""
    email = _fold(str(data.get("email") or ""))
    username = _fold(str(data.get("username") or "")).lstrip("@")
    words = sorted(set(re.findall(r"\w+", _fold(str(data.get("display_name") or "")))))
    return Identity(author_id=author_id, platform=platform,
                    email_hash=keyed(key, "email", email) if "@" in email else None,
                    username_hash=keyed(key, "username", username) if username else None,
                    name_tokens=tuple(keyed(key, "name", w) for w in words if len(w) > 1),
                    link_accounts=as_flag(data.get("link_accounts")))


def as_flag(value: Any) -> bool | None:
    """A consent answer as written in a members file: true/false/yes/no/1/0; anything else unknown."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(text)


def compare(a: Identity, b: Identity) -> Suggestion | None:
    """The suggestion two accounts make, or None when nothing points to one person."""
    evidence, confidence = [], 0.0
    if a.email_hash and a.email_hash == b.email_hash:
        evidence.append("same email (keyed hash)")
        confidence = EMAIL_CONFIDENCE
    if a.username_hash and a.username_hash == b.username_hash:
        evidence.append(f"same username on {a.platform} and {b.platform}")
        confidence = max(confidence, USERNAME_CONFIDENCE)
    shared = set(a.name_tokens) & set(b.name_tokens)
    union = set(a.name_tokens) | set(b.name_tokens)
    if union and len(shared) / len(union) >= MIN_NAME_OVERLAP:
        evidence.append(f"display names share {len(shared)} of {len(union)} words")
        confidence = max(confidence, round(NAME_CONFIDENCE * len(shared) / len(union), 3))
    if not evidence:
        return None
    first, second = sorted((a.author_id, b.author_id))
    return Suggestion(first, second, confidence, evidence)


def _candidate_pairs(identities: Sequence[Identity]) -> set[tuple[int, int]]:
    """Index pairs that share an email, a username or a display-name word: only those can make a
    suggestion, so the members are never compared all against all. A name word shared by more than
    ``MAX_NAME_BUCKET`` accounts is too common to point to anyone and opens no pair by itself."""
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, ident in enumerate(identities):
        keys = [("e", ident.email_hash), ("u", ident.username_hash), *(("n", t) for t in ident.name_tokens)]
        for key in keys:
            if key[1]:
                buckets[key].append(i)  # type: ignore[index]
    pairs: set[tuple[int, int]] = set()
    for (kind, _), members in buckets.items():
        if len(members) > 1 and (kind != "n" or len(members) <= MAX_NAME_BUCKET):
            pairs.update(combinations(members, 2))
    return pairs


def suggestions(identities: Sequence[Identity], person_of: Mapping[str, str]) -> list[Suggestion]:
    """Every pair of accounts on different platforms that may be one person and is not linked yet,
    most certain first."""
    out = []
    for i, j in sorted(_candidate_pairs(identities)):
        a, b = identities[i], identities[j]
        if a.platform == b.platform and a.platform != "generic":
            continue
        person = person_of.get(a.author_id)
        found = compare(a, b) if person is None or person != person_of.get(b.author_id) else None
        if found is not None:
            out.append(found)
    return sorted(out, key=lambda s: (-s.confidence, s.author_a, s.author_b))


def by_person(posts: pd.DataFrame, members: pd.DataFrame, person_of: Mapping[str, str]
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts and members keyed by person: a person with several linked accounts counts once.

    ``members`` holds consent decisions (``consent_analytics`` True: analysed). Accounts that are not
    analysed keep their own rows, so the KPI inputs still leave them out; a person's analysed
    accounts become one member (earliest join, that account's cohort fields) under the person id.
    """
    mapped = analysed_links(members, person_of)
    if not mapped:
        return posts, members
    posts = posts.assign(author_id=posts["author_id"].replace(mapped))  # vectorised: one row per post
    return posts, _merged(members, mapped)


def members_by_person(members: pd.DataFrame, person_of: Mapping[str, str]) -> pd.DataFrame:
    """The members side of ``by_person``: a person's analysed accounts as one member."""
    mapped = analysed_links(members, person_of)
    return _merged(members, mapped) if mapped else members


def _merged(members: pd.DataFrame, mapped: Mapping[str, str]) -> pd.DataFrame:
    merged = members.assign(author_id=members["author_id"].map(lambda a: mapped.get(a, a)))
    merged = merged.sort_values(["author_id", "joined_at"], na_position="last", kind="stable")
    return merged.drop_duplicates("author_id", keep="first").reset_index(drop=True)


def analysed_links(members: pd.DataFrame, person_of: Mapping[str, str]) -> dict[str, str]:
    """The links ``by_person`` applies: those of accounts that are analysed (consent decided True)."""
    if not person_of:
        return {}
    analysed = set(members.loc[members["consent_analytics"].eq(True), "author_id"])
    return {a: p for a, p in person_of.items() if a in analysed}


def arms_by_person(arms: Mapping[str, Sequence[str]], links: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Experiment arms (member keys) as persons: a person listed once per arm; a person whose accounts
    sit in two arms saw both treatments, so they leave both."""
    mapped = {arm: list(dict.fromkeys(links.get(m, m) for m in ids)) for arm, ids in arms.items()}
    seen: dict[str, int] = {}
    for ids in mapped.values():
        for unit in ids:
            seen[unit] = seen.get(unit, 0) + 1
    return {arm: tuple(u for u in ids if seen[u] == 1) for arm, ids in mapped.items()}

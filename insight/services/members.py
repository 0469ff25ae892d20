"""Member privacy use-cases: one person above platform accounts, a member's footprint, erasure.

A member is named by the stored member id (``m_...``), a person id (``p_...``) or a platform
account as the platform knows it (``discourse:alice``, ``slack:UBOB``), pseudonymised here with
the same key and rule as at ingest. A linked account stands for its whole person: the footprint
and the erasure cover every account of the person.

Accounts are linked only when every one of them consented (``link_accounts`` in the members
file) and the evidence is certain (same keyed-hash email), or when an admin merges them; a
member's explicit "no" is never overridden. Every link, unlink, export and erasure is appended
to the hash-chained privacy audit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.config import Settings
from insight.errors import StorageError
from insight.privacy import identity
from insight.privacy.pseudonym import NATIVE_PLATFORMS, account_key, author_key, pseudonymise
from insight.storage import erasure, footprint, persons, privacy_audit, runs
from insight.storage.db import session_scope

__all__ = ["Subject", "erase", "subject_of", "export", "link_by_consent", "merge", "resolve", "suggestions", "unmerge",
           "verify_audit"]


@dataclass(frozen=True)
class Subject:
    """Who a command is about: the key it was named by, its person (if linked) and every account."""

    subject: str
    person_id: str | None
    accounts: tuple[str, ...]


def now() -> datetime:
    return datetime.now(UTC)


def _candidates(key: bytes, ident: str) -> list[str]:
    """The member keys an id may be stored under: as given (a stored key), as an adapter keys a
    platform account, and as a members file row naming that account keys it."""
    out = [ident] if ident.startswith("m_") else []
    platform, _, raw = ident.partition(":")
    out.append(pseudonymise(key, ident))
    if platform in NATIVE_PLATFORMS and raw:
        out += [pseudonymise(key, account_key(platform, raw)), pseudonymise(key, author_key("canonical", raw))]
    return list(dict.fromkeys(out))


def resolve(session: Session, settings: Settings, ident: str) -> Subject:
    """The accounts ``ident`` names (E453 when nothing is stored under it)."""
    ident = ident.strip()
    links = persons.person_of(session)
    if ident.startswith("p_"):
        accounts = sorted(a for a, p in links.items() if p == ident)
        if accounts:
            return Subject(ident, ident, tuple(accounts))
        raise StorageError("E453", ident=ident)
    candidates = _candidates(settings.checked_pseudonym_key(), ident)
    # A key with a member record first (a members file named the account), then anything stored.
    found = next((a for a in candidates if persons.member_consent(session, a) is not None), None) or next(
        (a for a in candidates if a in links or persons.known_author(session, a)), None)
    if found is None:
        raise StorageError("E453", ident=ident)
    person = links.get(found)
    accounts = sorted(a for a, p in links.items() if p == person) if person else [found]
    return Subject(found, person, tuple(accounts))


def subject_of(engine: Engine, settings: Settings, ident: str) -> Subject:
    """``resolve`` in its own transaction (E453 when nothing is stored under ``ident``)."""
    with session_scope(engine) as session:
        return resolve(session, settings, ident)


# --- persons --------------------------------------------------------------------------------


def _identities(session: Session, author_ids: Sequence[str] | None = None) -> list[identity.Identity]:
    return [identity.from_stored(row) for row in persons.identities(session, author_ids)]


def suggestions(engine: Engine) -> list[dict[str, Any]]:
    """Accounts that may be one person, not linked yet, most certain first, with their evidence."""
    with session_scope(engine) as session:
        known = _identities(session)
        found = identity.suggestions(known, persons.person_of(session))
    platforms = {i.author_id: i.platform for i in known}
    consent = {i.author_id: i.link_accounts for i in known}
    return [{**s.as_dict(), "platform_a": platforms.get(s.author_a), "platform_b": platforms.get(s.author_b),
             "consented": bool(consent.get(s.author_a)) and bool(consent.get(s.author_b))} for s in found]


def linked_persons(engine: Engine) -> list[dict[str, Any]]:
    """Persons formed so far, each with its linked accounts (member keys), for the admin page."""
    with session_scope(engine) as session:
        links = persons.person_of(session)
    grouped: dict[str, list[str]] = {}
    for account, person in sorted(links.items()):
        grouped.setdefault(person, []).append(account)
    return [{"person_id": person, "accounts": accounts} for person, accounts in sorted(grouped.items())]


def _person_id(accounts: Sequence[str], links: dict[str, str]) -> str:
    existing = sorted({links[a] for a in accounts if a in links})
    if existing:
        return existing[0]
    return "p_" + hashlib.sha256("|".join(sorted(accounts)).encode()).hexdigest()[:20]


def _link(session: Session, accounts: Sequence[str], *, how: str, actor: str, note: str | None) -> dict[str, Any]:
    identity_map = {i.author_id: i for i in _identities(session, accounts)}
    evidence: list[str] = []
    confidence: float | None = None
    if len(accounts) == 2 and all(a in identity_map for a in accounts):
        found = identity.compare(identity_map[accounts[0]], identity_map[accounts[1]])
        if found is not None:
            evidence, confidence = found.evidence, found.confidence
    person = _person_id(accounts, persons.person_of(session))
    at = now()
    persons.link(session, accounts, person, how=how, actor=actor, confidence=confidence,
                 evidence=evidence or [f"merged by {how}"], at=at)
    for account in accounts:
        privacy_audit.append(session, event="linked", subject=account, actor=actor, at=at, note=note,
                             details={"person_id": person, "how": how, "confidence": confidence})
    return {"person_id": person, "accounts": sorted(persons.person_accounts(session, person),
                                                    key=lambda r: r["author_id"]),
            "how": how, "confidence": confidence, "evidence": evidence}


def merge(engine: Engine, settings: Settings, idents: Sequence[str], *, actor: str | None, how: str = "admin",
          note: str | None = None) -> dict[str, Any]:
    """Link the accounts ``idents`` name into one person.

    ``how="admin"``: an admin merges, named by ``actor``; ``how="consent"``: every account must have
    said yes to linking. Refused (E454) without an actor, without consent for a consent merge, and
    whenever an account said no to linking; E455 for fewer than two different accounts.
    """
    with session_scope(engine) as session:
        accounts = sorted({a for ident in idents for a in resolve(session, settings, ident).accounts})
        if len(accounts) < 2:
            raise StorageError("E455", accounts=", ".join(idents))
        answers = {a: persons.link_consent(session, a) for a in accounts}
        refused = [a for a, v in answers.items() if v is False]
        if refused:
            raise StorageError("E454", accounts=", ".join(accounts),
                               detail=f"{', '.join(refused)} said no to linking accounts")
        if how == "admin" and not (actor or "").strip():
            raise StorageError("E454", accounts=", ".join(accounts), detail="no admin is named")
        if how == "consent" and not all(answers.values()):
            missing = [a for a, v in answers.items() if not v]
            raise StorageError("E454", accounts=", ".join(accounts),
                               detail=f"{', '.join(missing)} did not consent to linking")
        return _link(session, accounts, how=how, actor=(actor or "member-consent").strip(), note=note)


def link_by_consent(session: Session, author_ids: Sequence[str]) -> list[str]:
    """At ingest: link each of ``author_ids`` that consented to every other consenting account with
    the same keyed-hash email (confidence 1.0). Returns the person ids touched."""
    asking = [i for i in _identities(session, author_ids) if i.link_accounts and i.email_hash]
    if not asking:
        return []
    # Only accounts sharing one of these emails can join them: the rest of the members are never read.
    everyone = [identity.from_stored(r) for r in persons.identities(
        session, email_hashes=sorted({i.email_hash for i in asking if i.email_hash}))]
    links = persons.person_of(session)
    touched = []
    for account in asking:
        same = sorted({i.author_id for i in everyone if i.link_accounts and i.email_hash
                       and i.email_hash == account.email_hash})
        people = {links.get(a) for a in same}
        if len(same) > 1 and (None in people or len(people) > 1):  # not yet one person
            touched.append(_link(session, same, how="consent", actor="member-consent", note=None)["person_id"])
            links = persons.person_of(session)
    return touched


def unmerge(engine: Engine, settings: Settings, ident: str, *, actor: str | None) -> dict[str, Any]:
    """Take the account ``ident`` names out of its person (E456 when it is not linked)."""
    if not (actor or "").strip():
        raise StorageError("E454", accounts=ident, detail="an unmerge is an admin action and no admin is named")
    with session_scope(engine) as session:
        subject = resolve(session, settings, ident)
        target = subject.subject
        person = persons.unlink(session, target)
        if person is None:
            raise StorageError("E456", ident=ident)
        privacy_audit.append(session, event="unlinked", subject=target, actor=actor.strip(), at=now(),  # type: ignore[union-attr]
                             details={"person_id": person})
        return {"account": target, "person_id": person, "remaining": persons.person_accounts(session, person)}


# --- footprint and erasure ------------------------------------------------------------------


def _provenance(settings: Settings, stage: str, run_id: str) -> dict[str, Any]:
    return {"stage": stage, "model": None, "model_revision": None, "config_hash": settings.config_hash(),
            "run_id": run_id}


def export(engine: Engine, settings: Settings, ident: str, *, actor: str = "admin") -> dict[str, Any]:
    """Every row held about the member or person ``ident`` names, per table, with provenance (each
    row keeps its own run id; the export names its own). The export is audited, never the rows."""
    with session_scope(engine) as session:
        subject = resolve(session, settings, ident)
        run_id = runs.start_run(session, "members export", settings.config_hash())
        rows = footprint.footprint(session, subject.accounts)
        privacy_audit.append(session, event="exported", subject=subject.subject, actor=actor, at=now(),
                             details={"accounts": len(subject.accounts), "run_id": run_id})
        runs.finish_run(session, run_id, {"accounts": len(subject.accounts)})
    return {"subject": subject.subject, "person_id": subject.person_id, "accounts": list(subject.accounts),
            "exported_at": now().isoformat(), "provenance": _provenance(settings, "members.export", run_id),
            "rows": rows}


def _own_jobs(session: Session, settings: Settings, accounts: Sequence[str]) -> list[int]:
    """Scoring jobs not yet done whose raw row was written by one of ``accounts``."""
    key, wanted, out = settings.checked_pseudonym_key(), set(accounts), []
    for job_id, fmt, row in erasure.pending_job_rows(session):
        raw = str(row.get("author_id") or "").strip()
        if raw and pseudonymise(key, author_key(fmt, raw)) in wanted:
            out.append(job_id)
    return out


def erase(engine: Engine, settings: Settings, ident: str, *, actor: str | None) -> dict[str, Any]:
    """Erase the member or person ``ident`` names: their text from every table, what was derived
    from it, their records; the privacy audit's notes about them tombstoned (the chain still
    verifies); cached reports invalidated. The erasure itself is recorded (ids and counts only)."""
    if not (actor or "").strip():
        raise StorageError("E454", accounts=ident, detail="an erasure is an admin action and no admin is named")
    who = actor.strip()  # type: ignore[union-attr]
    with session_scope(engine) as session:
        subject = resolve(session, settings, ident)
        run_id = runs.start_run(session, "members erase", settings.config_hash())
        counts = erasure.erase_authors(session, subject.accounts, _own_jobs(session, settings, subject.accounts))
        erasure_id = erasure.record(session, subject.subject, subject.person_id, "request", who, now(), counts)
        privacy_audit.append(session, event="erased", subject=subject.subject, actor=who, at=now(),
                             details={"erasure_id": erasure_id, "accounts": len(subject.accounts)})
        runs.finish_run(session, run_id, {"erasure_id": erasure_id, **counts})
    return {"subject": subject.subject, "person_id": subject.person_id, "accounts": list(subject.accounts),
            "erasure_id": erasure_id, "removed": counts, **_provenance(settings, "members.erase", run_id)}


def verify_audit(engine: Engine) -> dict[str, Any]:
    """The privacy audit chain walked from its first row (E457 when a row was tampered with)."""
    with session_scope(engine) as session:
        result = privacy_audit.verify(session)
    if not result["ok"]:
        raise StorageError("E457", row=result["broken_at"])
    return result

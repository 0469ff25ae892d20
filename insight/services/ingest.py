"""Ingest use-case: files in, validated, pseudonymised, consent-checked, redacted rows stored.

Bad rows are reported (file, line or JSON pointer, field, reason code) and the good rows
go on; re-ingesting the same files adds nothing; a member whose analytics consent is false
is left out, and what they wrote before is removed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from insight.config import Settings
from insight.errors import InputError
from insight.ingest import dispatch
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import sniff_kind
from insight.ingest.validate import RowProblem, TimeWindow, checked_id, to_feedback, to_kpi, to_member, to_post
from insight.privacy import consent, identity
from insight.privacy.pseudonym import NATIVE_PLATFORMS, account_key, author_key, pseudonymise
from insight.privacy.redact import Redactor
from insight.privacy.shown import shown_many
from insight.services import members as privacy_members
from insight.storage import erasure, kpis, members, persons, posts, runs
from insight.storage.db import session_scope

# Members-contract fields about identity (issue 19): hashed with the pseudonym key, never stored raw.
IDENTITY_FIELDS = ("email", "username", "display_name", "link_accounts")


@dataclass
class IngestSummary:
    """The one-line JSON summary of ``insight ingest`` (PRODUCT.md), plus detail keys."""

    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: str | None = None
    excluded_no_consent: int = 0
    truncated: int = 0
    members: int = 0
    feedback: int = 0
    kpi_observations: int = 0
    purged_posts: int = 0
    files: int = 0
    skipped_files: list[str] = field(default_factory=list)
    run_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class _Batch:
    """Rows of one transaction, split by kind, with their (source) format."""

    members: list[tuple[RawRow, str]] = field(default_factory=list)
    posts: list[tuple[RawRow, str]] = field(default_factory=list)
    feedback: list[tuple[RawRow, str]] = field(default_factory=list)
    kpis: list[RawRow] = field(default_factory=list)

    def singles(self) -> Iterator[_Batch]:
        """One batch per row, members first (the row-by-row retry after a failed batch)."""
        yield from (_Batch(members=[one]) for one in self.members)
        yield from (_Batch(posts=[one]) for one in self.posts)
        yield from (_Batch(feedback=[one]) for one in self.feedback)
        yield from (_Batch(kpis=[one]) for one in self.kpis)

    def only_row(self) -> RawRow:
        return next(iter([*(r for r, _ in self.members + self.posts + self.feedback), *self.kpis]))


class Ingestor:
    """Stores rows from any reader, one transaction per batch."""

    def __init__(self, engine: Engine, settings: Settings, redactor: Redactor | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.key = settings.checked_pseudonym_key()
        self.redactor = redactor or Redactor.from_settings(settings.redaction)
        self.summary = IngestSummary()
        self.rejects: list[Reject] = []
        # Posts this run left out for consent: a repeat counts as a duplicate, not as a second exclusion.
        # Stored posts need no set: the database finds them, so memory does not grow with the input.
        self._excluded_posts: set[tuple[str, str]] = set()
        self._excluded_added: list[tuple[str, str]] = []  # keys added by the batch in flight
        self._identified: set[str] = set()  # members of the batch that gave identity keys (issue 19)
        self.window = TimeWindow.default(settings.ingest.earliest, settings.ingest.max_future_days)

    # -- entry point ---------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path], fmt: str = "auto", rejects_path: Path | None = None) -> IngestSummary:
        skipped: list[Path] = []
        pairs = [pair for path in paths for pair in dispatch.plan(Path(path), fmt, skipped)]
        # Members first, so consent is known before their posts arrive.
        pairs.sort(key=lambda pair: 0 if pair[1] == "canonical" and sniff_kind(pair[0]) == "member" else 1)
        self.summary.files = len(pairs)
        self.summary.skipped_files = [str(p) for p in skipped]
        with session_scope(self.engine) as session:
            self.summary.run_id = runs.start_run(session, "ingest", self.settings.config_hash())
        for source_path, source_fmt in pairs:
            rows = _guarded(dispatch.read(source_path, source_fmt), str(source_path))
            for chunk in _chunked(rows, self.settings.ingest.batch_size):
                self._store(chunk, source_fmt)
        self.summary.rejected = len(self.rejects)
        if self.rejects:
            target = rejects_path or self.settings.data_path / "rejects" / f"{self.summary.run_id}.jsonl"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", errors="backslashreplace") as fh:  # lone surrogates
                for reject in self.rejects:
                    fh.write(json.dumps(reject.as_dict(), ensure_ascii=False) + "\n")
            self.summary.rejects = str(target)
        with session_scope(self.engine) as session:
            runs.finish_run(session, self.summary.run_id, self.summary.as_dict())
        return self.summary

    def ingest_rows(self, rows: Iterable[RawRow | Reject], fmt: str, command: str = "ingest") -> IngestSummary:
        """Rows already read (a webhook's payload), through the same checks as files; one run."""
        with session_scope(self.engine) as session:
            self.summary.run_id = runs.start_run(session, command, self.settings.config_hash())
        for chunk in _chunked(rows, self.settings.ingest.batch_size):
            self._store(chunk, fmt)
        self.summary.rejected = len(self.rejects)
        with session_scope(self.engine) as session:
            runs.finish_run(session, self.summary.run_id, self.summary.as_dict())
        return self.summary

    # -- one batch -------------------------------------------------------------------------

    def _store(self, rows: list[RawRow | Reject], fmt: str) -> None:
        """Store one batch in one transaction; when the database refuses it, retry row by row
        so only the row it refuses becomes a reject (``Reason.STORAGE``)."""
        batch = self._split(rows, fmt)
        state = self._checkpoint()
        try:
            self._write(batch)
            return
        except (SQLAlchemyError, ValueError):
            self._restore(state)
        for single in batch.singles():
            state = self._checkpoint()
            try:
                self._write(single)
            except (SQLAlchemyError, ValueError) as exc:
                self._restore(state)
                row = single.only_row()
                self.rejects.append(Reject(row.source, Reason.STORAGE, _db_detail(exc), line=row.line,
                                           pointer=row.pointer))

    def _checkpoint(self) -> tuple[IngestSummary, int]:
        self._excluded_added = []
        return dataclasses.replace(self.summary), len(self.rejects)

    def _restore(self, state: tuple[IngestSummary, int]) -> None:
        self.summary, n_rejects = state
        del self.rejects[n_rejects:]
        self._excluded_posts.difference_update(self._excluded_added)
        self._excluded_added = []

    def _split(self, rows: list[RawRow | Reject], fmt: str) -> _Batch:
        batch = _Batch()
        for row in rows:
            self.summary.read += 1
            if isinstance(row, Reject):
                self.rejects.append(row)
            elif row.kind == "member":
                batch.members.append((row, fmt))
            elif row.kind == "post":
                batch.posts.append((row, fmt))
            elif row.kind == "feedback":
                batch.feedback.append((row, fmt))
            else:
                batch.kpis.append(row)
        return batch

    def _write(self, batch: _Batch) -> None:
        with session_scope(self.engine) as session:
            self._store_members(session, batch.members)
            self._store_posts(session, batch.posts)
            self._store_feedback(session, batch.feedback)
            self._store_kpis(session, batch.kpis)

    def _reject(self, row: RawRow, problem: RowProblem, row_id: Any = None) -> None:
        self.rejects.append(Reject(source=row.source, line=row.line, pointer=row.pointer, field=problem.field,
                                   reason=problem.reason, detail=problem.detail,
                                   row_id=_row_id(row_id)))

    def _pseudonym(self, data: dict[str, Any], fmt: str) -> dict[str, Any]:
        raw = data.get("author_id")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return data  # validation reports the missing field
        return {**data, "author_id": pseudonymise(self.key, author_key(fmt, checked_id(raw, "author_id")))}

    def _allowed(self, known: dict[str, Any], author_id: str) -> bool:
        member = known.get(author_id)
        return consent.may_analyse(member.consent_analytics if member else None, self.settings.ingest.unknown_members)

    def _validated(self, rows: list[tuple[RawRow, str]], convert: Callable[..., Any], id_field: str
                   ) -> list[tuple[RawRow, Any]]:
        """(row, record) for the rows ``convert`` accepts; the others become rejects."""
        out = []
        for row, fmt in rows:
            try:
                record, truncated = convert(self._pseudonym(row.data, fmt), self.settings.ingest.max_text_chars,
                                            self.window)
            except RowProblem as problem:
                self._reject(row, problem, row.data.get(id_field))
                continue
            self.summary.truncated += truncated
            out.append((row, record))
        return out

    def _store_members(self, session, rows: list[tuple[RawRow, str]]) -> None:  # type: ignore[no-untyped-def]
        for row, fmt in rows:
            try:
                member = to_member(self._pseudonym(row.data, fmt), self.window)
                raw = checked_id(row.data.get("author_id"), "author_id")
            except RowProblem as problem:
                self._reject(row, problem, row.data.get("author_id"))
                continue
            if fmt != "canonical":
                ((_, member),) = self._linked(session, [(row, member)])
            received = {name for name, value in row.data.items() if value is not None and value != ""}
            before = persons.member_consent(session, member.author_id)
            if members.upsert_member(session, member, self.summary.run_id, received):
                self.summary.members += 1
            self._privacy(session, row, member, before)
            if fmt == "canonical" and member.platform in NATIVE_PLATFORMS:
                account = pseudonymise(self.key, account_key(member.platform, raw))
                session.flush()
                members.link_account(session, account, member.author_id)
                posts.rekey_author(session, account, member.author_id)
                persons.rekey(session, account, member.author_id)
            if consent.withdrawn(member):  # stories, queue spans and cached reports go too (issue 19)
                self.summary.purged_posts += erasure.withdraw_author(session, member.author_id)["posts"]
        session.flush()
        if self._identified:
            privacy_members.link_by_consent(session, sorted(self._identified))
            self._identified.clear()

    def _privacy(self, session, row: RawRow, member: Any, before: dict[str, Any] | None) -> None:  # type: ignore[no-untyped-def]
        """Consent changes into the history (when, which flag, from which source), identity keys as
        keyed hashes (issue 19)."""
        source, at = f"{row.source}:{row.line or row.pointer or ''}", datetime.now(UTC)
        for flag in ("consent_analytics", "consent_quotes"):
            persons.record_consent(session, member.author_id, flag, getattr(member, flag),
                                   (before or {}).get(flag), source, self.summary.run_id, at)
        if not any(row.data.get(k) not in (None, "") for k in IDENTITY_FIELDS):
            return
        found = identity.identity_of(self.key, member.author_id, member.platform, row.data)
        previous = persons.save_identity(session, dataclasses.asdict(found), at)
        persons.record_consent(session, member.author_id, "link_accounts", found.link_accounts, previous, source,
                               self.summary.run_id, at)
        self._identified.add(member.author_id)

    def _store_posts(self, session, rows: list[tuple[RawRow, str]]) -> None:  # type: ignore[no-untyped-def]
        valid, in_batch = [], set()
        for row, post in self._validated(rows, to_post, "post_id"):
            key = (post.platform, post.post_id)
            if key in in_batch or key in self._excluded_posts:
                self.summary.duplicates += 1
                continue
            in_batch.add(key)
            valid.append((row, post))
        if valid and rows[0][1] != "canonical":
            valid = self._linked(session, valid)
        by_platform: dict[str, list[str]] = {}
        for _, post in valid:
            by_platform.setdefault(post.platform, []).append(post.post_id)
        stored = {(p, pid) for p, ids in by_platform.items() for pid in posts.existing_post_ids(session, p, ids)}
        known = members.members_by_id(session, [post.author_id for _, post in valid])
        fresh = []
        for row, post in valid:
            key = (post.platform, post.post_id)
            if key in stored:  # stored before, by this run's earlier batches or another run
                self.summary.duplicates += 1
            elif not self._allowed(known, post.author_id):
                self.summary.excluded_no_consent += 1
                self._excluded_posts.add(key)
                self._excluded_added.append(key)
            else:
                fresh.append((row, post))
        redacted = self.redactor.redact_many([post.text for _, post in fresh])
        fresh = _shown_fields(fresh, self.redactor)
        posts.insert_posts(session, [(post, red.text, _where(row))
                                     for (row, post), red in zip(fresh, redacted, strict=True)], self.summary.run_id)
        self.summary.inserted += len(fresh)

    def _linked(self, session, records: list[tuple[RawRow, Any]]) -> list[tuple[RawRow, Any]]:  # type: ignore[no-untyped-def]
        """Records read by an adapter, each under its member's key when a members file names the
        account (same platform and id, see ``privacy.pseudonym.author_key``), else its account key."""
        person = {id(rec): pseudonymise(self.key, str(row.data["author_id"]).strip()) for row, rec in records}
        found = members.members_by_id(session, person.values())
        out = []
        for row, rec in records:
            member = found.get(person[id(rec)])
            if member is not None and member.platform == rec.platform:
                rec = dataclasses.replace(rec, author_id=member.author_id)
            out.append((row, rec))
        return out

    def _store_feedback(self, session, rows: list[tuple[RawRow, str]]) -> None:  # type: ignore[no-untyped-def]
        answers = [answer for _, answer in self._validated(rows, to_feedback, "response_id")]
        known = members.members_by_id(session, [a.author_id for a in answers])
        kept = []
        for answer in answers:
            if not self._allowed(known, answer.author_id):
                self.summary.excluded_no_consent += 1
            else:
                kept.append(answer)
        redacted = self.redactor.redact_many([a.text for a in kept])
        for answer, red in zip(kept, redacted, strict=True):
            if posts.insert_feedback(session, answer, red.text, self.summary.run_id):
                self.summary.feedback += 1
            else:
                self.summary.duplicates += 1

    def _store_kpis(self, session, rows: list[RawRow]) -> None:  # type: ignore[no-untyped-def]
        for row in rows:
            try:
                obs = to_kpi(row.data, self.window)
            except RowProblem as problem:
                self._reject(row, problem, row.data.get("kpi_id"))
                continue
            if kpis.upsert_kpi_observation(session, obs, self.summary.run_id):
                self.summary.kpi_observations += 1
            else:
                self.summary.duplicates += 1


def ingest_paths(paths: Sequence[Path], *, engine: Engine, settings: Settings, fmt: str = "auto",
                 rejects_path: Path | None = None, redactor: Redactor | None = None) -> IngestSummary:
    """Ingest files or folders; see ``Ingestor``."""
    return Ingestor(engine, settings, redactor).ingest(paths, fmt, rejects_path)


def _where(row: RawRow) -> str:
    if row.line is not None:
        return f"{row.source}:{row.line}"
    if row.pointer is not None:
        return f"{row.source}#{row.pointer}"
    return row.source


def _shown_fields(rows: list[tuple[RawRow, Any]], redactor: Redactor) -> list[tuple[RawRow, Any]]:
    """Posts with title and channel redacted: both are shown (queue, reports) and never fed to a model."""
    titles = shown_many([post.title for _, post in rows], redactor)
    channels = shown_many([post.channel for _, post in rows])
    return [(row, dataclasses.replace(post, title=title, channel=channel))
            for (row, post), title, channel in zip(rows, titles, channels, strict=True)]


def _row_id(value: Any) -> str | None:
    """A row's id for its reject, whatever its type or size."""
    if value is None or (isinstance(value, int) and abs(value) >= 10**64):
        return None
    return str(value)[:256]


def _guarded(rows: Iterator[RawRow | Reject], source: str) -> Iterator[RawRow | Reject]:
    """A reader's rows; a reader that breaks on a value nobody foresaw ends its file with one
    ``MALFORMED`` reject (the rows before it are kept) instead of ending the ingest."""
    try:
        yield from rows
    except InputError:
        raise  # the file as a whole is unusable (no header, unknown format): the user must act
    except (RecursionError, TypeError, ValueError, AttributeError, KeyError, OverflowError, OSError) as exc:
        yield Reject(source, Reason.MALFORMED, f"the reader stopped on this file: {type(exc).__name__}: "
                                               f"{str(exc).splitlines()[0][:200] if str(exc) else ''}")


def _db_detail(exc: Exception) -> str:
    """What the database said, first line only: the statement's parameters (raw text) stay out."""
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    return f"the database refused this row: {type(orig).__name__}: {first[:200]}"


def _chunked(items: Iterable[RawRow | Reject], size: int) -> Iterator[list[RawRow | Reject]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


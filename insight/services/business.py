"""Business ingest use-case (`insight business ingest`): accounts, member links, touchpoints,
outcomes and support costs, validated row by row as posts are (coded rejects, good rows kept).

Files are stored in dependency order (accounts first, so a link, touchpoint or outcome can be
checked against the stored accounts: one naming an unknown account is an ``unknown_reference``
reject). Member ids in links and touchpoints are pseudonymised with the ingest key and rule
(``privacy.pseudonym``), so they meet the ids posts are stored under.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from insight.config import Settings
from insight.errors import InputError
from insight.ingest import business as contract
from insight.ingest.base import RawRow, Reason, Reject, RowKind
from insight.ingest.canonical import _first_keys, _suffix, read_canonical
from insight.ingest.validate import RowProblem, TimeWindow, checked_id
from insight.privacy.pseudonym import author_key, pseudonymise
from insight.services.ingest import _chunked, _db_detail, _guarded, _row_id
from insight.storage import business, runs
from insight.storage.db import session_scope

KIND_OPTIONS = ("auto", *contract.KINDS)
ORDER: tuple[RowKind, ...] = ("account", "link", "touchpoint", "outcome", "support_cost")
_ID_FIELD = {"account": "account_id", "link": "author_id", "touchpoint": "touchpoint_id", "outcome": "outcome_id",
             "support_cost": "period"}


@dataclass
class BusinessSummary:
    """The one-line JSON summary of `insight business ingest`."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: str | None = None
    accounts: int = 0
    links: int = 0
    touchpoints: int = 0
    outcomes: int = 0
    support_costs: int = 0
    files: dict[str, str] = field(default_factory=dict)
    run_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def plan_files(paths: Sequence[Path], kind: str = "auto") -> list[tuple[Path, RowKind]]:
    """(file, row kind) in storing order.

    Raises:
        InputError: E691 for an unknown ``kind``; E690 for a file whose kind cannot be told.
    """
    if kind not in KIND_OPTIONS:
        raise InputError("E691", kind=kind, options=", ".join(KIND_OPTIONS))
    planned = []
    for path in map(Path, paths):
        found = contract.KINDS[kind] if kind != "auto" else contract.sniff_business(path)
        if found is None:
            keys = _first_keys(path, _suffix(path)) or set()
            raise InputError("E690", path=str(path), found=", ".join(sorted(keys)) or "(none)")
        planned.append((path, found))
    return sorted(planned, key=lambda pair: ORDER.index(pair[1]))


class BusinessIngestor:
    """Stores business rows, one transaction per batch; a batch the database refuses is retried row by row."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.key = settings.checked_pseudonym_key()
        self.window = TimeWindow.default(settings.ingest.earliest, settings.ingest.max_future_days)
        self.summary = BusinessSummary()
        self.rejects: list[Reject] = []

    def ingest(self, paths: Sequence[Path], kind: str = "auto", rejects_path: Path | None = None) -> BusinessSummary:
        planned = plan_files(paths, kind)
        self.summary.files = {str(p): k for p, k in planned}
        with session_scope(self.engine) as session:
            self.summary.run_id = runs.start_run(session, "business ingest", self.settings.config_hash())
        for path, row_kind in planned:
            for chunk in _chunked(_guarded(read_canonical(path, row_kind), str(path)), self.settings.ingest.batch_size):
                self._store(chunk)
        self.summary.rejected = len(self.rejects)
        if self.rejects:
            target = rejects_path or self.settings.data_path / "rejects" / f"{self.summary.run_id}.jsonl"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", errors="backslashreplace") as fh:
                fh.writelines(json.dumps(r.as_dict(), ensure_ascii=False) + "\n" for r in self.rejects)
            self.summary.rejects = str(target)
        with session_scope(self.engine) as session:
            runs.finish_run(session, self.summary.run_id, self.summary.as_dict())
        return self.summary

    def _store(self, chunk: list[RawRow | Reject]) -> None:
        rows = []
        for row in chunk:
            self.summary.read += 1
            if isinstance(row, Reject):
                self.rejects.append(row)
            else:
                rows.append(row)
        state = (dataclasses.replace(self.summary), len(self.rejects))
        try:
            self._write(rows)
            return
        except SQLAlchemyError:
            self.summary, n = state
            del self.rejects[n:]
        for row in rows:
            state = (dataclasses.replace(self.summary), len(self.rejects))
            try:
                self._write([row])
            except SQLAlchemyError as exc:
                self.summary, n = state
                del self.rejects[n:]
                self.rejects.append(Reject(row.source, Reason.STORAGE, _db_detail(exc), line=row.line,
                                           pointer=row.pointer))

    def _write(self, rows: list[RawRow]) -> None:
        """One batch (rows of one file, so of one kind) validated, checked against the stored accounts, saved."""
        if not rows:
            return
        kind = rows[0].kind
        records = []
        for row in rows:
            try:
                records.append((row, self._record(row)))
            except RowProblem as problem:
                self._reject(row, problem)
        with session_scope(self.engine) as session:
            if kind != "account":
                known = business.known_accounts(session, [r.account_id for _, r in records
                                                          if getattr(r, "account_id", None)])
                records = [(row, r) for row, r in records if self._references(row, r, known)]
            counts = SAVE[kind](session, [r for _, r in records], self.summary.run_id)
        self.summary.inserted += counts["inserted"]
        self.summary.updated += counts["updated"]
        self.summary.duplicates += counts["same"]
        counter = COUNTERS[kind]
        setattr(self.summary, counter, getattr(self.summary, counter) + counts["inserted"] + counts["updated"])

    def _references(self, row: RawRow, record: Any, known: set[str]) -> bool:
        account = getattr(record, "account_id", None)
        if account is None or account in known:
            return True
        self._reject(row, RowProblem("account_id", Reason.UNKNOWN_REFERENCE,
                                     f"account '{account}' is not stored; ingest the accounts file first "
                                     "(or in the same command)"))
        return False

    def _reject(self, row: RawRow, problem: RowProblem) -> None:
        self.rejects.append(Reject(row.source, problem.reason, problem.detail, field=problem.field, line=row.line,
                                   pointer=row.pointer, row_id=_row_id(row.data.get(_ID_FIELD[row.kind]))))

    def _record(self, row: RawRow) -> Any:
        data = row.data
        if row.kind in ("link", "touchpoint") and data.get("author_id") not in (None, ""):
            raw = checked_id(data["author_id"], "author_id")
            data = {**data, "author_id": pseudonymise(self.key, author_key("canonical", raw))}
        convert: dict[str, Callable[[dict[str, Any]], Any]] = {
            "account": lambda d: contract.to_account(d, self.window), "link": contract.to_link,
            "touchpoint": lambda d: contract.to_touchpoint(d, self.window),
            "outcome": lambda d: contract.to_outcome(d, self.window), "support_cost": contract.to_support_cost}
        return convert[row.kind](data)


SAVE: dict[str, Callable[[Session, list[Any], str], Counter[str]]] = {
    "account": business.save_accounts, "link": business.insert_links, "touchpoint": business.insert_touchpoints,
    "outcome": business.insert_outcomes, "support_cost": business.save_support_costs}
COUNTERS = {"account": "accounts", "link": "links", "touchpoint": "touchpoints", "outcome": "outcomes",
            "support_cost": "support_costs"}


def ingest_business(paths: Sequence[Path], *, engine: Engine, settings: Settings, kind: str = "auto",
                    rejects_path: Path | None = None) -> BusinessSummary:
    """Ingest business files; see ``BusinessIngestor``."""
    return BusinessIngestor(engine, settings).ingest(paths, kind, rejects_path)

"""Batch files: the id/text tables batch commands read, the JSONL they write, the summary they print.

Batch commands read CSV or JSONL with an ``id`` and a ``text`` column (``post_id`` is accepted
for ``id``); rows without usable text are reported with their line and the rest go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insight.errors import InputError
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import read_canonical
from insight.records import Doc


@dataclass
class BatchSummary:
    """The one-line JSON summary a batch command prints."""

    rows: int = 0
    written: int = 0
    rejected: int = 0
    output: str = ""
    run_id: str = ""
    rejects: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {"rows": self.rows, "written": self.written, "rejected": self.rejected, "output": self.output,
               "run_id": self.run_id, **self.extra}
        if self.rejects:
            out["rejects"] = self.rejects[:20]  # the first few inline; enough to fix the file
        return out


def read_docs(path: Path, summary: BatchSummary) -> list[Doc]:
    """Docs from an id/text table; bad rows go to ``summary.rejects``.

    Raises:
        InputError: E601 missing file, E603 no usable rows.
    """
    if not path.exists():
        raise InputError("E601", path=path)
    docs: list[Doc] = []
    seen: set[str] = set()
    for row in read_canonical(path, "item"):
        summary.rows += 1
        problem = row if isinstance(row, Reject) else _check(row, seen)
        if problem is not None:
            summary.rejected += 1
            summary.rejects.append(problem.as_dict())
            continue
        assert isinstance(row, RawRow)
        row_id = str(row.data.get("id") if row.data.get("id") is not None else row.data["post_id"]).strip()
        seen.add(row_id)
        docs.append(Doc(id=row_id, text=str(row.data["text"]).strip()))
    if not docs:
        detail = f"{summary.rejected} rejected of {summary.rows}" if summary.rows else "the file has no rows"
        raise InputError("E603", path=path, detail=detail)
    return docs


def _check(row: RawRow, seen: set[str]) -> Reject | None:
    def reject(field_name: str, reason: Reason, detail: str) -> Reject:
        return Reject(row.source, reason, detail, field=field_name, line=row.line, pointer=row.pointer)

    row_id = row.data.get("id", row.data.get("post_id"))
    if row_id is None or not str(row_id).strip():
        return reject("id", Reason.MISSING_FIELD, "'id' is required")
    if str(row_id).strip() in seen:
        return reject("id", Reason.DUPLICATE_IN_INPUT, f"id '{row_id}' appears more than once")
    text = row.data.get("text")
    if not isinstance(text, str) or not text.strip():
        return reject("text", Reason.EMPTY_TEXT, "'text' is missing or empty")
    return None


def write_jsonl(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count

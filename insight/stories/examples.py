"""Seed examples (JSONL ``{"text", "tags"}``): the handful per tag a researcher confirms up front.

An example with an empty tag list is a non-story: it teaches what to leave untagged.
Bad rows are reported as rejects with their line; the good rows go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from insight.errors import InputError
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import read_canonical


@dataclass(frozen=True)
class Example:
    text: str
    tags: tuple[str, ...]

    @property
    def is_story(self) -> bool:
        return bool(self.tags)


def read_examples(path: Path, known_tags: Sequence[str]) -> tuple[list[Example], list[Reject]]:
    """Examples from a JSONL or CSV file; rows with no text or unknown tags are rejected.

    Raises:
        InputError: E601 when the file is missing, E633 when no row is usable.
    """
    if not path.exists():
        raise InputError("E601", path=path)
    known = set(known_tags)
    examples: list[Example] = []
    rejects: list[Reject] = []
    for row in read_canonical(path, "item"):
        if isinstance(row, Reject):
            rejects.append(row)
            continue
        problem = _check(row, known)
        if problem is not None:
            rejects.append(problem)
            continue
        tags = row.data.get("tags") or []
        examples.append(Example(text=str(row.data["text"]).strip(), tags=tuple(dict.fromkeys(tags))))
    if not examples:
        raise InputError("E633", path=path, detail=f"{len(rejects)} row(s) rejected")
    return examples, rejects


def _check(row: RawRow, known: set[str]) -> Reject | None:
    text = row.data.get("text")
    if not isinstance(text, str) or not text.strip():
        return Reject(row.source, Reason.EMPTY_TEXT, "'text' is missing or empty", field="text", line=row.line)
    tags = row.data.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return Reject(row.source, Reason.BAD_TYPE, "'tags' must be a list of tag ids", field="tags", line=row.line)
    unknown = [t for t in tags if t not in known]
    if unknown:
        return Reject(row.source, Reason.BAD_VALUE, f"unknown tag(s) {unknown}; known: {sorted(known)}",
                      field="tags", line=row.line)
    return None

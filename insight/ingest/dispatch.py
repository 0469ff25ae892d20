"""Which reader handles a path: a platform adapter or the canonical JSONL/CSV reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from insight.errors import InputError
from insight.ingest.base import RawRow, Reject
from insight.ingest.canonical import read_canonical, sniff_kind
from insight.runtime import registry

FORMATS = ("auto", "canonical", "discourse", "slack", "discord", "github")
PLATFORM_FORMATS = ("slack", "discourse", "discord", "github")  # sniff order: folders (slack) first
CANONICAL_SUFFIXES = (".jsonl", ".csv", ".json")


def _adapter(name: str):  # type: ignore[no-untyped-def]
    return registry.adapters.build(name)


def detect_format(path: Path) -> str | None:
    """The platform adapter that recognises ``path``, else "canonical" for a table of rows.

    A folder is one export when it is a Slack export, or when every file in it that any
    reader recognises belongs to the same platform (so a Discourse folder of pages is read
    together and replies find parents on other pages); a mixed folder is walked file by file.
    """
    if path.is_dir():
        if _adapter("slack").sniff(path):
            return "slack"
        kinds = {detect_format(f) for f in sorted(path.rglob("*")) if f.is_file() and not f.name.startswith(".")}
        kinds.discard(None)
        if len(kinds) == 1 and kinds != {"canonical"} and _adapter(next(iter(kinds))).sniff(path):
            return kinds.pop()
        return None
    for name in PLATFORM_FORMATS:
        if _adapter(name).sniff(path):
            return name
    if path.is_file() and path.suffix.lower() in CANONICAL_SUFFIXES and sniff_kind(path) is not None:
        return "canonical"
    return None


def plan(path: Path, fmt: str = "auto", skipped: list[Path] | None = None) -> list[tuple[Path, str]]:
    """(path, format) pairs to read for one user-given path; folders are walked in sorted order.

    Files inside a folder that no reader recognises are appended to ``skipped`` (when given).

    Raises:
        InputError: E601 missing path; E602 a file whose format cannot be told.
    """
    if fmt not in FORMATS:
        raise InputError("E606", option="--format", detail=f"'{fmt}'; choose one of {', '.join(FORMATS)}")
    if not path.exists():
        raise InputError("E601", path=path)
    if fmt != "auto":
        if path.is_dir() and fmt != "slack":
            return [(p, fmt) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")]
        return [(path, fmt)]
    found = detect_format(path)
    if found is not None:
        return [(path, found)]
    if path.is_file():
        raise InputError("E602", path=path, options=", ".join(FORMATS[1:]))
    pairs: list[tuple[Path, str]] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            pairs.extend(plan(child, "auto", skipped))
            continue
        kind = detect_format(child)
        if kind is not None:
            pairs.append((child, kind))
        elif skipped is not None:
            skipped.append(child)
    return pairs


def read(path: Path, fmt: str) -> Iterator[RawRow | Reject]:
    """Rows from one planned (path, format) pair."""
    if fmt == "canonical":
        kind = sniff_kind(path)
        if kind is None:
            raise InputError("E602", path=path, options=", ".join(FORMATS[1:]))
        yield from read_canonical(path, kind)
    else:
        yield from _adapter(fmt).read(path)

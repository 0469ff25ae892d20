"""Canonical readers: JSONL, CSV and JSON files already in PRODUCT.md's field names.

``read_canonical`` streams a file into ``RawRow`` and ``Reject`` without judging the
values (validation happens once, downstream, for every format alike). It only rejects what
it cannot read at all: a line that is not JSON, a value that is not an object, a CSV row
with more cells than the header, bytes that are not UTF-8. Good rows around a bad one go on.

Rules:

- ``.jsonl`` / ``.ndjson``: one object per line; blank lines are skipped; ``line`` is the
  1-based file line.
- ``.csv``: ``csv.DictReader`` with a header row (line 1); a row's ``line`` is the file line
  where it starts (a quoted cell may span lines); empty cells become ``None``; header names
  are stripped and lower-cased, since every canonical name is lower case. An empty file
  raises ``InputError("E603")``; a header that lacks a required column of ``kind`` raises
  ``InputError("E604")``, since every row would fail. Non-UTF-8 bytes reject their row.
- ``.json``: one array of objects; ``pointer`` is ``"/<index>"``. A file that is not valid
  JSON yields one ``Reject(MALFORMED)`` for the whole file.
- Any other suffix raises ``InputError("E605")``.

``load_json`` is shared with the platform adapters: it turns a broken JSON file into one
reject instead of an exception.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from insight.errors import InputError
from insight.ingest.base import RawRow, Reason, Reject, RowKind

JSONL_SUFFIXES = (".jsonl", ".ndjson")
SUFFIXES = (*JSONL_SUFFIXES, ".csv", ".json")

# The columns without which no row of a kind can validate (see insight.ingest.validate).
REQUIRED: dict[str, tuple[str, ...]] = {
    "post": ("post_id", "thread_id", "author_id", "created_at", "text"),
    "member": ("author_id",),
    "feedback": ("response_id", "prompt_id", "author_id", "created_at", "text"),
    "kpi": ("kpi_id", "period_start", "period_end", "value"),
    "item": ("text",),
    # Business files (issue 20): a touchpoint also needs account_id or author_id (checked per row).
    "account": ("account_id",),
    "link": ("author_id", "account_id"),
    "touchpoint": ("occurred_at", "kind"),
    "outcome": ("account_id", "kind", "occurred_at"),
    "support_cost": ("period", "tickets", "cost_per_ticket"),
}


def load_json(path: Path) -> Any | Reject:
    """The parsed content of a JSON file, or one ``Reject(MALFORMED)`` naming the error."""
    try:
        with path.open("rb") as handle:
            return json.loads(handle.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Reject(str(path), Reason.MALFORMED, f"file is not UTF-8 text: {exc}")
    except json.JSONDecodeError as exc:
        return Reject(str(path), Reason.MALFORMED, f"file is not valid JSON: {exc}", line=exc.lineno)
    except RecursionError:
        return Reject(str(path), Reason.MALFORMED, "file is JSON nested too deep to read")
    except ValueError as exc:  # an integer of more than 4300 digits
        return Reject(str(path), Reason.MALFORMED, f"file is not readable JSON: {str(exc)[:120]}")
    except OSError as exc:  # a dangling symlink, a folder named *.json, no permission
        return Reject(str(path), Reason.MALFORMED, f"file cannot be read: {exc.strerror or exc}")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("E605", suffix=path.suffix or "(none)", path=str(path))
    return suffix


def read_canonical(path: Path, kind: RowKind) -> Iterator[RawRow | Reject]:
    """Yield the rows of a canonical JSONL, CSV or JSON file as ``kind`` rows.

    Args:
        path: the file to read.
        kind: what each row is (post, member, feedback or kpi).

    Raises:
        InputError: E605 for an unsupported suffix; E603 for a CSV without a header row,
            E604 for a CSV header lacking a required column (raised on first iteration).
    """
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, kind)
    elif suffix == ".csv":
        yield from _read_csv(path, kind)
    else:
        yield from _read_json(path, kind)


def _read_jsonl(path: Path, kind: RowKind) -> Iterator[RawRow | Reject]:
    source = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Reject(source, Reason.MALFORMED, f"line is not UTF-8 text: {exc}", line=number)
                continue
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Reject(source, Reason.MALFORMED, f"not valid JSON: {exc.msg} at column {exc.colno}", line=number)
                continue
            except RecursionError:
                yield Reject(source, Reason.MALFORMED, "JSON nested too deep to read", line=number)
                continue
            except ValueError as exc:  # an integer of more than 4300 digits
                yield Reject(source, Reason.MALFORMED, f"not readable JSON: {str(exc)[:120]}", line=number)
                continue
            if not isinstance(value, dict):
                yield Reject(
                    source, Reason.MALFORMED, f"expected a JSON object, got {type(value).__name__}", line=number
                )
                continue
            yield RawRow(kind=kind, data=value, source=source, line=number)


def _has_undecodable(values: list[Any]) -> bool:
    # surrogateescape turns each non-UTF-8 byte into a lone surrogate U+DC80..U+DCFF.
    return any(isinstance(v, str) and any("\udc80" <= ch <= "\udcff" for ch in v) for v in values)


def _read_csv(path: Path, kind: RowKind) -> Iterator[RawRow | Reject]:
    source = str(path)
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("E603", path=source, detail="the file is empty; a header row is required") from None
        except csv.Error as exc:
            raise InputError("E603", path=source, detail=f"the header row cannot be read: {exc}") from None
        names = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED[kind] if name not in names]
        if missing:
            raise InputError("E604", path=source, columns=", ".join(missing), found=", ".join(names) or "(none)")
        end = reader.line_num  # last file line consumed so far
        while True:
            start = end + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                end = reader.line_num
                yield Reject(source, Reason.MALFORMED, f"broken CSV row: {exc}", line=start)
                continue
            end = reader.line_num
            if not cells or all(not cell.strip() for cell in cells):
                continue
            if _has_undecodable(cells):
                yield Reject(source, Reason.MALFORMED, "row contains bytes that are not UTF-8 text", line=start)
                continue
            if len(cells) > len(names):
                detail = f"row has {len(cells)} cells but the header has {len(names)} columns"
                yield Reject(source, Reason.MALFORMED, detail, line=start)
                continue
            data: dict[str, Any] = dict.fromkeys(names)
            for name, cell in zip(names, cells, strict=False):
                data[name] = cell if cell.strip() else None
            yield RawRow(kind=kind, data=data, source=source, line=start)


def _read_json(path: Path, kind: RowKind) -> Iterator[RawRow | Reject]:
    source = str(path)
    content = load_json(path)
    if isinstance(content, Reject):
        yield content
        return
    if not isinstance(content, list):
        detail = (
            f"expected a JSON array of objects, got {type(content).__name__}; "
            "if this is a platform export, pass its --format"
        )
        yield Reject(source, Reason.MALFORMED, detail, pointer="")
        return
    for index, value in enumerate(content):
        pointer = f"/{index}"
        if not isinstance(value, dict):
            yield Reject(source, Reason.MALFORMED, f"expected an object, got {type(value).__name__}", pointer=pointer)
            continue
        yield RawRow(kind=kind, data=value, source=source, pointer=pointer)


def _first_keys(path: Path, suffix: str) -> set[str] | None:
    """The field names of the first record, or None when there is none to read."""
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader(handle), None)
        return {name.strip().lower() for name in header} if header else None
    if suffix in JSONL_SUFFIXES:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except (ValueError, RecursionError):
                    continue  # the reader will reject it; look at the next line
                return set(value) if isinstance(value, dict) else None
        return None
    content = load_json(path)
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return set(content[0])
    return None


def sniff_kind(path: Path) -> RowKind | None:
    """Guess what a canonical file holds from its header or its first object's keys.

    ``kpi_id`` means kpi; ``response_id`` feedback; ``post_id`` with ``thread_id`` post;
    ``author_id`` with ``consent_analytics``, or with ``joined_at`` and no ``post_id``,
    member. None when no rule fits.

    Raises:
        InputError: E605 for a suffix other than .jsonl, .ndjson, .csv or .json.
    """
    keys = _first_keys(path, _suffix(path))
    if not keys:
        return None
    if "kpi_id" in keys:
        return "kpi"
    if "response_id" in keys:
        return "feedback"
    if {"post_id", "thread_id"} <= keys:
        return "post"
    if "author_id" in keys and ("consent_analytics" in keys or ("joined_at" in keys and "post_id" not in keys)):
        return "member"
    return None

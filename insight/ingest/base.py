"""Ingest contracts: what a reader yields (rows in canonical field names, or rejects).

Every reader, canonical or platform adapter, turns a file or folder into a stream of
``RawRow`` (a dict keyed by the canonical field names of PRODUCT.md, values not yet
validated) and ``Reject`` (a row that could not be read at all). Validation into records,
pseudonymisation, consent and storage happen once, downstream, for every format alike.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

# "item": a row of a batch command's id/text table (score, topics fit, triage rank).
# "account" ... "support_cost": the business files of `insight business ingest` (issue 20).
RowKind = Literal["post", "member", "feedback", "kpi", "item", "account", "link", "touchpoint", "outcome",
                  "support_cost"]


class Reason(str, enum.Enum):
    """Why a row was rejected. Stable codes: reports and scripts match on them."""

    MALFORMED = "malformed"  # the line or object cannot be parsed (bad JSON, broken CSV row)
    MISSING_FIELD = "missing_field"  # a required field is absent or null
    EMPTY_TEXT = "empty_text"  # text is empty after stripping
    BAD_TIMESTAMP = "bad_timestamp"  # not ISO-8601, or no UTC offset
    BAD_TYPE = "bad_type"  # wrong type (a number where text belongs, "yes" for a bool...)
    BAD_VALUE = "bad_value"  # right type, value outside the allowed set or range
    DUPLICATE_IN_INPUT = "duplicate_in_input"  # same id twice in the input being read
    UNSUPPORTED = "unsupported"  # a record kind the adapter knows but does not ingest (system messages)
    TOO_LONG = "too_long"  # a string longer than its stored column allows
    OUT_OF_RANGE = "out_of_range"  # a number outside what can be stored (infinite, NaN, over 2^31)
    STORAGE = "storage"  # the database refused this one row (its batch was retried row by row)
    UNKNOWN_REFERENCE = "unknown_reference"  # names an account that is not stored (ingest accounts first)


@dataclass(frozen=True)
class RawRow:
    """One row in canonical field names, with where it came from."""

    kind: RowKind
    data: dict[str, Any]
    source: str
    line: int | None = None  # 1-based line for JSONL/CSV
    pointer: str | None = None  # JSON pointer inside a JSON document, e.g. "/latest_posts/3"


@dataclass(frozen=True)
class Reject:
    """A row that was not ingested, and why."""

    source: str
    reason: Reason
    detail: str
    field: str | None = None
    line: int | None = None
    pointer: str | None = None
    row_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "pointer": self.pointer,
            "field": self.field,
            "reason": self.reason.value,
            "detail": self.detail,
            "row_id": self.row_id,
        }


@dataclass
class Warning_:
    """A row that was ingested with a change worth knowing (for example truncated text)."""

    source: str
    detail: str
    line: int | None = None
    pointer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Adapter(Protocol):
    """A platform export reader. Register one with ``insight.runtime.registry.adapters``."""

    name: str

    def sniff(self, path: Path) -> bool:
        """True when ``path`` (a file or folder) looks like this adapter's format."""
        ...

    def read(self, path: Path) -> Iterator[RawRow | Reject]:
        """Yield canonical rows and rejects; never raise for a bad row."""
        ...

"""Helpers the storage modules share: chunked ``IN`` lists, streamed reads, provenance column values,
row values.

Private to ``insight.storage``: nothing outside the package imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import Session

from insight.records import Provenance, utc

# Rows per ``IN (...)`` list: SQLite allows few bound parameters per statement, and long lists
# slow PostgreSQL's planner; 500 stays clear of both.
CHUNK = 500
# Rows per fetch of a streamed read: a few megabytes of row objects at a time, whatever the table's size.
STREAM_CHUNK = 20_000


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def streamed(session: Session, stmt: Select[Any]) -> Iterator[tuple[Any, ...]]:
    """The statement's rows as tuples, fetched ``STREAM_CHUNK`` at a time (server-side where the
    driver can): a read over every post holds one chunk, never the table."""
    for part in session.execute(stmt.execution_options(yield_per=STREAM_CHUNK)).partitions():
        yield from (tuple(r) for r in part)


def provenance(p: Provenance) -> dict[str, Any]:
    """The provenance columns every output row carries (``tables.ProvenanceColumns``)."""
    return {"stage": p.stage, "model": p.model, "model_revision": p.model_revision,
            "config_hash": p.config_hash, "run_id": p.run_id}


def values(row: Any) -> dict[str, Any]:
    """Column values of an ORM row; datetimes get their UTC zone back (SQLite drops it)."""
    out = {}
    for attr in inspect(row).mapper.column_attrs:
        value = getattr(row, attr.key)
        out[attr.key] = utc(value) if isinstance(value, datetime) else value
    return out


def stage_models(session: Session, table: Any, run_id: str | None = None) -> set[tuple[str, str | None, str | None]]:
    """Distinct (stage, model, model_revision) of an output table, of one run when ``run_id`` is given."""
    stmt = select(table.stage, table.model, table.model_revision).distinct()
    if run_id is not None:
        stmt = stmt.where(table.run_id == run_id)
    return {tuple(r) for r in session.execute(stmt)}  # type: ignore[misc]

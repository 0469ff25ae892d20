"""``--format json|jsonl|table`` for the list commands: one JSON object (the default, as before),
one JSON line per row (for ``jq`` and pipes), or aligned columns for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from insight.errors import InputError

FORMATS = ("json", "jsonl", "table")
FormatOpt = Annotated[str, typer.Option("--format", help="json (one object: count and rows), jsonl (one line "
                                                         "per row) or table (columns).")]
WIDTH = 48  # a table cell longer than this is cut with an ellipsis


def check_format(value: str) -> str:
    if value not in FORMATS:
        raise InputError("E674", value=value, options=", ".join(FORMATS))
    return value


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    elif isinstance(value, float):
        value = f"{value:.3f}"
    elif value is None:
        value = ""
    text = " ".join(str(value).split())
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Aligned columns with a header; cells on one line, cut at ``WIDTH``."""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def emit_rows(rows: Sequence[dict[str, Any]], fmt: str, *, key: str, columns: Sequence[str],
              count: int | None = None, extra: dict[str, Any] | None = None) -> None:
    """Print ``rows`` in ``fmt``; ``json`` keeps the one-object shape ``{"count": n, key: rows}``."""
    fmt = check_format(fmt)
    if fmt == "json":
        typer.echo(json.dumps({"count": len(rows) if count is None else count, key: list(rows), **(extra or {})},
                              ensure_ascii=False, default=str))
    elif fmt == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
    else:
        typer.echo(table(rows, columns))

"""Annotations: dated notes of experiments, releases, incidents and events, read from a TOML file.

A report puts them on every KPI trend they may explain, so a reader sees "the dip started
the week of the 4.2 rollout" without asking. Layout::

    [[annotations]]
    date = 2026-10-21                 # a TOML date (or "YYYY-MM-DD")
    kind = "release"                  # experiment | release | incident | event
    title = "Deploy agent 4.2 rollout"
    kpis = ["median_first_response_hours"]   # optional: the KPIs it may move; empty = every KPI
    cohort = "segment=startup"        # optional: the cohort it targets
    end = 2026-11-15                  # optional: last day (experiments run for a while)
    note = "Staged to 30% of workspaces first."   # optional

A file that cannot be read stops the report (E651, E652); a bad entry is left out and named
in the report's notes (E653), so one typo does not hide every other note.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from insight.config import toml_tables
from insight.errors import InputError

KINDS: tuple[str, ...] = ("experiment", "release", "incident", "event")
FIELDS: tuple[str, ...] = ("date", "kind", "title", "kpis", "cohort", "end", "note")


@dataclass(frozen=True)
class Annotation:
    """One dated note. ``kpis`` empty means it may concern every KPI."""

    date: date
    kind: str
    title: str
    kpis: tuple[str, ...] = ()
    cohort: str | None = None
    end: date | None = None
    note: str | None = None

    def concerns(self, kpi_id: str) -> bool:
        return not self.kpis or kpi_id in self.kpis

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat()
        out["end"] = self.end.isoformat() if self.end else None
        out["kpis"] = list(self.kpis)
        return out


def load_annotations(path: str | Path) -> tuple[list[Annotation], list[str]]:
    """Read an annotations file; returns the good entries (by date, then title) and one message per bad entry.

    Raises:
        InputError: E651 when the file does not exist, E652 when it is not TOML or has no
            ``[[annotations]]`` list.
    """
    path = Path(path)
    entries = toml_tables(path, "annotations", missing="E651", unreadable="E652")
    good: list[Annotation] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        try:
            good.append(_parse(entry))
        except ValueError as exc:
            problems.append(str(InputError("E653", path=path, where=f"annotations[{index}]", detail=exc)))
    return sorted(good, key=lambda a: (a.date, a.title)), problems


def _parse(entry: Any) -> Annotation:
    if not isinstance(entry, dict):
        raise ValueError("expected a table")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field '{unknown[0]}'; fields are {', '.join(FIELDS)}")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: use one of {', '.join(KINDS)}")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title: required, a non-empty string")
    kpis = entry.get("kpis", [])
    if not isinstance(kpis, list) or not all(isinstance(k, str) and k for k in kpis):
        raise ValueError("kpis: a list of KPI ids, e.g. [\"activation_rate\"]")
    start = _date(entry.get("date"), "date")
    end = _date(entry["end"], "end") if "end" in entry else None
    if end is not None and end < start:
        raise ValueError(f"end {end} is before date {start}")
    return Annotation(date=start, kind=kind, title=title.strip(), kpis=tuple(kpis), end=end,
                      cohort=_optional_text(entry, "cohort"), note=_optional_text(entry, "note"))


def _date(value: Any, name: str) -> date:
    if isinstance(value, datetime):  # a TOML date-time: the day is what a note is about
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name} {value!r}: use a date such as 2026-10-21")


def _optional_text(entry: dict[str, Any], name: str) -> str | None:
    value = entry.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: a string")
    return value.strip() or None

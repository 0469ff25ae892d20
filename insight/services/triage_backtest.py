"""Triage backtests on stored threads (or threads in memory): replay a period against the rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.errors import InputError
from insight.services.batch import write_jsonl
from insight.services.triage import action_labels, load_threads
from insight.triage.backtest import BacktestReport, Labels, parse_step, replay
from insight.triage.rank import ThreadView


def parse_period(start: str, end: str, step: str = "1D") -> tuple[datetime, datetime, timedelta]:
    """``--start``/``--end`` dates (inclusive days, UTC) and ``--step`` as instants and a timedelta."""
    days = []
    for option, value in (("--start", start), ("--end", end)):
        try:
            days.append(date.fromisoformat(value.strip()))
        except ValueError:
            raise InputError("E606", option=option, detail=f"'{value}'; use YYYY-MM-DD") from None
    if days[1] < days[0]:
        raise InputError("E606", option="--end", detail=f"{end} is before --start {start}")
    delta = parse_step(step)
    if delta is None:
        raise InputError("E606", option="--step", detail=f"'{step}'; use a number of days or hours, e.g. 1D or 6H")
    first = datetime(days[0].year, days[0].month, days[0].day, tzinfo=UTC)
    last = datetime(days[1].year, days[1].month, days[1].day, tzinfo=UTC) + timedelta(days=1)
    return first, last, delta


def backtest(source: Engine | Sequence[ThreadView], settings: Settings, start: datetime, end: datetime,
             step: timedelta | str = "1D", *, labels: Labels | None = None) -> BacktestReport:
    """Replay ``start``..``end`` against the configured rules (see ``insight.triage.backtest``).

    ``source`` is a database (stored threads, member context; moderators' stored actions are the
    labels when none are given) or threads in memory.
    """
    delta = parse_step(step) if isinstance(step, str) else step
    if delta is None:
        raise InputError("E606", option="--step", detail=f"'{step}'; use a number of days or hours, e.g. 1D or 6H")
    if isinstance(source, Engine):
        data = load_threads(source, settings)
        if labels is None:
            found = action_labels(source)
            labels = found if found.decisions else None
        return replay(data.threads, settings.triage, start=start, end=end, step=delta, labels=labels,
                      joined_at=data.joined_at, at_risk=data.at_risk)
    return replay(list(source), settings.triage, start=start, end=end, step=delta, labels=labels)


def backtest_summary(report: BacktestReport) -> dict[str, Any]:
    """The one-line summary: items per day, and precision and recall per reason where labels exist."""
    return report.summary()


def write_backtest(report: BacktestReport, output: Path) -> Path:
    """One JSONL line per replay step: its time and the items raised per reason."""
    write_jsonl(output, iter(report.daily()))
    return output

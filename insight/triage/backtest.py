"""Triage backtest: replays history against the current rules and counts what the queue would have raised.

``replay`` walks a period step by step (by default each day's end), ranks every thread with
``as_of`` = that time, and feeds the ranking to the same queue rules the live queue uses
(``insight.triage.queue.plan_refresh``) with no moderator in the loop. It counts an item as raised
for a reason once per *episode*: when a thread's item opens or comes back with new evidence
(every reason it carries counts), or when an open item gains a reason it did not have in this
episode. A question that stays unanswered for a month is one raise, not thirty. The queue is
seeded with one uncounted ranking at the period's start, so items already open then are not
counted as raised on the first day.

Where decisions exist (a labels file, or moderators' stored actions) precision per reason is the
share of labelled raises that were right, and recall the share of positively labelled
(thread, reason) pairs raised at least once in the period.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from insight.config import TriageSettings
from insight.errors import InputError
from insight.records import TRIAGE_REASONS, utc
from insight.triage.detectors import ThreadView
from insight.triage.queue import EpisodeState, apply_change, plan_refresh
from insight.triage.rank import assess_threads

_STEP = re.compile(r"^\s*(\d+)\s*([DdHh])\s*$")


def parse_step(text: str) -> timedelta | None:
    """``"1D"``, ``"12H"``... as a timedelta; None when the text is not a positive step."""
    match = _STEP.match(text)
    if not match or int(match.group(1)) == 0:
        return None
    amount = int(match.group(1))
    return timedelta(days=amount) if match.group(2).upper() == "D" else timedelta(hours=amount)


def _bare(thread_id: str) -> str:
    """Stored threads are keyed ``platform:thread_id``; labels may use either form."""
    return thread_id.split(":", 1)[1] if ":" in thread_id else thread_id


@dataclass(frozen=True)
class Labels:
    """Moderator decisions: (thread id, reason) -> needs attention. A reason of None covers every reason."""

    decisions: Mapping[tuple[str, str | None], bool]

    def lookup(self, thread_id: str, reason: str) -> bool | None:
        for key in dict.fromkeys((thread_id, _bare(thread_id))):
            for candidate in ((key, reason), (key, None)):
                if candidate in self.decisions:
                    return self.decisions[candidate]
        return None

    def positives(self) -> set[tuple[str, str]]:
        return {(_bare(t), r) for (t, r), ok in self.decisions.items() if ok and r is not None}


def read_labels(path: Path) -> tuple[Labels, list[dict[str, Any]]]:
    """Labels from JSONL (``{thread_id, reason, needs_attention}`` or with a ``reasons`` list) and the
    rejected lines (line, detail); bad lines are reported, good ones kept.

    Raises:
        InputError: E601 missing file, E603 no usable line.
    """
    if not path.exists():
        raise InputError("E601", path=path)
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        problem, row = _label_row(line)
        if problem:
            rejects.append({"file": str(path), "line": number, "detail": problem})
        else:
            rows.append(row)
    if not rows:
        raise InputError("E603", path=path, detail=f"{len(rejects)} rejected lines, no usable label")
    return labels_from_rows(rows), rejects


def _label_row(line: str) -> tuple[str | None, dict[str, Any]]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return "not JSON", {}
    if not isinstance(row, dict) or not row.get("thread_id") or not isinstance(row.get("needs_attention"), bool):
        return "needs a thread_id and a boolean needs_attention", {}
    reasons = [row["reason"]] if "reason" in row else list(row.get("reasons") or [])
    unknown = [r for r in reasons if r not in TRIAGE_REASONS]
    if unknown:
        return f"unknown reason '{unknown[0]}'", {}
    return None, row


def labels_from_rows(rows: Iterable[Mapping[str, Any]]) -> Labels:
    """Labels from ``{thread_id, reason, needs_attention}`` or ``{thread_id, reasons: [...], needs_attention}``.

    A ``reasons`` list is complete: listed reasons are right, every other reason for that thread
    is wrong. A row with neither, and ``needs_attention`` false, says no reason is right.
    Rows are assumed valid (``read_labels`` checks a file's lines).
    """
    decisions: dict[tuple[str, str | None], bool] = {}
    for row in rows:
        thread_id, flag = str(row["thread_id"]), bool(row["needs_attention"])
        if isinstance(row.get("reason"), str):
            decisions[(thread_id, row["reason"])] = flag
            continue
        listed = [r for r in row.get("reasons") or () if r in TRIAGE_REASONS]
        for reason in TRIAGE_REASONS:
            decisions[(thread_id, reason)] = flag and reason in listed
        if not flag:
            decisions[(thread_id, None)] = False
    return Labels(decisions)


@dataclass(frozen=True)
class Raise:
    """One item raised for one reason at one step."""

    thread_id: str
    reason: str
    as_of: datetime


@dataclass
class BacktestReport:
    """What a rule set would have raised over a period, per reason and per step."""

    start: datetime
    end: datetime
    step: timedelta
    thread_ids: tuple[str, ...]
    raises: list[Raise] = field(default_factory=list)
    steps: list[datetime] = field(default_factory=list)
    labels: Labels | None = None

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    def raised(self) -> dict[str, int]:
        counts = Counter(r.reason for r in self.raises)
        return {reason: counts.get(reason, 0) for reason in TRIAGE_REASONS}

    def items_per_day(self) -> dict[str, float]:
        return {reason: round(n / self.days, 3) if self.days else 0.0 for reason, n in self.raised().items()}

    def max_per_step(self) -> dict[str, int]:
        per = Counter((r.as_of, r.reason) for r in self.raises)
        return {reason: max((n for (_, r), n in per.items() if r == reason), default=0) for reason in TRIAGE_REASONS}

    def daily(self) -> list[dict[str, Any]]:
        per = Counter((r.as_of, r.reason) for r in self.raises)
        return [{"as_of": at.isoformat(), **{reason: per.get((at, reason), 0) for reason in TRIAGE_REASONS}}
                for at in self.steps]

    def precision(self) -> tuple[dict[str, float | None], dict[str, int]]:
        """Per reason: the share of labelled raises that were right, and how many raises had a label."""
        right: Counter[str] = Counter()
        labelled: Counter[str] = Counter()
        for r in self.raises:
            verdict = self.labels.lookup(r.thread_id, r.reason) if self.labels else None
            if verdict is not None:
                labelled[r.reason] += 1
                right[r.reason] += verdict
        precision = {reason: round(right[reason] / labelled[reason], 4) if labelled[reason] else None
                     for reason in TRIAGE_REASONS}
        return precision, {reason: labelled[reason] for reason in TRIAGE_REASONS}

    def recall(self) -> dict[str, float | None]:
        """Per reason: the share of positive labels (on threads the backtest saw) raised at least once."""
        if self.labels is None:
            return dict.fromkeys(TRIAGE_REASONS)
        seen = {_bare(t) for t in self.thread_ids}
        positives = {p for p in self.labels.positives() if p[0] in seen}
        hit = {(_bare(r.thread_id), r.reason) for r in self.raises}
        out: dict[str, float | None] = {}
        for reason in TRIAGE_REASONS:
            wanted = {p for p in positives if p[1] == reason}
            out[reason] = round(len(wanted & hit) / len(wanted), 4) if wanted else None
        return out

    def summary(self) -> dict[str, Any]:
        precision, labelled = self.precision()
        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(), "days": round(self.days, 3),
            "steps": len(self.steps), "threads": len(self.thread_ids), "items_per_day": self.items_per_day(),
            "raised": self.raised(), "max_per_step": self.max_per_step(), "precision": precision,
            "labelled": labelled, **({"recall": self.recall()} if self.labels is not None else {}),
        }


def replay(
    threads: Sequence[ThreadView],
    settings: TriageSettings,
    *,
    start: datetime,
    end: datetime,
    step: timedelta = timedelta(days=1),
    labels: Labels | None = None,
    joined_at: Mapping[str, datetime] | None = None,
    at_risk: Collection[str] | None = None,
) -> BacktestReport:
    """Rank ``threads`` at ``start + step``, ``start + 2 step``... up to ``end`` and count the raises.

    ``start`` and ``end`` are instants (the service turns dates into day boundaries); a step that
    would pass ``end`` is not taken.
    """
    start, end = utc(start), utc(end)
    report = BacktestReport(start=start, end=end, step=step, thread_ids=tuple(t.thread_id for t in threads),
                            labels=labels)
    states: dict[str, EpisodeState] = {}

    def run(as_of: datetime, count: bool) -> None:
        assessments = assess_threads(threads, as_of=as_of, settings=settings, joined_at=joined_at, at_risk=at_risk)
        clear_after = timedelta(hours=settings.clear_after_hours)
        for change in plan_refresh(states, assessments, as_of=as_of, clear_after=clear_after):
            if count:
                report.raises.extend(Raise(change.thread_key, reason, as_of) for reason in change.raised)
            states[change.thread_key] = apply_change(states.get(change.thread_key), change, as_of)

    run(start, count=False)  # the queue as it stood when the period began
    as_of = start + step
    while as_of <= end:
        report.steps.append(as_of)
        run(as_of, count=True)
        as_of += step
    return report

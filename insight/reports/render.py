"""Report rendering: turns aggregated ``ReportData`` into Markdown or one self-contained HTML file.

All formatting decisions live here, in small functions the templates call through a
prepared context: the templates only lay rows out. Rendering is a pure function of the
data (no clock, no environment), so the same ``ReportData`` always gives the same string.

Formats: rates as percentages with one decimal (changes in percentage points), hours and
days with one decimal, other numbers with two, counts with thousands separators, and
"n/a" wherever a value is missing. A change against the previous period is an arrow
(▲ up, ▼ down) plus its signed size and, from the KPI's ``direction``, the word
"better" or "worse", so the meaning never rests on colour alone.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import jinja2

from insight.errors import InputError

Unit = Literal["rate", "hours", "days", "number"]
FORMATS: tuple[str, ...] = ("md", "html")
NA = "n/a"

# Units of the KPIs insight knows; other ids fall back to their suffix (see ``kpi_unit``).
KPI_UNITS: dict[str, Unit] = {
    "activation_rate": "rate",
    "time_to_first_value": "days",
    "retention_90d": "rate",
    "contribution_frequency": "number",
    "solution_acceptance_rate": "rate",
    "median_first_response_hours": "hours",
    "unanswered_rate": "rate",
    "support_deflection": "rate",
}
_SUFFIX_UNITS: tuple[tuple[str, Unit], ...] = (("_rate", "rate"), ("_hours", "hours"), ("_days", "days"))
# Per unit: scale, decimals, suffix of a value, suffix of a change (rates change in points).
_STYLES: dict[str, tuple[float, int, str, str]] = {
    "rate": (100.0, 1, "%", " pp"),
    "hours": (1.0, 1, " h", " h"),
    "days": (1.0, 1, " days", " days"),
    "number": (1.0, 2, "", ""),
}


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, already aggregated.

    Attributes:
        title: the report's heading.
        period: the month reported, ``YYYY-MM``.
        generated_for: the data cutoff (as-of), an ISO-8601 string.
        run: ``run_id``, ``config_hash``, ``input_hash`` and ``models`` ({name: revision}).
        kpis: per KPI ``{id, name, direction ("up"|"down"), category, value, previous, n,
            cohorts: [{cohort, value, n}], definition}``; an optional ``unit`` ("rate",
            "hours", "days", "number") overrides the unit guessed from the id.
        topics: ``{topic, label, words, size, share}`` with share in 0..1.
        sentiment_by_channel: ``{channel, positive, neutral, negative, n}``, shares in 0..1.
        queue: ``{thread_id, title, channel, priority, reasons, explanation}``, in queue order.
        notes: free-text remarks shown at the end (data caveats, excluded members...).
        story_metric_pairs: ``insight.records.StoryMetricPair.as_dict()`` rows (JSON report; issue 5).
    """

    title: str
    period: str
    generated_for: str
    run: dict[str, Any] = field(default_factory=dict)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    sentiment_by_channel: list[dict[str, Any]] = field(default_factory=list)
    queue: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    story_metric_pairs: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for ``insight report --format json``."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Change:
    """A KPI's change against the previous period, ready to show."""

    arrow: str  # "▲", "▼" or "" (no change, or unknown)
    text: str  # "+5.0 pp", "no change" or "n/a"
    verdict: str | None  # "better", "worse" or None when it cannot be judged

    @property
    def label(self) -> str:
        """Arrow, size and verdict as one plain string: "▲ +5.0 pp, better"."""
        parts = " ".join(p for p in (self.arrow, self.text) if p)
        return f"{parts}, {self.verdict}" if self.verdict else parts


def render_report(data: ReportData, fmt: Literal["md", "html"]) -> str:
    """Render the report as GitHub-flavoured Markdown (``"md"``) or self-contained HTML (``"html"``).

    Raises:
        InputError: E606 for an unknown format.
    """
    if fmt not in FORMATS:
        raise InputError("E606", option="format", detail=f"'{fmt}'; choose from {', '.join(FORMATS)}")
    template = _environment().get_template(f"report.{fmt}.j2")
    return template.render(**report_context(data))


def report_context(data: ReportData) -> dict[str, Any]:
    """The formatted rows the templates lay out (every value already a display string)."""
    kpis = [_kpi_row(kpi) for kpi in data.kpis]
    return {
        "title": data.title,
        "period": data.period,
        "generated_for": data.generated_for,
        "run": _run_rows(data.run),
        "models": sorted((str(k), str(v)) for k, v in (data.run.get("models") or {}).items()),
        "kpis": kpis,
        "cohort_rows": [{"kpi": kpi["name"], **cohort} for kpi in kpis for cohort in kpi["cohorts"]],
        "topics": [_topic_row(t) for t in data.topics],
        "sentiment": [_sentiment_row(s) for s in data.sentiment_by_channel],
        "queue": [_queue_row(q) for q in data.queue],
        "notes": list(data.notes),
    }


# --- number formatting ---------------------------------------------------------------------


def kpi_unit(kpi_id: str) -> Unit:
    """The display unit of a KPI: known ids first, then the id's suffix, else a plain number."""
    if kpi_id in KPI_UNITS:
        return KPI_UNITS[kpi_id]
    return next((unit for suffix, unit in _SUFFIX_UNITS if kpi_id.endswith(suffix)), "number")


def format_value(value: float | None, unit: Unit) -> str:
    """A KPI value for display: "25.0%", "4.0 h", "3.5 days", "1.50" or "n/a"."""
    if _missing(value):
        return NA
    scale, decimals, suffix, _ = _STYLES[unit]
    return f"{float(value) * scale:.{decimals}f}{suffix}"  # type: ignore[arg-type]


def format_change(value: float | None, previous: float | None, unit: Unit, direction: str | None) -> Change:
    """Arrow, signed size and better/worse verdict of ``value`` against ``previous``."""
    if _missing(value) or _missing(previous):
        return Change("", NA, None)
    scale, decimals, _, suffix = _STYLES[unit]
    delta = float(value) - float(previous)  # type: ignore[arg-type]
    shown = round(abs(delta) * scale, decimals)
    # Judge the change as shown: a delta that rounds to zero is "no change", not "▲ +0.0".
    if shown == 0:
        return Change("", "no change", None)
    rising = delta > 0
    verdict = None
    if direction in ("up", "down"):
        verdict = "better" if rising == (direction == "up") else "worse"
    return Change("▲" if rising else "▼", f"{'+' if rising else '-'}{shown:.{decimals}f}{suffix}", verdict)


def format_count(n: int | None) -> str:
    return NA if _missing(n) else f"{int(n):,}"  # type: ignore[arg-type]


def format_share(share: float | None) -> str:
    return NA if _missing(share) else f"{float(share) * 100:.1f}%"  # type: ignore[arg-type]


def _missing(value: Any) -> bool:
    # NaN counts as missing too: values often arrive from pandas (kpi_trend) as NaN.
    return value is None or (isinstance(value, float) and math.isnan(value))


# --- rows ----------------------------------------------------------------------------------


def _kpi_row(kpi: dict[str, Any]) -> dict[str, Any]:
    kpi_id = str(kpi.get("id", ""))
    unit: Unit = kpi["unit"] if kpi.get("unit") in _STYLES else kpi_unit(kpi_id)
    direction = kpi.get("direction")
    return {
        "id": kpi_id,
        "name": str(kpi.get("name") or kpi_id),
        "category": str(kpi.get("category") or ""),
        "direction": {"up": "higher is better", "down": "lower is better"}.get(direction, ""),
        "value": format_value(kpi.get("value"), unit),
        "previous": format_value(kpi.get("previous"), unit),
        "change": format_change(kpi.get("value"), kpi.get("previous"), unit, direction),
        "n": format_count(kpi.get("n")),
        "definition": str(kpi.get("definition") or ""),
        "cohorts": [
            {
                "cohort": str(c.get("cohort", "")),
                "value": format_value(c.get("value"), unit),
                "n": format_count(c.get("n")),
            }
            for c in kpi.get("cohorts") or []
        ],
    }


def _topic_row(topic: dict[str, Any]) -> dict[str, str]:
    return {
        "topic": str(topic.get("topic", "")),
        "label": str(topic.get("label") or ""),
        "words": ", ".join(str(w) for w in (topic.get("words") or [])[:10]),
        "size": format_count(topic.get("size")),
        "share": format_share(topic.get("share")),
    }


def _sentiment_row(row: dict[str, Any]) -> dict[str, str]:
    return {
        "channel": str(row.get("channel") or "(no channel)"),
        "positive": format_share(row.get("positive")),
        "neutral": format_share(row.get("neutral")),
        "negative": format_share(row.get("negative")),
        "n": format_count(row.get("n")),
    }


def _queue_row(item: dict[str, Any]) -> dict[str, str]:
    priority = item.get("priority")
    return {
        "thread_id": str(item.get("thread_id", "")),
        "title": str(item.get("title") or "(untitled)"),
        "channel": str(item.get("channel") or ""),
        "priority": NA if _missing(priority) else f"{float(priority):.2f}",
        # Reason codes read as words: "unanswered_question" -> "unanswered question".
        "reasons": ", ".join(str(r).replace("_", " ") for r in item.get("reasons") or []),
        "explanation": str(item.get("explanation") or ""),
    }


def _run_rows(run: dict[str, Any]) -> list[tuple[str, str]]:
    labels = (("run_id", "Run id"), ("config_hash", "Config hash"), ("input_hash", "Input hash"))
    return [(label, str(run[key]) if run.get(key) else NA) for key, label in labels]


# --- templates -----------------------------------------------------------------------------


def markdown_cell(value: Any) -> str:
    """Text made safe for a Markdown table cell or heading.

    Pipes would split the cell and newlines end the row; ``<`` is backslash-escaped so
    text like ``<script>`` shows literally instead of reaching a renderer as HTML.
    """
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("insight.reports", "templates"),
        # Escape everything in the HTML template; Markdown escaping is the md filter's job.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_cell
    return env

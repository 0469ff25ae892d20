"""Report rendering: turns aggregated ``ReportData`` into Markdown or one self-contained HTML file.

Layout decisions live here and in ``insight.reports.rows`` (each section as display-ready rows),
gathered into one context the templates only lay out; numbers are worded by
``insight.reports.formatting``, charts built by ``insight.reports.charts``.
Rendering is a pure function of the data (no clock, no environment), so the same
``ReportData`` always gives the same string.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from insight.errors import InputError
from insight.reports.charts import change_bars_spec, sentiment_spec, survival_spec, to_png, to_svg, trend_spec
from insight.reports.experiment_rows import experiment_readout_row, feedback_row, survival_row
from insight.reports.formatting import format_count
from insight.reports.influence_rows import influence_context
from insight.reports.rows import (
    claim_row,
    experiment_row,
    kpi_row,
    queue_row,
    ranking_rows,
    reason_counts,
    run_rows,
    sentiment_row,
    short,
    three,
    topic_move_label,
    topic_move_row,
    topic_row,
)

FORMATS: tuple[str, ...] = ("md", "html")

_AXIS_TITLES: dict[str, str] = {"rate": "percent", "hours": "hours", "days": "days", "number": "value"}
# A change of a rate is in percentage points, not percent.
_CHANGE_TITLES: dict[str, str] = {"rate": "change, pp", "hours": "change, hours", "days": "change, days",
                                  "number": "change"}
COHORT_BARS = 6  # cohorts charted per KPI: the largest moves both ways; the table lists them all


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows, already aggregated.

    Attributes:
        title: the report's heading.
        period: the month reported, ``YYYY-MM``.
        generated_for: the data cutoff (as-of), an ISO-8601 string.
        run: the run record (``insight.reports.run_record``): ``run_id``, ``config_hash``,
            ``input_hash``, ``models`` ({stage: "model@revision"}), seeds, config, inputs.
        kpis: per KPI ``{id, name, direction ("up"|"down"), category, value, previous, n,
            cohorts: [{cohort, value, n, previous?, change?}], definition}``; an optional ``unit``
            ("rate", "hours", "days", "number") overrides the unit guessed from the id, and the
            report service adds ``trend`` ([{period, value, n}], oldest first), ``annotations``
            ([{mark, date, kind, title, note}]), ``focus_cohort`` and ``story`` (a
            ``StoryChoice.as_dict()``).
        topics: ``{topic, label, words, size, share}`` with share in 0..1.
        topic_moves: ``{"rising": [...], "falling": [...]}`` of ``narrative.topic_moves`` rows.
        sentiment_by_channel: ``{channel, positive, neutral, negative, n}``, shares in 0..1.
        sentiment_by_cohort: ``{cohort, positive, neutral, negative, n}``, shares in 0..1.
        queue: ``{thread_id, title, channel, priority, reasons, explanation}``, in queue order (the top ones).
        queue_total: how many threads need attention in all (None: as many as ``queue`` lists).
        headline: ``narrative.headline``: ``{win, worry, experiment}``, each None when there is none.
        annotations: the annotations in the report's trend window.
        story_metric_pairs: every candidate story-metric pair considered (``StoryMetricPair.as_dict()``).
        feedback: ratings of feedback answers per moment (``insight.metrics.feedback.feedback_by_moment``).
        survival: Kaplan-Meier retention per cohort (``insight.metrics.survival.survival_by_cohort``).
        experiments: readouts of the registered experiments (``insight.metrics.readout.readout``), or
            their registration with ``error`` when they have no data.
        notes: free-text remarks shown at the end (data caveats, excluded members...).
        community_influence: ``insight.services.influence.influence_section`` (attribution models side
            by side, engaged vs matched accounts, deflection savings, a story); None without outcomes.
    """

    title: str
    period: str
    generated_for: str
    run: dict[str, Any] = field(default_factory=dict)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    topic_moves: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sentiment_by_channel: list[dict[str, Any]] = field(default_factory=list)
    sentiment_by_cohort: list[dict[str, Any]] = field(default_factory=list)
    queue: list[dict[str, Any]] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    story_metric_pairs: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    experiments: list[dict[str, Any]] = field(default_factory=list)
    survival: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    queue_total: int | None = None
    community_influence: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for ``insight report --format json``."""
        return dataclasses.asdict(self)


def render_report(data: ReportData, fmt: Literal["md", "html"], specs: dict[str, dict[str, Any]] | None = None) -> str:
    """Render the report as GitHub-flavoured Markdown (``"md"``) or self-contained HTML (``"html"``).

    HTML inlines every chart as SVG; Markdown links the PNGs ``chart_files`` returns, by
    paths relative to the report (write them beside it). ``specs`` are ``report_charts(data)``,
    passed in when the caller already built them (building takes a while; rendering is cached).

    Raises:
        InputError: E606 for an unknown format.
    """
    if fmt not in FORMATS:
        raise InputError("E606", option="format", detail=f"'{fmt}'; choose from {', '.join(FORMATS)}")
    template = _environment().get_template(f"report.{fmt}.j2")
    specs = report_charts(data) if specs is None else specs
    if fmt == "html":
        charts = {name: Markup(_accessible_svg(to_svg(spec), name)) for name, spec in specs.items()}
    else:
        charts = {name: chart_path(data.period, name) for name in specs}
    return template.render(**report_context(data), charts=charts)


def chart_path(period: str, name: str) -> str:
    """Where a Markdown report's chart image lives, relative to the report file."""
    return f"report-{period}-charts/{name}.png"


def chart_files(data: ReportData, specs: dict[str, dict[str, Any]] | None = None) -> dict[str, bytes]:
    """The Markdown report's chart images: ``{relative path: PNG bytes}``."""
    specs = report_charts(data) if specs is None else specs
    return {chart_path(data.period, name): to_png(spec) for name, spec in specs.items()}


def report_charts(data: ReportData) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs of every chart, by name: a trend and a cohort chart per KPI, topics, sentiment."""
    specs: dict[str, dict[str, Any]] = {}
    for kpi in data.kpis:
        row = kpi_row(kpi)
        if row["trend_points"]:
            specs[f"kpi-{row['id']}-trend"] = trend_spec(
                row["trend_points"], row["annotations"], title=f"{row['name']}, last {len(row['trend'])} months",
                y_title=_AXIS_TITLES[row["unit"]], from_zero=row["unit"] == "rate")
        ranked = [c for c in row["cohorts"] if c["ranked"]]  # most negative impact first
        half = COHORT_BARS // 2
        bars = ranked if len(ranked) <= COHORT_BARS else [*ranked[:half], *ranked[-half:]]
        bars = sorted(bars, key=lambda c: (c["change_display"], c["cohort"]))  # read as a ranking
        if bars:
            specs[f"kpi-{row['id']}-cohorts"] = change_bars_spec(
                [{"name": c["cohort"], "change": c["change_display"], "label": c["bar_label"],
                  "verdict": c["change"].verdict, "low": c["change_low"], "high": c["change_high"]} for c in bars],
                title=f"{row['name']}: change by cohort vs previous month (95% CI)",
                x_title=_CHANGE_TITLES[row["unit"]])
    if data.survival:
        # All members and the motivations: the segments are in the table, more lines would not read.
        curves = [r for r in data.survival if r["cohort"] == "all" or str(r["cohort"]).startswith("motivation=")]
        specs["retention-survival"] = survival_spec(curves, title="Members still active, by days since "
                                                    "their first post (Kaplan-Meier, 95% bands)")
    moves = [*(data.topic_moves or {}).get("rising", []), *(data.topic_moves or {}).get("falling", [])]
    if moves:
        specs["topics-moves"] = change_bars_spec(
            [{"name": short(m["label"]), "change": round(m["change"] * 100, 1), "label": topic_move_label(m),
              "verdict": None} for m in moves], title="Topics rising and falling (share of posts)",
            x_title="change in share, pp")
    if data.sentiment_by_channel:
        specs["sentiment-channels"] = sentiment_spec(
            [{"name": str(r.get("channel") or "(no channel)"), **three(r)} for r in data.sentiment_by_channel],
            title="Sentiment by channel")
    if data.sentiment_by_cohort:
        specs["sentiment-cohorts"] = sentiment_spec(
            [{"name": str(r.get("cohort")), **three(r)} for r in data.sentiment_by_cohort],
            title="Sentiment by cohort")
    return specs


def report_context(data: ReportData) -> dict[str, Any]:
    """The formatted rows the templates lay out (every value already a display string)."""
    kpis = [kpi_row(kpi) for kpi in data.kpis]
    by_id = {k["id"]: k for k in kpis}
    headline = data.headline or {}
    run = data.run or {}
    return {
        "title": data.title,
        "period": data.period,
        "generated_for": data.generated_for,
        "run": run_rows(run),
        "models": sorted((str(k), str(v)) for k, v in (run.get("models") or {}).items()),
        "seeds": sorted((str(k), str(v)) for k, v in (run.get("seeds") or {}).items()),
        "inputs": [(name, format_count(v.get("rows")), str(v.get("sha256", ""))[:16])
                   for name, v in sorted((run.get("inputs") or {}).items())],
        "kpis": kpis,
        "cohort_rows": [{"kpi": kpi["name"], **cohort} for kpi in kpis for cohort in kpi["cohorts"]],
        "win": claim_row(headline.get("win"), by_id, "Win"),
        "worry": claim_row(headline.get("worry"), by_id, "Worry"),
        "experiment": experiment_row(headline.get("experiment"), by_id),
        "ranking": ranking_rows(headline.get("ranking") or [], by_id),
        "experiments": [experiment_readout_row(e, by_id) for e in data.experiments],
        "survival": [survival_row(s) for s in data.survival],
        "feedback": [feedback_row(f) for f in data.feedback],
        "topics": [topic_row(t) for t in data.topics],
        "rising": [topic_move_row(m) for m in (data.topic_moves or {}).get("rising", [])],
        "falling": [topic_move_row(m) for m in (data.topic_moves or {}).get("falling", [])],
        "sentiment": [sentiment_row(s) for s in data.sentiment_by_channel],
        "sentiment_cohorts": [sentiment_row({**s, "channel": s.get("cohort")}) for s in data.sentiment_by_cohort],
        "queue": [queue_row(q) for q in data.queue],
        "queue_total": format_count(len(data.queue) if data.queue_total is None else data.queue_total),
        "queue_reasons": reason_counts(data.queue),
        "notes": list(data.notes),
        "influence": influence_context(data.community_influence),
    }


def _accessible_svg(svg: str, name: str) -> str:
    """The SVG as an image for assistive tech; the figure's caption carries the text alternative.

    Inline SVG in HTML needs no namespace declarations; dropping them keeps the file free of URLs.
    """
    svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1).replace(
        ' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="cap-{name}" data-chart="{name}" ', 1)


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

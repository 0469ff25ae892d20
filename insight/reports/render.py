"""Report rendering: turns aggregated ``ReportData`` into Markdown or one self-contained HTML file.

All layout decisions live here, in small functions the templates call through a prepared
context: the templates only lay rows out; numbers are worded by ``insight.reports.formatting``.
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
from insight.reports.charts import change_bars_spec, sentiment_spec, to_png, to_svg, trend_spec
from insight.reports.formatting import (
    NA,
    STYLES,
    Unit,
    display,
    format_change,
    format_count,
    format_share,
    format_value,
    kpi_unit,
    missing,
    percent,
)

FORMATS: tuple[str, ...] = ("md", "html")

_AXIS_TITLES: dict[str, str] = {"rate": "percent", "hours": "hours", "days": "days", "number": "value"}
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
        queue: ``{thread_id, title, channel, priority, reasons, explanation}``, in queue order.
        headline: ``narrative.headline``: ``{win, worry, experiment}``, each None when there is none.
        annotations: the annotations in the report's trend window.
        story_metric_pairs: every candidate story-metric pair considered (``StoryMetricPair.as_dict()``).
        notes: free-text remarks shown at the end (data caveats, excluded members...).
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
        row = _kpi_row(kpi)
        if row["trend_points"]:
            specs[f"kpi-{row['id']}-trend"] = trend_spec(
                row["trend_points"], row["annotations"], title=f"{row['name']}, last {len(row['trend'])} months",
                y_title=_AXIS_TITLES[row["unit"]])
        ranked = [c for c in row["cohorts"] if c["ranked"]]  # most negative impact first
        half = COHORT_BARS // 2
        bars = ranked if len(ranked) <= COHORT_BARS else [*ranked[:half], *ranked[-half:]]
        bars = sorted(bars, key=lambda c: (c["change_display"], c["cohort"]))  # read as a ranking
        if bars:
            specs[f"kpi-{row['id']}-cohorts"] = change_bars_spec(
                [{"name": c["cohort"], "change": c["change_display"], "label": c["bar_label"],
                  "verdict": c["change"].verdict} for c in bars],
                title=f"{row['name']}: change by cohort vs previous month", x_title=_AXIS_TITLES[row["unit"]])
    moves = [*(data.topic_moves or {}).get("rising", []), *(data.topic_moves or {}).get("falling", [])]
    if moves:
        specs["topics-moves"] = change_bars_spec(
            [{"name": _short(m["label"]), "change": round(m["change"] * 100, 1), "label": _topic_move_label(m),
              "verdict": None} for m in moves], title="Topics rising and falling (share of posts)",
            x_title="change in share, pp")
    if data.sentiment_by_channel:
        specs["sentiment-channels"] = sentiment_spec(
            [{"name": str(r.get("channel") or "(no channel)"), **_three(r)} for r in data.sentiment_by_channel],
            title="Sentiment by channel")
    if data.sentiment_by_cohort:
        specs["sentiment-cohorts"] = sentiment_spec(
            [{"name": str(r.get("cohort")), **_three(r)} for r in data.sentiment_by_cohort],
            title="Sentiment by cohort")
    return specs


def report_context(data: ReportData) -> dict[str, Any]:
    """The formatted rows the templates lay out (every value already a display string)."""
    kpis = [_kpi_row(kpi) for kpi in data.kpis]
    by_id = {k["id"]: k for k in kpis}
    headline = data.headline or {}
    run = data.run or {}
    return {
        "title": data.title,
        "period": data.period,
        "generated_for": data.generated_for,
        "run": _run_rows(run),
        "models": sorted((str(k), str(v)) for k, v in (run.get("models") or {}).items()),
        "seeds": sorted((str(k), str(v)) for k, v in (run.get("seeds") or {}).items()),
        "inputs": [(name, format_count(v.get("rows")), str(v.get("sha256", ""))[:16])
                   for name, v in sorted((run.get("inputs") or {}).items())],
        "kpis": kpis,
        "cohort_rows": [{"kpi": kpi["name"], **cohort} for kpi in kpis for cohort in kpi["cohorts"]],
        "win": _claim_row(headline.get("win"), by_id, "Win"),
        "worry": _claim_row(headline.get("worry"), by_id, "Worry"),
        "experiment": _experiment_row(headline.get("experiment"), by_id),
        "topics": [_topic_row(t) for t in data.topics],
        "rising": [_topic_move_row(m) for m in (data.topic_moves or {}).get("rising", [])],
        "falling": [_topic_move_row(m) for m in (data.topic_moves or {}).get("falling", [])],
        "sentiment": [_sentiment_row(s) for s in data.sentiment_by_channel],
        "sentiment_cohorts": [_sentiment_row({**s, "channel": s.get("cohort")}) for s in data.sentiment_by_cohort],
        "queue": [_queue_row(q) for q in data.queue],
        "queue_reasons": _reason_counts(data.queue),
        "notes": list(data.notes),
    }


# --- rows ----------------------------------------------------------------------------------


def _kpi_row(kpi: dict[str, Any]) -> dict[str, Any]:
    kpi_id = str(kpi.get("id", ""))
    unit: Unit = kpi["unit"] if kpi.get("unit") in STYLES else kpi_unit(kpi_id)
    direction = kpi.get("direction")
    trend = [{"period": str(t["period"]), "value": format_value(t.get("value"), unit), "n": format_count(t.get("n")),
              "raw": t.get("value")} for t in kpi.get("trend") or []]
    annotations = [_annotation_row(a) for a in kpi.get("annotations") or []]
    return {
        "id": kpi_id,
        "name": str(kpi.get("name") or kpi_id),
        "unit": unit,
        "category": str(kpi.get("category") or ""),
        "direction": {"up": "higher is better", "down": "lower is better"}.get(direction, ""),
        "value": format_value(kpi.get("value"), unit),
        "previous": format_value(kpi.get("previous"), unit),
        "change": format_change(kpi.get("value"), kpi.get("previous"), unit, direction),
        "n": format_count(kpi.get("n")),
        "previous_n": format_count(kpi.get("previous_n")) if "previous_n" in kpi else NA,
        "definition": str(kpi.get("definition") or ""),
        "cohorts": [_cohort_row(c, unit, direction) for c in kpi.get("cohorts") or []],
        "focus_cohort": kpi.get("focus_cohort"),
        "trend": trend,
        # Chart points in display units (percent for rates), each labelled with its formatted value.
        "trend_points": _trend_points(trend, unit),
        "trend_text": ", ".join(f"{t['period']} {t['value']} (n={t['n']})" for t in trend),
        "annotations": annotations,
        "story": _story_row(kpi.get("story")),
    }


def _trend_points(trend: list[dict[str, Any]], unit: Unit) -> list[dict[str, Any]]:
    """Chart points in display units (percent for rates), labelled with their formatted value;
    a dip (lower than its known neighbours) is labelled below the point."""
    ys = [display(t["raw"], unit) for t in trend]
    if all(y is None for y in ys):
        return []
    points = []
    for i, (t, y) in enumerate(zip(trend, ys, strict=True)):
        near = [v for v in (ys[i - 1] if i else None, ys[i + 1] if i + 1 < len(ys) else None) if v is not None]
        points.append({"period": t["period"], "y": y, "label": t["value"],
                       "below": y is not None and bool(near) and all(y < v for v in near)})
    return points


def _cohort_row(cohort: dict[str, Any], unit: Unit, direction: str | None) -> dict[str, Any]:
    change = format_change(cohort.get("value"), cohort.get("previous"), unit, direction)
    n = format_count(cohort.get("n"))
    return {
        "cohort": str(cohort.get("cohort", "")),
        "value": format_value(cohort.get("value"), unit),
        "previous": format_value(cohort.get("previous"), unit),
        "change": change,
        "n": n,
        "ranked": cohort.get("impact") is not None,
        "change_display": display(cohort.get("change"), unit),
        "bar_label": f"{change.label}; n={n}",
    }


def _annotation_row(note: dict[str, Any]) -> dict[str, str]:
    date = str(note.get("date") or "")
    end = note.get("end")
    return {
        "mark": str(note.get("mark") or ""),
        "period": str(note.get("period") or date[:7]),
        "when": f"{date} to {end}" if end else date,
        "kind": str(note.get("kind") or ""),
        "title": str(note.get("title") or ""),
        "cohort": str(note.get("cohort") or ""),
        "note": str(note.get("note") or ""),
    }


def _story_row(story: dict[str, Any] | None) -> dict[str, Any]:
    """The chosen story, or the reason there is none; words only when the member consented (quote set)."""
    if not story or not story.get("quote"):
        reason = (story or {}).get("reason") or "no confirmed story links to this KPI in the months the report looks at"
        return {"quote": None, "reason": str(reason)}
    tagger = str(story.get("tagger") or "")
    return {
        "quote": str(story["quote"]),
        "tag": str(story.get("tag") or "").replace("_", " "),
        "cohort": str(story.get("cohort") or ""),
        "channel": str(story.get("channel") or ""),
        "sources": format_count(story.get("source_posts")),
        "confirmed": "confirmed by a person" if tagger.startswith("person:") else "tagged by a model",
        "reason": str(story.get("reason") or ""),
    }


def _claim_row(claim: dict[str, Any] | None, kpis: dict[str, dict[str, Any]], label: str) -> dict[str, Any] | None:
    """A win or worry as words: what moved, by how much, on what sample, and which cohort drove it."""
    if not claim or claim.get("kpi_id") not in kpis:
        return None
    kpi = kpis[claim["kpi_id"]]
    cohort = next((c for c in kpi["cohorts"] if c["cohort"] == claim.get("cohort")), None)
    driver = (f"Largest contribution: {cohort['cohort']}, {cohort['previous']} to {cohort['value']} "
              f"(n={cohort['n']})." if cohort else "")
    # The claim's move is signed so that good is positive; the words give the value's own change.
    relative = claim.get("relative_change")
    if relative is not None and kpi["direction"] == "lower is better":
        relative = -relative
    return {
        "label": label,
        "kpi": kpi["name"],
        "id": kpi["id"],
        "text": f"{kpi['name']}: {kpi['previous']} to {kpi['value']} ({kpi['change'].label}; "
                f"{percent(relative)} relative), n={kpi['n']}.",
        "driver": driver,
    }


def _experiment_row(plan: dict[str, Any] | None, kpis: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if not plan or plan.get("kpi_id") not in kpis:
        return None
    kpi = kpis[plan["kpi_id"]]
    unit: Unit = kpi["unit"]
    cohort = plan.get("cohort") or "all"
    who = "all members" if cohort == "all" else f"members in {cohort}"
    size = (f"{format_count(plan['per_arm'])} per arm ({plan['test']})" if plan.get("per_arm") else
            f"an effect this size cannot be sized from the data ({plan['test']})")
    months = plan.get("months")
    duration = f"about {months} month{'s' if months != 1 else ''} at {format_count(plan.get('monthly_n'))} a month" \
        if months else "as long as it takes to fill both arms"
    return {
        "kpi": kpi["name"],
        "id": kpi["id"],
        "text": f"Try {plan['lever']} for half of {who}, chosen at random, the other half as control.",
        "goal": f"Success: {kpi['name']} for {who} from {format_value(plan.get('baseline'), unit)} back to "
                f"{format_value(plan.get('goal'), unit)}.",
        "size": f"Needs {size}: {duration}.",
    }


def _topic_move_row(move: dict[str, Any]) -> dict[str, str]:
    return {
        "label": str(move.get("label") or move.get("topic")),
        "share": format_share(move.get("share")),
        "previous_share": format_share(move.get("previous_share")),
        "change": _topic_move_label(move),
        "posts": format_count(move.get("posts")),
        "previous_posts": format_count(move.get("previous_posts")),
    }


def _topic_move_label(move: dict[str, Any]) -> str:
    change = float(move.get("change") or 0.0) * 100
    arrow = "▲" if change > 0 else "▼"
    before, now = format_count(move.get("previous_posts")), format_count(move.get("posts"))
    return f"{arrow} {change:+.1f} pp ({before} → {now} posts)"


def _reason_counts(queue: list[dict[str, Any]]) -> list[tuple[str, str]]:
    counts: dict[str, int] = {}
    for item in queue:
        for reason in item.get("reasons") or []:
            counts[str(reason)] = counts.get(str(reason), 0) + 1
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    return [(reason.replace("_", " "), format_count(n)) for reason, n in ranked]


def _three(row: dict[str, Any]) -> dict[str, float]:
    return {k: float(row.get(k) or 0.0) for k in ("positive", "neutral", "negative")}


def _short(text: Any, limit: int = 34) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _accessible_svg(svg: str, name: str) -> str:
    """The SVG as an image for assistive tech; the figure's caption carries the text alternative.

    Inline SVG in HTML needs no namespace declarations; dropping them keeps the file free of URLs.
    """
    svg = svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1).replace(
        ' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="cap-{name}" data-chart="{name}" ', 1)


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
        "priority": NA if missing(priority) else f"{float(priority):.2f}",
        # Reason codes read as words: "unanswered_question" -> "unanswered question".
        "reasons": ", ".join(str(r).replace("_", " ") for r in item.get("reasons") or []),
        "explanation": str(item.get("explanation") or ""),
    }


def _run_rows(run: dict[str, Any]) -> list[tuple[str, str]]:
    labels = (("run_id", "Run id"), ("input_hash", "Input hash"), ("config_hash", "Config hash"),
              ("settings_hash", "Settings hash"), ("insight_version", "insight version"))
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

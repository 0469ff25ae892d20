"""Report charts: Vega-Lite specs built with Altair, rendered offline by vl-convert.

HTML reports inline the SVG (one self-contained file, no script, no CDN); Markdown reports
link PNG files written beside them. vl-convert bundles Vega and its fonts and needs neither
a browser nor the network, and the same spec always gives the same bytes, so the reports
stay reproducible.

Readable without colour: every mark carries a direct text label (the value, or the change
and the words "better"/"worse"), lines have point markers, annotations are dashed rules
with a numbered label, and colours come from a palette that also differs in lightness.
The functions take rows that are already formatted (``label`` strings): wording numbers is
``insight.reports.render``'s job, charts only draw.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd

Spec = dict[str, Any]

INK, MUTED, RULE = "#1b1f24", "#57606a", "#8c959f"
BETTER, WORSE, NEUTRAL = "#0b5cad", "#b35900", "#8c959f"  # blue / orange: distinct in lightness too
SENTIMENT_COLOURS = {"positive": "#0b5cad", "neutral": "#c9d1d9", "negative": "#b35900"}
WIDTH = 420
FONT = "DejaVu Sans, Verdana, sans-serif"


def trend_spec(points: Sequence[Mapping[str, Any]], annotations: Sequence[Mapping[str, Any]], *,
               title: str, y_title: str, from_zero: bool = False) -> Spec:
    """A KPI over the last periods: line with markers and 95% error bars, each point labelled,
    annotations as dashed rules.

    Args:
        points: ``{period, y, label}`` oldest first (y in display units, None where unknown), with
            optional ``low``/``high`` (the interval); a point with ``below`` True (a dip) gets its
            label under it, clear of the line.
        annotations: ``{period, mark}`` (mark a short label such as "1"), drawn in their month.
        from_zero: start the axis at zero (rates): a zoomed axis makes a small move look like a fall.
    """
    frame = pd.DataFrame([{"period": p["period"], "y": p["y"], "label": p["label"], "below": bool(p.get("below")),
                           "low": p.get("low"), "high": p.get("high")} for p in points])
    x = alt.X("period:O", title=None, sort=list(frame["period"]), axis=alt.Axis(labelAngle=0))
    base = alt.Chart(frame).encode(x=x)
    known = base.transform_filter("isValid(datum.y)")
    scale = alt.Scale(zero=from_zero, nice=True, padding=0 if from_zero else 20)
    line = known.mark_line(color=INK, strokeWidth=2).encode(
        y=alt.Y("y:Q", title=y_title, scale=scale, axis=alt.Axis(tickCount=4)))
    bars = known.transform_filter("isValid(datum.low) && isValid(datum.high)").mark_rule(
        color=MUTED, strokeWidth=1.5).encode(y="low:Q", y2="high:Q")
    dots = known.mark_point(filled=True, size=70, color=INK, shape="circle").encode(y="y:Q")
    # Labels sit right of their point: clear of the error bar and of an annotation rule in that month.
    labels = [known.transform_filter(test).mark_text(dx=7, dy=dy, align="left", fontSize=12, color=INK,
                                                     font=FONT).encode(y="y:Q", text="label:N")
              for test, dy in (("!datum.below", -9), ("datum.below", 12))]
    layers: list[Any] = [bars, line, dots, *labels]
    if annotations:
        marks = pd.DataFrame([{"period": a["period"], "mark": a["mark"]} for a in annotations
                              if a["period"] in set(frame["period"])])
        if not marks.empty:
            marks = marks.groupby("period", as_index=False)["mark"].agg(", ".join)
            rules = alt.Chart(marks).mark_rule(color=MUTED, strokeDash=[5, 4], strokeWidth=1.5).encode(x=x)
            # Numbered just above the plot, clear of the value labels next to the points.
            tags = alt.Chart(marks).mark_text(align="center", dy=-4, baseline="bottom", fontSize=11,
                                              fontWeight="bold", color=MUTED, font=FONT).encode(
                x=x, y=alt.value(0), text="mark:N")
            layers = [rules, *layers, tags]
    return _finish(alt.layer(*layers).properties(width=WIDTH, height=150, title=title))


def change_bars_spec(rows: Sequence[Mapping[str, Any]], *, title: str, x_title: str) -> Spec:
    """Horizontal bars of a signed change per row, each labelled with its text (e.g. "+3.1 pp, better; n=40").

    Args:
        rows: ``{name, change, label, verdict}``; verdict "better", "worse" or None; optional
            ``low``/``high``, the change's 95% interval, drawn as an error bar.
    """
    frame = pd.DataFrame([{"name": r["name"], "change": r["change"], "label": r["label"],
                           "verdict": r.get("verdict") or "no verdict", "low": r.get("low"),
                           "high": r.get("high")} for r in rows])
    order = list(frame["name"])
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    colour = alt.Color("verdict:N", legend=None, scale=alt.Scale(domain=["better", "worse", "no verdict"],
                                                                   range=[BETTER, WORSE, NEUTRAL]))
    height = max(40, 22 * len(frame))
    bars = alt.Chart(frame).mark_bar(height=14).encode(x=alt.X("change:Q", title=x_title), y=y, color=colour)
    zero = alt.Chart(pd.DataFrame({"z": [0]})).mark_rule(color=INK).encode(x="z:Q")
    errors = alt.Chart(frame).transform_filter("isValid(datum.low) && isValid(datum.high)").mark_rule(
        color=INK, strokeWidth=1.5).encode(x="low:Q", x2="high:Q", y=y)
    # The labels get their own column, so they never collide with bars or axis labels.
    text = alt.Chart(frame).mark_text(align="left", fontSize=11, color=INK, font=FONT).encode(
        y=alt.Y("name:N", sort=order, axis=None), x=alt.value(0), text="label:N").properties(width=170, height=height)
    chart = alt.hconcat(alt.layer(bars, errors, zero).properties(width=WIDTH - 190, height=height), text, spacing=8)
    return _finish(chart.properties(title=title))


def sentiment_spec(rows: Sequence[Mapping[str, Any]], *, title: str) -> Spec:
    """Stacked shares of positive, neutral and negative per row, each segment labelled with its percentage.

    Args:
        rows: ``{name, positive, neutral, negative}`` shares in 0..1.
    """
    long = [{"name": r["name"], "sentiment": s, "share": float(r[s] or 0.0), "order": i,
             "label": f"{s[:3]} {float(r[s] or 0.0) * 100:.0f}%"}
            for r in rows for i, s in enumerate(SENTIMENT_COLOURS)]
    frame = pd.DataFrame(long)
    y = alt.Y("name:N", sort=[r["name"] for r in rows], title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("share:Q", stack="zero", title="share of posts", axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("sentiment:N", scale=alt.Scale(domain=list(SENTIMENT_COLOURS),
                                                      range=list(SENTIMENT_COLOURS.values())),
                       legend=alt.Legend(orient="top", title=None))
    bars = alt.Chart(frame).mark_bar(height=16, stroke="white", strokeWidth=1).encode(
        x=x, y=y, color=colour, order="order:Q")
    # Segments too thin for a label are still in the table below the chart.
    text = alt.Chart(frame).transform_filter("datum.share >= 0.12").mark_text(
        fontSize=10, font=FONT, dx=3, align="left").encode(
        x=alt.X("share:Q", stack="zero", bandPosition=0), y=y, text="label:N", order="order:Q",
        color=alt.condition("datum.sentiment == 'neutral'", alt.value(INK), alt.value("white")))
    return _finish(alt.layer(bars, text).properties(width=WIDTH, height=max(40, 24 * len(rows)), title=title))


def survival_spec(rows: Sequence[Mapping[str, Any]], *, title: str) -> Spec:
    """Kaplan-Meier curves (step lines with their 95% bands) per cohort, from 0% to 100%.

    Args:
        rows: ``{cohort, curve: [{day, survival, ci_low, ci_high}]}``; "all" is drawn darkest.
    """
    frame = pd.DataFrame([{"cohort": r["cohort"], "day": c["day"], "survival": c["survival"],
                           "low": c["ci_low"], "high": c["ci_high"]} for r in rows for c in r["curve"]])
    y = alt.Y("survival:Q", title="still active", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("cohort:N", legend=alt.Legend(orient="right", title=None))
    base = alt.Chart(frame).encode(x=alt.X("day:Q", title="days since first post"))
    band = base.mark_area(opacity=0.12, interpolate="step-after").encode(y="low:Q", y2="high:Q", color=colour)
    line = base.mark_line(interpolate="step-after", strokeWidth=2).encode(y=y, color=colour)
    return _finish(alt.layer(band, line).properties(width=WIDTH, height=180, title=title))


def to_svg(spec: Spec) -> str:
    """The chart as an SVG document (deterministic for a given spec)."""
    return _svg(json.dumps(spec, sort_keys=True))


def to_png(spec: Spec, scale: float = 2.0) -> bytes:
    """The chart as a PNG image, for Markdown reports: the SVG rasterised, so both show the same chart."""
    return _png(json.dumps(spec, sort_keys=True), scale)


# Rendering is the slow part of a report (a few hundred ms a chart), and a report renders each
# chart for HTML and again for Markdown, so the last charts are remembered by their spec.
@lru_cache(maxsize=128)
def _svg(spec_json: str) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


@lru_cache(maxsize=64)
def _png(spec_json: str, scale: float) -> bytes:
    import vl_convert

    return bytes(vl_convert.svg_to_png(_svg(spec_json), scale=scale))


def _finish(chart: Any) -> Spec:
    configured = chart.configure(font=FONT, background="white").configure_view(stroke=None).configure_title(
        anchor="start", fontSize=13, fontWeight="normal", color=INK, offset=16).configure_axis(
        labelColor=MUTED, titleColor=MUTED, gridColor="#eaeef2", labelFontSize=11, titleFontSize=11)
    # The specs are built by this module only and vl-convert rejects a bad one; schema validation
    # (most of the build time) adds nothing.
    return dict(configured.to_dict(validate=False))

"""Report rows: each section's data (dicts from ``ReportData``) as display-ready rows for the templates.

Pure functions of their input; every number is worded by ``insight.reports.formatting``, so the
templates (and ``insight.reports.render``, which assembles the context and the charts) only lay
rows out.
"""

from __future__ import annotations

from typing import Any

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


def kpi_row(kpi: dict[str, Any]) -> dict[str, Any]:
    kpi_id = str(kpi.get("id", ""))
    unit: Unit = kpi["unit"] if kpi.get("unit") in STYLES else kpi_unit(kpi_id)
    direction = kpi.get("direction")
    trend = [{"period": str(t["period"]), "value": format_value(t.get("value"), unit), "n": format_count(t.get("n")),
              "raw": t.get("value")} for t in kpi.get("trend") or []]
    annotations = [annotation_row(a) for a in kpi.get("annotations") or []]
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
        "cohorts": [cohort_row(c, unit, direction) for c in kpi.get("cohorts") or []],
        "focus_cohort": kpi.get("focus_cohort"),
        "trend": trend,
        # Chart points in display units (percent for rates), each labelled with its formatted value.
        "trend_points": trend_points(trend, unit),
        "trend_text": ", ".join(f"{t['period']} {t['value']} (n={t['n']})" for t in trend),
        "annotations": annotations,
        "story": story_row(kpi.get("story")),
    }


def trend_points(trend: list[dict[str, Any]], unit: Unit) -> list[dict[str, Any]]:
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


def cohort_row(cohort: dict[str, Any], unit: Unit, direction: str | None) -> dict[str, Any]:
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


def annotation_row(note: dict[str, Any]) -> dict[str, str]:
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


def story_row(story: dict[str, Any] | None) -> dict[str, Any]:
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


def claim_row(claim: dict[str, Any] | None, kpis: dict[str, dict[str, Any]], label: str) -> dict[str, Any] | None:
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


def experiment_row(plan: dict[str, Any] | None, kpis: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
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


def topic_move_row(move: dict[str, Any]) -> dict[str, str]:
    return {
        "label": str(move.get("label") or move.get("topic")),
        "share": format_share(move.get("share")),
        "previous_share": format_share(move.get("previous_share")),
        "change": topic_move_label(move),
        "posts": format_count(move.get("posts")),
        "previous_posts": format_count(move.get("previous_posts")),
    }


def topic_move_label(move: dict[str, Any]) -> str:
    change = float(move.get("change") or 0.0) * 100
    arrow = "▲" if change > 0 else "▼"
    before, now = format_count(move.get("previous_posts")), format_count(move.get("posts"))
    return f"{arrow} {change:+.1f} pp ({before} → {now} posts)"


def reason_counts(queue: list[dict[str, Any]]) -> list[tuple[str, str]]:
    counts: dict[str, int] = {}
    for item in queue:
        for reason in item.get("reasons") or []:
            counts[str(reason)] = counts.get(str(reason), 0) + 1
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    return [(reason.replace("_", " "), format_count(n)) for reason, n in ranked]


def three(row: dict[str, Any]) -> dict[str, float]:
    return {k: float(row.get(k) or 0.0) for k in ("positive", "neutral", "negative")}


def short(text: Any, limit: int = 34) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def topic_row(topic: dict[str, Any]) -> dict[str, str]:
    return {
        "topic": str(topic.get("topic", "")),
        "label": str(topic.get("label") or ""),
        "words": ", ".join(str(w) for w in (topic.get("words") or [])[:10]),
        "size": format_count(topic.get("size")),
        "share": format_share(topic.get("share")),
    }


def feedback_row(row: dict[str, Any]) -> dict[str, str]:
    rating = row.get("rating")
    return {**sentiment_row({**row, "channel": row.get("moment")}),
            "rating": "n/a" if rating is None else f"{rating:.1f}", "themes": ", ".join(row.get("themes") or [])}


def sentiment_row(row: dict[str, Any]) -> dict[str, str]:
    return {
        "channel": str(row.get("channel") or "(no channel)"),
        "positive": format_share(row.get("positive")),
        "neutral": format_share(row.get("neutral")),
        "negative": format_share(row.get("negative")),
        "n": format_count(row.get("n")),
    }


def queue_row(item: dict[str, Any]) -> dict[str, str]:
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


def run_rows(run: dict[str, Any]) -> list[tuple[str, str]]:
    labels = (("run_id", "Run id"), ("input_hash", "Input hash"), ("config_hash", "Config hash"),
              ("settings_hash", "Settings hash"), ("insight_version", "insight version"))
    return [(label, str(run[key]) if run.get(key) else NA) for key, label in labels]

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
    format_interval,
    format_p,
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
              "raw": t.get("value"), "raw_low": t.get("ci_low"), "raw_high": t.get("ci_high"),
              "interval": format_interval(t.get("ci_low"), t.get("ci_high"), unit)} for t in kpi.get("trend") or []]
    annotations = [annotation_row(a) for a in kpi.get("annotations") or []]
    return {
        "id": kpi_id,
        "name": str(kpi.get("name") or kpi_id),
        "unit": unit,
        "category": str(kpi.get("category") or ""),
        "direction": {"up": "higher is better", "down": "lower is better"}.get(direction, ""),
        "value": format_value(kpi.get("value"), unit),
        "interval": format_interval(kpi.get("ci_low"), kpi.get("ci_high"), unit),
        "previous": format_value(kpi.get("previous"), unit),
        "change": format_change(kpi.get("value"), kpi.get("previous"), unit, direction, _change_ci(kpi)),
        "change_p": format_p(kpi.get("change_p_value")),
        # The value's own relative change (a fall is negative), as in the JSON's relative_change.
        "relative": percent(_relative(kpi.get("value"), kpi.get("previous"))),
        "n": format_count(kpi.get("n")),
        "previous_n": format_count(kpi.get("previous_n")) if "previous_n" in kpi else NA,
        "definition": str(kpi.get("definition") or ""),
        "cohorts": [cohort_row(c, unit, direction) for c in kpi.get("cohorts") or []],
        "focus_cohort": kpi.get("focus_cohort"),
        "trend": trend,
        # Chart points in display units (percent for rates), each labelled with its formatted value.
        "trend_points": trend_points(trend, unit),
        "trend_text": ", ".join(f"{t['period']} {t['value']} (n={t['n']}"
                                f"{'; ' + t['interval'] if t['interval'] else ''})" for t in trend),
        "annotations": annotations,
        "story": story_row(kpi.get("story")),
    }


def trend_points(trend: list[dict[str, Any]], unit: Unit) -> list[dict[str, Any]]:
    """Chart points in display units (percent for rates), labelled with their formatted value, with
    their 95% interval (``low``/``high``, None when unknown); a dip (lower than its known
    neighbours) is labelled below the point."""
    ys = [display(t["raw"], unit) for t in trend]
    if all(y is None for y in ys):
        return []
    points = []
    for i, (t, y) in enumerate(zip(trend, ys, strict=True)):
        near = [v for v in (ys[i - 1] if i else None, ys[i + 1] if i + 1 < len(ys) else None) if v is not None]
        points.append({"period": t["period"], "y": y, "label": t["value"],
                       "low": display(t.get("raw_low"), unit), "high": display(t.get("raw_high"), unit),
                       "below": y is not None and bool(near) and all(y < v for v in near)})
    return points


def _relative(value: float | None, previous: float | None) -> float | None:
    return None if missing(value) or missing(previous) or previous == 0 else (value - previous) / abs(previous)  # type: ignore[operator]


def _change_ci(row: dict[str, Any]) -> tuple[float | None, float | None] | None:
    """The change's interval when the data carry one (reports built before intervals do not)."""
    return (row.get("change_ci_low"), row.get("change_ci_high")) if "change_ci_low" in row else None


def cohort_row(cohort: dict[str, Any], unit: Unit, direction: str | None) -> dict[str, Any]:
    change = format_change(cohort.get("value"), cohort.get("previous"), unit, direction, _change_ci(cohort))
    n = format_count(cohort.get("n"))
    return {
        "cohort": str(cohort.get("cohort", "")),
        "value": format_value(cohort.get("value"), unit),
        "interval": format_interval(cohort.get("ci_low"), cohort.get("ci_high"), unit),
        "change_low": display(cohort.get("change_ci_low"), unit),
        "change_high": display(cohort.get("change_ci_high"), unit),
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
    """A win or worry as words: what moved, by how much, the evidence, and which cohort drove it."""
    if not claim or claim.get("kpi_id") not in kpis:
        return None
    kpi = kpis[claim["kpi_id"]]
    cohort = next((c for c in kpi["cohorts"] if c["cohort"] == claim.get("cohort")), None)
    driver = (f"Largest contribution: {cohort['cohort']}, {cohort['previous']} to {cohort['value']} "
              f"(n={cohort['n']})." if cohort else "")
    return {
        "label": label,
        "kpi": kpi["name"],
        "id": kpi["id"],
        "text": f"{kpi['name']}: {kpi['previous']} to {kpi['value']} ({kpi['change'].label}; {kpi['relative']} "
                f"relative{'; ' + kpi['change'].interval if kpi['change'].interval else ''}), n={kpi['n']}.",
        "evidence": evidence_text(claim.get("evidence"), kpi["unit"], claim.get("relative_change")),
        "driver": driver,
    }


def evidence_text(evidence: dict[str, Any] | None, unit: Unit, relative: float | None) -> str:
    """Why a claim headlines: "Evidence: a 3-month trend, 2026-07 84.9% to 2026-10 62.9% (-26% relative; ...)"."""
    if not evidence:
        return ""
    span = (f"a {evidence.get('moves')}-month trend" if evidence.get("test") == "trend" else "the month's change")
    change = format_change(evidence.get("to_value"), evidence.get("from_value"), unit, None,
                           (evidence.get("ci_low"), evidence.get("ci_high")))
    return (f"Evidence: {span}, {evidence.get('from_period')} {format_value(evidence.get('from_value'), unit)} to "
            f"{evidence.get('to_period')} {format_value(evidence.get('to_value'), unit)} "
            f"({change.text}, {percent(relative)} relative; {change.interval}; {format_p(evidence.get('p_value'))}, "
            f"{evidence.get('method')}).")


def ranking_rows(ranking: list[dict[str, Any]], kpis: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """The evidence ranking behind win and worry, as table rows."""
    rows = []
    for r in ranking:
        unit: Unit = kpis[r["kpi_id"]]["unit"] if r["kpi_id"] in kpis else "number"
        rows.append({"rank": str(r["rank"]), "kpi": str(r.get("name") or r["kpi_id"]), "verdict": str(r["verdict"]),
                     "test": f"{r['moves']}-month trend" if r["test"] == "trend" else "month's change",
                     "span": f"{r.get('from_period')} to {r.get('to_period')}",
                     "change": format_change(r.get("to_value"), r.get("from_value"), unit, None,
                                             (r.get("ci_low"), r.get("ci_high"))).full,
                     "p": format_p(r.get("p_value")), "n": format_count(r.get("n")),
                     "eligible": "yes" if r.get("eligible") else "no"})
    return rows


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
    widened = (f" The unit is all members, not {plan['widened_from']}: that cohort alone could not fill both arms "
               f"within {plan.get('horizon_months')} months." if plan.get("widened_from") else "")
    feasible = "" if plan.get("feasible", True) else f" Not feasible as designed: {plan.get('alternative')}."
    return {
        "kpi": kpi["name"],
        "id": kpi["id"],
        "text": f"Try {plan['lever']} for half of {who}, chosen at random, the other half as control.",
        "goal": f"Success: {kpi['name']} for {who} from {format_value(plan.get('baseline'), unit)} back to "
                f"{format_value(plan.get('goal'), unit)}.",
        "size": f"Needs {size}: {duration}.{widened}{feasible}",
        "feasible": bool(plan.get("feasible", True)),
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

"""The "community influence" section as display rows: models side by side, engaged vs matched,
deflection savings with each assumption beside the number, and the member story."""

from __future__ import annotations

from typing import Any

from insight.reports.formatting import NA, format_count, format_interval, format_p, format_share

MODEL_NAMES = {"first_touch": "First touch", "last_touch": "Last touch", "linear": "Linear",
               "position_based": "Position-based", "time_decay": "Time decay", "blended": "Blended"}
METRIC_NAMES = {"close_rate": "Close rate", "renewal_rate": "Renewal rate", "expansion_rate": "Expansion rate"}


def money(value: float | None) -> str:
    return NA if value is None else f"{float(value):,.0f}"


def _model_row(m: dict[str, Any]) -> dict[str, str]:
    top = sorted(m.get("by_kind", {}).items(), key=lambda kv: -kv[1])[:3]
    return {"model": MODEL_NAMES.get(m["model"], m["model"]), "revenue": money(m["influenced_revenue"]),
            "share": format_share(m["community_share"]), "pipeline": money(m["influenced_pipeline"]),
            "pipeline_share": format_share(m["pipeline_share"]), "total": money(m["total_revenue"]),
            "kinds": ", ".join(f"{k} {money(v)}" for k, v in top) or NA}


def _matched_row(r: dict[str, Any]) -> dict[str, str]:
    diff = NA if r["difference"] is None else f"{r['difference'] * 100:+.1f} pp"
    raw = NA if r.get("raw_difference") is None else f"{r['raw_difference'] * 100:+.1f} pp"
    return {"metric": METRIC_NAMES.get(r["metric"], r["metric"]), "engaged": format_share(r["engaged_rate"]),
            "matched": format_share(r["matched_rate"]), "difference": diff,
            "interval": format_interval(r["ci_low"], r["ci_high"], "rate", change=True) or NA,
            "p": format_p(r["p_value"]) or NA, "n": format_count(r["n"]), "raw": raw,
            "unmatched": format_count(r["unmatched_engaged"])}


def _assumption(a: dict[str, Any]) -> dict[str, str]:
    if "base" in a:
        value = f"{a['low']:g} / {a['base']:g} / {a['high']:g} (low / base / high)"
    else:
        value = NA if a["value"] is None else f"{a['value']:,}" if isinstance(a["value"], int) else f"{a['value']:,.2f}"
    return {"name": a["name"], "value": value, "source": a["source"]}


def influence_context(section: dict[str, Any] | None) -> dict[str, Any] | None:
    """Display rows of ``ReportData.community_influence``; None when the report has none."""
    if not section:
        return None
    d = section["deflection_savings"]
    story = section.get("story") or {}
    spread = section.get("spread") or {}
    return {
        "window": f"{section['window']['start']} to {section['window']['end']}, touchpoints up to "
                  f"{section['window']['lookback_days']:g} days before each outcome",
        "models": [_model_row(m) for m in section["models"]],
        "spread": f"{format_share(spread.get('min_share'))} to {format_share(spread.get('max_share'))}",
        "any_touch": money(section.get("influenced_any_touch")),
        "matched": [_matched_row(r) for r in section["engaged_vs_matched"]],
        "claim": section["claim"],
        "savings": {p: money(d[p]) for p in ("low", "base", "high")},
        "deflected": {p: f"{v:,.1f}" for p, v in d["deflected_tickets"].items()},
        "formula": d["formula"], "deflection_note": d.get("note"),
        "assumptions": [_assumption(a) for a in d["assumptions"]],
        "story": {"quote": story.get("quote"), "tag": story.get("tag"), "segment": story.get("account_segment"),
                  "outcomes": ", ".join(story.get("outcomes") or []), "reason": story.get("reason", "")},
    }

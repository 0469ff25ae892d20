"""The report's Experiments and Retention-as-survival sections: each registered experiment's readout
and each cohort's survival as words.

Uplift with its 95% interval, p-value and the sample per arm; for a non-randomised experiment the
difference-in-differences estimate and its parallel-trends check; the registration (hypothesis,
minimum detectable effect, power); and one member story of the KPI that illustrates the mechanism.
"""

from __future__ import annotations

from typing import Any

from insight.reports.formatting import STYLES, Unit, format_count, format_interval, format_p, format_value


def experiment_readout_row(readout: dict[str, Any], kpis: dict[str, dict[str, Any]]) -> dict[str, Any]:
    kpi = kpis.get(str(readout.get("kpi")), {})
    unit: Unit = kpi.get("unit", "number")
    base = {"name": str(readout.get("name")), "hypothesis": str(readout.get("hypothesis") or ""),
            "kpi": str(kpi.get("name") or readout.get("kpi")),
            "period": f"{readout.get('start')} to {readout.get('end')}",
            "design": str(readout.get("design") or ""),
            "registered": f"Registered: minimum detectable effect {_change(readout.get('mde'), unit)} at "
                          f"{float(readout.get('power') or 0) * 100:.0f}% power.",
            "story": kpi.get("story") or {"quote": None, "reason": "no story for this KPI"}}
    if readout.get("error"):
        return {**base, "text": str(readout["error"]), "pre_trend": "", "arms": ""}
    arms = ", ".join(f"{arm} {format_value(readout.get('values', {}).get(arm), unit)} (n={format_count(n)})"
                     for arm, n in (readout.get("n_per_arm") or {}).items())
    noise = " (within noise)" if readout.get("within_noise") else ""
    text = (f"Uplift {_change(readout.get('uplift'), unit)}{noise}: "
            f"{format_interval(readout.get('ci_low'), readout.get('ci_high'), unit, change=True)}; "
            f"{format_p(readout.get('p_value'))}. Method: {readout.get('method')}.")
    power = readout.get("power_at_mde")
    registered = base["registered"] + (f" Power at that effect with the observed arms: {power * 100:.0f}%."
                                       if power is not None else "")
    return {**base, "text": text, "arms": f"Per arm: {arms}.", "registered": registered,
            "pre_trend": _pre_trend(readout.get("pre_trend"), unit)}


def _pre_trend(check: dict[str, Any] | None, unit: Unit) -> str:
    if not check:
        return ""
    means = "; ".join(f"{m['month']} treated {format_value(m['treated'], unit)}, comparison "
                      f"{format_value(m['comparison'], unit)}" for m in check.get("means") or [])
    if check.get("p_value") is None:
        return f"Parallel-trends check: {check.get('detail')}. Before: {means}."
    verdict = "passed" if check.get("parallel") else "failed"
    return (f"Parallel-trends check {verdict}: pre-period slope difference "
            f"{_change(check.get('slope_difference'), unit)} a month, {format_p(check.get('p_value'))} "
            f"({check.get('detail')}). Before: {means}.")


def _change(value: Any, unit: Unit) -> str:
    if value is None:
        return "n/a"
    scale, decimals, _, suffix = STYLES[unit]
    return f"{float(value) * scale:+.{decimals}f}{suffix}"


def survival_row(row: dict[str, Any]) -> dict[str, str]:
    """A cohort's median lifetime with its interval, and the share still active at 90 days."""
    median = row.get("median_days")
    low, high = row.get("median_ci_low"), row.get("median_ci_high")
    if median is None:
        lifetime = "not reached (more than half still active)" + (f"; at least {low:.0f} days" if low else "")
    else:
        bounds = f"{low:.0f}" if low is not None else "n/a", f"{high:.0f}" if high is not None else "not reached"
        lifetime = f"{median:.0f} days (95% CI {bounds[0]}–{bounds[1]})"
    at_90 = next((c for c in row.get("curve") or [] if c["day"] == 90), None)
    still = (f"{at_90['survival'] * 100:.1f}% (95% CI {at_90['ci_low'] * 100:.1f}–{at_90['ci_high'] * 100:.1f}%)"
             if at_90 else "n/a")
    return {"cohort": str(row.get("cohort")), "n": format_count(row.get("n")),
            "events": format_count(row.get("events")),
            "median": lifetime, "at_90": still}


def feedback_row(row: dict[str, Any]) -> dict[str, str]:
    """A moment's ratings: mean with its interval, share satisfied with its interval."""
    mean, share = row.get("mean_rating"), row.get("satisfied")
    low, high = row.get("mean_ci_low"), row.get("mean_ci_high")
    return {"moment": str(row.get("moment", "")).replace("_", " "), "n": format_count(row.get("n")),
            "rated": format_count(row.get("rated")),
            "mean": "n/a" if mean is None else f"{mean:.2f} of 5" + (
                f" (95% CI {low:.2f}–{high:.2f})" if low is not None and high is not None else ""),
            "satisfied": format_value(share, "rate") + (
                f" ({format_interval(row.get('satisfied_ci_low'), row.get('satisfied_ci_high'), 'rate')})"
                if share is not None else ""),
            # Sentiment of the scored answers (``insight analyse`` scores them); n/a before any is scored.
            "positive": "n/a" if row.get("positive") is None else format_value(row["positive"], "rate") + (
                f" ({format_interval(row.get('positive_ci_low'), row.get('positive_ci_high'), 'rate')})"),
            "negative": "n/a" if row.get("negative") is None else format_value(row["negative"], "rate"),
            "themes": ", ".join(row.get("themes") or [])}

"""Numbers in words: how a report shows a KPI value, its change and a share.

Rates as percentages with one decimal (changes in percentage points), hours and days with one
decimal, other numbers with two, counts with thousands separators, and "n/a" wherever a value
is missing. A change is an arrow (▲ up, ▼ down) plus its signed size and, from the KPI's
``direction``, the word "better" or "worse", so the meaning never rests on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

Unit = Literal["rate", "hours", "days", "number"]
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
    "stickiness": "rate",  # WAU/MAU, a share shown as a percentage
    "contribution_index": "number",
}
_SUFFIX_UNITS: tuple[tuple[str, Unit], ...] = (("_rate", "rate"), ("_hours", "hours"), ("_days", "days"))
# Per unit: scale, decimals, suffix of a value, suffix of a change (rates change in points).
STYLES: dict[str, tuple[float, int, str, str]] = {
    "rate": (100.0, 1, "%", " pp"),
    "hours": (1.0, 1, " h", " h"),
    "days": (1.0, 1, " days", " days"),
    "number": (1.0, 2, "", ""),
}


@dataclass(frozen=True)
class Change:
    """A KPI's change against the previous period, ready to show."""

    arrow: str  # "▲", "▼" or "" (no change, or unknown)
    text: str  # "+5.0 pp", "no change" or "n/a"
    verdict: str | None  # "better", "worse" or None when it cannot be judged
    noise: bool = False  # the change's 95% interval spans zero: it may be chance
    interval: str = ""  # "95% CI -2.9 to +14.3 pp", or "" when unknown

    @property
    def label(self) -> str:
        """Arrow, size and verdict as one plain string: "▲ +5.0 pp, better" or "▲ +5.0 pp, worse, within noise"."""
        parts = " ".join(p for p in (self.arrow, self.text) if p)
        parts = f"{parts}, {self.verdict}" if self.verdict else parts
        return f"{parts}, within noise" if self.noise and self.text != NA else parts

    @property
    def full(self) -> str:
        """The label with its interval: "▲ +5.0 pp, worse, within noise (95% CI -2.9 to +14.3 pp)"."""
        return f"{self.label} ({self.interval})" if self.interval else self.label


def kpi_unit(kpi_id: str) -> Unit:
    """The display unit of a KPI: known ids first, then the id's suffix, else a plain number."""
    if kpi_id in KPI_UNITS:
        return KPI_UNITS[kpi_id]
    return next((unit for suffix, unit in _SUFFIX_UNITS if kpi_id.endswith(suffix)), "number")


def format_value(value: float | None, unit: Unit) -> str:
    """A KPI value for display: "25.0%", "4.0 h", "3.5 days", "1.50" or "n/a"."""
    if missing(value):
        return NA
    scale, decimals, suffix, _ = STYLES[unit]
    return f"{float(value) * scale:.{decimals}f}{suffix}"  # type: ignore[arg-type]


def format_change(value: float | None, previous: float | None, unit: Unit, direction: str | None,
                  ci: tuple[float | None, float | None] | None = None) -> Change:
    """Arrow, signed size and better/worse verdict of ``value`` against ``previous``; with ``ci`` (the
    change's 95% interval) its interval, and "within noise" when that spans zero or is unknown."""
    if missing(value) or missing(previous):
        return Change("", NA, None)
    noise = ci is not None and (missing(ci[0]) or missing(ci[1]) or ci[0] <= 0 <= ci[1])  # type: ignore[operator]
    interval = format_interval(ci[0], ci[1], unit, change=True) if ci is not None else ""
    scale, decimals, _, suffix = STYLES[unit]
    delta = float(value) - float(previous)  # type: ignore[arg-type]
    shown = round(abs(delta) * scale, decimals)
    # Judge the change as shown: a delta that rounds to zero is "no change", not "▲ +0.0".
    if shown == 0:
        return Change("", "no change", None, noise, interval)
    rising = delta > 0
    verdict = None
    if direction in ("up", "down"):
        verdict = "better" if rising == (direction == "up") else "worse"
    return Change("▲" if rising else "▼", f"{'+' if rising else '-'}{shown:.{decimals}f}{suffix}", verdict, noise,
                  interval)


def format_interval(low: float | None, high: float | None, unit: Unit, *, change: bool = False) -> str:
    """A 95% interval in words: "95% CI 56.1-69.2%", or for a change "95% CI -2.9 to +14.3 pp"; "" if unknown."""
    if missing(low) or missing(high):
        return ""
    scale, decimals, value_suffix, change_suffix = STYLES[unit]
    a, b = float(low) * scale, float(high) * scale  # type: ignore[arg-type]
    if change:
        return f"95% CI {a:+.{decimals}f} to {b:+.{decimals}f}{change_suffix}"
    return f"95% CI {a:.{decimals}f}–{b:.{decimals}f}{value_suffix}"


def format_p(p: float | None) -> str:
    """A p-value as a report shows it: "p = 0.03", "p < 0.001" or "" when unknown."""
    if missing(p):
        return ""
    return "p < 0.001" if float(p) < 0.001 else f"p = {float(p):.3f}"  # type: ignore[arg-type]


def format_count(n: int | None) -> str:
    return NA if missing(n) else f"{int(n):,}"  # type: ignore[arg-type]


def format_share(share: float | None) -> str:
    return NA if missing(share) else f"{float(share) * 100:.1f}%"  # type: ignore[arg-type]


def missing(value: Any) -> bool:
    # NaN counts as missing too: values often arrive from pandas (kpi_trend) as NaN.
    return value is None or (isinstance(value, float) and math.isnan(value))


def display(value: float | None, unit: Unit) -> float | None:
    """A value in the units a chart axis shows (rates as percent), rounded as the labels are."""
    if missing(value):
        return None
    scale, decimals, _, _ = STYLES[unit]
    return round(float(value) * scale, decimals)  # type: ignore[arg-type]


def percent(share: float | None) -> str:
    return NA if missing(share) else f"{float(share) * 100:+.0f}%"  # type: ignore[arg-type]

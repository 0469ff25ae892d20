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

    @property
    def label(self) -> str:
        """Arrow, size and verdict as one plain string: "▲ +5.0 pp, better"."""
        parts = " ".join(p for p in (self.arrow, self.text) if p)
        return f"{parts}, {self.verdict}" if self.verdict else parts


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


def format_change(value: float | None, previous: float | None, unit: Unit, direction: str | None) -> Change:
    """Arrow, signed size and better/worse verdict of ``value`` against ``previous``."""
    if missing(value) or missing(previous):
        return Change("", NA, None)
    scale, decimals, _, suffix = STYLES[unit]
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

"""KPI dictionary: what each KPI means, who owns it and which way is good, loaded from TOML.

The dictionary is data, written by the people who answer for the KPIs. Layout::

    [[kpis]]
    id = "activation_rate"
    name = "Activation rate"
    definition = "Share of new members who post within 30 days of joining."
    formula = "..."
    source = "computed"        # computed by insight, or "external" (observations imported from CSV)
    owner = "community-team"
    cadence = "monthly"
    direction = "up"           # up or down is good
    kind = "leading"           # leading or lagging
    category = "health"        # health, quality, impact or advocacy

The packaged default is ``insight/default_kpis.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from insight.errors import ConfigError
from insight.metrics.kpis import COMPUTED_KPI_IDS

DEFAULT_KPIS_RESOURCE = "default_kpis.toml"
CHOICES: dict[str, tuple[str, ...]] = {
    "source": ("computed", "external"),
    "direction": ("up", "down"),
    "kind": ("leading", "lagging"),
    "category": ("health", "quality", "impact", "advocacy"),
}


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI of the dictionary. ``direction`` says which way is good."""

    id: str
    name: str
    definition: str
    formula: str
    source: Literal["computed", "external"]
    owner: str
    cadence: str
    direction: Literal["up", "down"]
    kind: Literal["leading", "lagging"]
    category: Literal["health", "quality", "impact", "advocacy"]

    @property
    def is_computed(self) -> bool:
        return self.source == "computed"


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(KpiDefinition))


def load_kpi_dictionary(path: str | Path | None = None) -> dict[str, KpiDefinition]:
    """Read and validate a KPI dictionary, keyed by KPI id in file order.

    Args:
        path: a TOML file; None reads the packaged ``insight/default_kpis.toml``.

    Raises:
        ConfigError: E101 when the file is missing, E102 when it is not TOML, E103 naming
            the file, entry index and field of the first invalid entry.
    """
    if path is None:
        label = f"insight/{DEFAULT_KPIS_RESOURCE}"
        text = resources.files("insight").joinpath(DEFAULT_KPIS_RESOURCE).read_text(encoding="utf-8")
    else:
        label = str(path)
        if not Path(path).is_file():
            raise ConfigError("E101", path=path)
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("E102", path=label, detail=exc) from None
    return _parse(data, label)


def _parse(data: dict[str, Any], label: str) -> dict[str, KpiDefinition]:
    entries = data.get("kpis")
    if not isinstance(entries, list) or not entries:
        raise _invalid(label, "kpis", "expected one or more [[kpis]] tables")
    unknown_top = sorted(set(data) - {"kpis"})
    if unknown_top:
        raise _invalid(label, unknown_top[0], "unknown key; the file holds only [[kpis]] tables")
    kpis: dict[str, KpiDefinition] = {}
    for index, entry in enumerate(entries):
        kpi = _parse_entry(entry, f"kpis[{index}]", label)
        if kpi.id in kpis:
            raise _invalid(label, f"kpis[{index}].id", f"duplicate id '{kpi.id}'")
        kpis[kpi.id] = kpi
    return kpis


def _parse_entry(entry: Any, where: str, label: str) -> KpiDefinition:
    if not isinstance(entry, dict):
        raise _invalid(label, where, "expected a [[kpis]] table")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise _invalid(label, f"{where}.{unknown[0]}", f"unknown field; fields are {', '.join(FIELDS)}")
    for name in FIELDS:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _invalid(label, f"{where}.{name}", "required, a non-empty string")
        if name in CHOICES and value not in CHOICES[name]:
            raise _invalid(label, f"{where}.{name}", f"got '{value}', expected one of {', '.join(CHOICES[name])}")
    # A computed KPI insight does not know would silently never get a value: catch typos here.
    if entry["source"] == "computed" and entry["id"] not in COMPUTED_KPI_IDS:
        raise _invalid(
            label,
            f"{where}.id",
            f"'{entry['id']}' has source 'computed' but insight computes only {', '.join(COMPUTED_KPI_IDS)}; "
            "use source 'external' for KPIs imported as observations",
        )
    return KpiDefinition(**{name: entry[name].strip() for name in FIELDS})


def _invalid(label: str, field: str, detail: str) -> ConfigError:
    return ConfigError("E103", location=f"'{label}: {field}'", detail=detail)

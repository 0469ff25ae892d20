"""Registered experiments: the hypothesis, KPI, assignment and sample plan, written down before the
readout (``experiments.toml``). Layout::

    [[experiments]]
    name = "answer-reminder"
    hypothesis = "A reminder to mark the answer that solved it raises solution acceptance."
    kpi = "solution_acceptance_rate"     # a KPI insight computes
    unit = "member"                      # what was assigned: member (the asker, the newcomer...)
    start = 2026-08-01
    end = 2026-10-31
    mde = 0.10                           # minimum detectable effect, in the KPI's units (0.10 = 10 pp)
    power = 0.8                          # the power the plan had for that effect

    [experiments.assignment]             # randomised: a file of member ids per arm, one a line
    arms = { treatment = "arms/reminder.txt", control = "arms/control.txt" }
    control = "control"

    # or non-randomised, a cohort rule and a comparison group, read by difference-in-differences:
    # treated = "motivation=learn"
    # comparison = "motivation=build"
    # pre_months = 3                     # months before start for the parallel-trends check

Arm files are found relative to the TOML file. A file that cannot be read stops (E655, E656); an
invalid entry names its field (E657); an arm file that is missing is E659.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from insight.config import toml_tables
from insight.errors import InputError
from insight.metrics.kpis import COHORT_DIMENSIONS, COMPUTED_KPI_IDS

REQUIRED = ("name", "hypothesis", "kpi", "unit", "start", "end", "mde", "power", "assignment")
DEFAULT_PRE_MONTHS = 3


@dataclass(frozen=True)
class Experiment:
    """One registered experiment. ``arms`` (randomised) or ``treated``/``comparison`` (a cohort rule)."""

    name: str
    hypothesis: str
    kpi: str
    unit: str
    start: date
    end: date
    mde: float
    power: float
    arms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # arm -> member ids
    control: str | None = None
    treated: str | None = None  # "dimension=value"
    comparison: str | None = None
    pre_months: int = DEFAULT_PRE_MONTHS

    @property
    def randomised(self) -> bool:
        return bool(self.arms)

    def summary(self) -> dict[str, Any]:
        """What ``insight experiments list`` shows: the registration, arms as sizes, not member ids."""
        return {"name": self.name, "hypothesis": self.hypothesis, "kpi": self.kpi, "unit": self.unit,
                "start": self.start.isoformat(), "end": self.end.isoformat(), "mde": self.mde, "power": self.power,
                "design": "randomised" if self.randomised else "cohort rule (difference-in-differences)",
                "arms": {arm: len(ids) for arm, ids in self.arms.items()}, "control": self.control,
                "treated": self.treated, "comparison": self.comparison}


def load_experiments(path: str | Path) -> dict[str, Experiment]:
    """Read an experiments file, keyed by name in file order.

    Raises:
        InputError: E655 when the file does not exist, E656 when it is not TOML with
            [[experiments]], E657 for an invalid entry, E659 for a missing arm file.
    """
    path = Path(path)
    entries = toml_tables(path, "experiments", missing="E655", unreadable="E656")
    if not entries:
        raise InputError("E656", path=path, detail="expected one or more [[experiments]] tables")
    out: dict[str, Experiment] = {}
    for index, entry in enumerate(entries):
        experiment = _parse(entry, path, f"experiments[{index}]")
        if experiment.name in out:
            raise _invalid(path, f"experiments[{index}].name", f"duplicate name '{experiment.name}'")
        out[experiment.name] = experiment
    return out


def _parse(entry: Any, path: Path, where: str) -> Experiment:
    if not isinstance(entry, dict):
        raise _invalid(path, where, "expected a table")
    for name in REQUIRED:
        if name not in entry:
            raise _invalid(path, f"{where}.{name}", "required")
    for name in ("name", "hypothesis", "kpi", "unit"):
        if not isinstance(entry[name], str) or not entry[name].strip():
            raise _invalid(path, f"{where}.{name}", "a non-empty string")
    if entry["kpi"] not in COMPUTED_KPI_IDS:
        raise _invalid(path, f"{where}.kpi", f"'{entry['kpi']}'; use one of {', '.join(COMPUTED_KPI_IDS)}")
    start, end = _date(entry["start"], path, f"{where}.start"), _date(entry["end"], path, f"{where}.end")
    if end < start:
        raise _invalid(path, f"{where}.end", f"{end} is before start {start}")
    numbers = {}
    for name, low, high in (("mde", 0.0, float("inf")), ("power", 0.0, 1.0)):
        value = entry[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low < value < high:
            raise _invalid(path, f"{where}.{name}", f"{value!r}; a number between {low:g} and {high:g}")
        numbers[name] = float(value)
    design = _assignment(entry["assignment"], path, f"{where}.assignment")
    return Experiment(name=entry["name"].strip(), hypothesis=entry["hypothesis"].strip(), kpi=entry["kpi"],
                      unit=entry["unit"].strip(), start=start, end=end, **numbers, **design)


def _assignment(table: Any, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise _invalid(path, where, "a table with arms (randomised) or treated and comparison (a cohort rule)")
    if "arms" in table:
        arms = table["arms"]
        if not isinstance(arms, dict) or len(arms) < 2:
            raise _invalid(path, f"{where}.arms", "two or more arms, each a file of member ids")
        control = table.get("control", "control")
        if control not in arms:
            raise _invalid(path, f"{where}.control", f"'{control}' is not an arm; arms are {', '.join(arms)}")
        return {"arms": {str(arm): _members(path, str(file)) for arm, file in arms.items()}, "control": control}
    for name in ("treated", "comparison"):
        rule = table.get(name)
        if not isinstance(rule, str) or "=" not in rule or rule.split("=", 1)[0] not in COHORT_DIMENSIONS:
            raise _invalid(path, f"{where}.{name}", f"{rule!r}; a cohort such as 'motivation=learn' "
                                                    f"(dimensions {', '.join(COHORT_DIMENSIONS[1:])})")
    pre = table.get("pre_months", DEFAULT_PRE_MONTHS)
    if isinstance(pre, bool) or not isinstance(pre, int) or pre < 2:
        raise _invalid(path, f"{where}.pre_months", f"{pre!r}; 2 or more months for the parallel-trends check")
    return {"treated": table["treated"], "comparison": table["comparison"], "pre_months": pre}


def _members(path: Path, file: str) -> tuple[str, ...]:
    target = (path.parent / file).resolve()
    if not target.is_file():
        raise InputError("E659", path=target, experiments=path)
    lines = (line.strip() for line in target.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def _date(value: Any, path: Path, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid(path, where, f"{value!r}; a date such as 2026-08-01")


def _invalid(path: Path, where: str, detail: str) -> InputError:
    return InputError("E657", path=path, where=where, detail=detail)

"""Pipeline specs: the TOML files in ``pipelines/`` that name an analysis run's stages, engine,
batch size and schedule (``insight analyse --spec``, and ``insight serve`` on the schedule).

A spec is data: the analysis stages run in a fixed order (``ANALYSE_STAGES``), a spec picks which;
``encoder`` names the registered per-post stages of the scoring pass (``[pipeline] stages`` of the
config when empty).
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from insight.errors import ConfigError, PipelineError

# What `insight analyse` does, in this order: score posts (one encoder pass), score feedback answers,
# topics from the stored embeddings, story detection and tag suggestions, the triage queue, and the
# materialised KPI values and reports.
ANALYSE_STAGES = ("score", "feedback", "topics", "stories", "triage", "kpis")
_DAILY = re.compile(r"^daily (\d{1,2}):(\d{2})$")
_EVERY = re.compile(r"^every (\d+) (minutes?|hours?)$")


class AnalyseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "daily"
    description: str = ""
    stages: list[str] = Field(default_factory=lambda: list(ANALYSE_STAGES))
    encoder: list[str] = Field(default_factory=list)
    engine: Literal["local", "ray"] | None = None  # None: [pipeline] engine
    batch_size: int | None = Field(None, gt=0)  # None: [pipeline] batch_size
    actors: int | None = Field(None, gt=0)  # Ray: encoder actors (None: one per CPU, or per GPU)
    refit: bool = False
    schedule: str | None = "daily 03:00"

    @field_validator("stages")
    @classmethod
    def _known(cls, stages: list[str]) -> list[str]:
        for stage in stages:
            if stage not in ANALYSE_STAGES:
                raise ValueError(f"unknown stage '{stage}'; use some of {', '.join(ANALYSE_STAGES)}")
        return [s for s in ANALYSE_STAGES if s in stages]

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if not value:  # "" in TOML: no schedule (run by hand)
            return None
        next_run(value, datetime(2000, 1, 1))
        return value


def load_spec(path: Path) -> AnalyseSpec:
    """Read and check a spec file (E207 unreadable, E208 invalid value, with where it is)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PipelineError("E207", path=path, detail="no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError("E207", path=path, detail=str(exc)) from None
    try:
        return AnalyseSpec(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PipelineError("E208", path=path, location=location, detail=first["msg"]) from None


def check_stages(stages: list[str], where: str) -> list[str]:
    """The given analysis stages in run order (E209 for an unknown one)."""
    for stage in stages:
        if stage not in ANALYSE_STAGES:
            raise PipelineError("E209", stage=stage, where=where, options=", ".join(ANALYSE_STAGES))
    return [s for s in ANALYSE_STAGES if s in stages]


def next_run(schedule: str, after: datetime) -> datetime:
    """When a schedule next fires after ``after`` (UTC): "daily HH:MM" or "every N minutes|hours"."""
    if match := _DAILY.match(schedule.strip()):
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            at = after.replace(hour=hour, minute=minute, second=0, microsecond=0)
            return at if at > after else at + timedelta(days=1)
    if match := _EVERY.match(schedule.strip()):
        n = int(match[1])
        if n > 0:
            return after + (timedelta(minutes=n) if match[2].startswith("minute") else timedelta(hours=n))
    raise ConfigError("E210", schedule=schedule)

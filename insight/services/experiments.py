"""Experiments use-case: the registered experiments (``experiments.toml``) listed and read out against
the stored posts and members, for ``insight experiments``, the API and the report.

The registry and the statistics live in ``insight.metrics.experiments`` and
``insight.metrics.readout``; this module finds the file, reads the stored data and turns each
registration into the annotation a report draws on its KPI's trend.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.config import Settings
from insight.errors import InputError
from insight.metrics.experiments import Experiment, load_experiments
from insight.metrics.readout import readout
from insight.privacy.identity import arms_by_person
from insight.privacy.pseudonym import author_key, pseudonymise
from insight.reports.annotations import Annotation
from insight.services import consented
from insight.storage.db import session_scope


def experiments_file(settings: Settings, path: Path | None = None) -> Path | None:
    """The experiments file: ``path`` when given, else ``[reports] experiments``, else None."""
    if path is not None:
        return Path(path)
    return Path(settings.reports.experiments) if settings.reports.experiments else None


def list_experiments(settings: Settings, path: Path | None = None) -> list[dict[str, Any]]:
    """Every registered experiment's registration (arms as sizes); [] when none is configured."""
    found = experiments_file(settings, path)
    return [] if found is None else [e.summary() for e in load_experiments(found).values()]


def experiment_readout(engine: Engine, settings: Settings, name: str, path: Path | None = None) -> dict[str, Any]:
    """One experiment's readout (uplift, ci_low, ci_high, p_value, n_per_arm, method...).

    Raises:
        InputError: E658 for a name not registered (or no experiments file), E655-E657, E659 for
            the file, E660 when it has no data.
    """
    found = experiments_file(settings, path)
    registered = load_experiments(found) if found is not None else {}
    if name not in registered:
        raise InputError("E658", name=name, options=", ".join(registered) or "none (pass --experiments FILE)")
    with session_scope(engine) as session:
        post_frame, member_frame = consented.kpi_frames(session, settings.ingest.unknown_members)
        links = consented.person_links(session, settings.ingest.unknown_members)
    return readout(pseudonymised(registered[name], settings, links), post_frame, member_frame)


def pseudonymised(experiment: Experiment, settings: Settings, links: Mapping[str, str] | None = None) -> Experiment:
    """The experiment with its arm files' member ids pseudonymised as ingest stores them.

    Arm files list members by the ids of the members file (what the team that assigned them
    knows); stored posts carry the keyed hash of those ids, so the arms are hashed with the same key.
    """
    if not experiment.randomised:
        return experiment
    key = settings.checked_pseudonym_key()
    arms = {arm: tuple(pseudonymise(key, author_key("canonical", member)) for member in ids)
            for arm, ids in experiment.arms.items()}
    if links:  # linked accounts count as their person (the KPI frames are keyed by person too)
        arms = arms_by_person(arms, links)
    return dataclasses.replace(experiment, arms=arms)


def readouts(registered: dict[str, Experiment], post_frame: pd.DataFrame, member_frame: pd.DataFrame,
             settings: Settings, links: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Every experiment's readout for a report; one without data says why instead of stopping the report."""
    out = []
    for experiment in registered.values():
        try:
            out.append(readout(pseudonymised(experiment, settings, links), post_frame, member_frame))
        except InputError as exc:
            if exc.code != "E660":
                raise
            out.append({**experiment.summary(), "error": str(exc)})
    return out


def as_annotations(registered: dict[str, Experiment]) -> list[Annotation]:
    """Registered experiments as the annotations a report draws on their KPI's trend."""
    return [Annotation(date=e.start, kind="experiment", title=f"Experiment '{e.name}': {e.hypothesis}",
                       kpis=(e.kpi,), cohort=e.treated, end=e.end,
                       note="registered in the experiments file; read out in the Experiments section")
            for e in registered.values()]


def report_readouts(session: Session, settings: Settings, registered: dict[str, Experiment]) -> list[dict[str, Any]]:
    """The report's experiments section; every post is read only when an experiment is registered (a
    readout splits each arm's units by member)."""
    if not registered:
        return []
    post_frame, member_frame = consented.kpi_frames(session, settings.ingest.unknown_members)
    return readouts(registered, post_frame, member_frame, settings,
                    consented.person_links(session, settings.ingest.unknown_members))

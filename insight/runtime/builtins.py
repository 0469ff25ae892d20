"""Registration of insight's built-in stages, models, adapters and engines (called by registry.populate).

Called like a plugin, with the registries by name, so this module never imports the registry back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _lazy(module: str, attr: str) -> Any:
    """A factory that imports its module on first build, so listing names stays cheap."""

    def factory(**kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(module), attr)(**kwargs)

    factory.__qualname__ = f"{module}.{attr}"
    return factory


def register_all(registries: Mapping[str, Any]) -> None:
    stages, models, adapters, engines = (registries[k] for k in ("stages", "sentiment_models", "adapters", "engines"))
    stages.register("insight.redact.v1", _lazy("insight.privacy.stage", "RedactStage"))
    stages.register("insight.embed.v1", _lazy("insight.signals.stages", "EmbedStage"))
    stages.register("insight.sentiment.v1", _lazy("insight.signals.stages", "SentimentStage"))
    stages.register("insight.safety.keywords.v1", _lazy("insight.safety.stage", "SafetyStage"))
    stages.register("insight.signals.v1", _lazy("insight.signals.stages", "SignalsStage"))
    stages.register("insight.signals.scores.v1", _lazy("insight.signals.stages", "ScoreOnlyStage"))

    models.register("insight.sentiment.vader.v1", _lazy("insight.signals.sentiment", "VaderSentiment"))
    models.register("insight.sentiment.signals.v1", _lazy("insight.signals.scorer", "SignalsSentiment"))

    adapters.register("discourse", _lazy("insight.ingest.adapters.discourse", "DiscourseAdapter"))
    adapters.register("slack", _lazy("insight.ingest.adapters.slack", "SlackAdapter"))
    adapters.register("discord", _lazy("insight.ingest.adapters.discord", "DiscordAdapter"))
    adapters.register("github", _lazy("insight.ingest.adapters.github", "GitHubAdapter"))

    from insight.runtime.engines.local import run_local
    from insight.runtime.engines.ray import run_ray

    engines.register("local", lambda: run_local)
    engines.register("ray", lambda: run_ray)

"""Registration of insight's built-in stages, models, adapters and engines (called by registry.populate)."""

from __future__ import annotations

from typing import Any


def _lazy(module: str, attr: str) -> Any:
    """A factory that imports its module on first build, so listing names stays cheap."""

    def factory(**kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(module), attr)(**kwargs)

    factory.__qualname__ = f"{module}.{attr}"
    return factory


def register_all() -> None:
    from insight.runtime import registry

    registry.stages.register("insight.redact.v1", _lazy("insight.privacy.stage", "RedactStage"))
    registry.stages.register("insight.embed.v1", _lazy("insight.signals.stages", "EmbedStage"))
    registry.stages.register("insight.sentiment.v1", _lazy("insight.signals.stages", "SentimentStage"))
    registry.stages.register("insight.safety.keywords.v1", _lazy("insight.safety.stage", "SafetyStage"))
    registry.stages.register("insight.signals.v1", _lazy("insight.signals.stages", "SignalsStage"))
    registry.stages.register("insight.signals.scores.v1", _lazy("insight.signals.stages", "ScoreOnlyStage"))

    registry.sentiment_models.register("insight.sentiment.vader.v1", _lazy("insight.signals.sentiment", "VaderSentiment"))
    registry.sentiment_models.register("insight.sentiment.signals.v1", _lazy("insight.signals.scorer", "SignalsSentiment"))

    registry.adapters.register("discourse", _lazy("insight.ingest.adapters.discourse", "DiscourseAdapter"))
    registry.adapters.register("slack", _lazy("insight.ingest.adapters.slack", "SlackAdapter"))
    registry.adapters.register("discord", _lazy("insight.ingest.adapters.discord", "DiscordAdapter"))
    registry.adapters.register("github", _lazy("insight.ingest.adapters.github", "GitHubAdapter"))

    from insight.runtime.engines.local import run_local
    from insight.runtime.engines.ray import run_ray

    registry.engines.register("local", lambda: run_local)
    registry.engines.register("ray", lambda: run_ray)

"""What the ``insight analyse`` tests share: a community of our own and a cheap scoring configuration."""

from __future__ import annotations

from tests.support.paths import REPO

# A threat, a doxxing post, a thread growing frustrated, an answered how-to, a celebrated launch;
# three feedback answers (tests/data/analyse/README.md).
COMMUNITY = REPO / "tests" / "data" / "analyse"

# The scoring pass without the trained model: VADER, the safety rules and the packaged embedder
# (seconds, not minutes, for tests of plumbing: resumption, concurrency, engines, the command line).
CHEAP_SCORING = {"models": {"sentiment": "insight.sentiment.vader.v1"}, "redaction": {"names": False},
                 "pipeline": {"stages": ["insight.embed.v1", "insight.sentiment.v1", "insight.safety.keywords.v1"]}}
CHEAP_SCORING_TOML = """
[redaction]
names = false
[models]
sentiment = "insight.sentiment.vader.v1"
[pipeline]
stages = ["insight.embed.v1", "insight.sentiment.v1", "insight.safety.keywords.v1"]
"""

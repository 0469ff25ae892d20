"""insight: qualitative insight for online communities.

The public API is what ``__all__`` lists; everything else is internal.
"""

from __future__ import annotations

from insight.config import Settings, load_config
from insight.errors import InsightError
from insight.records import Doc, FeedbackAnswer, KpiObservation, Member, Post, Provenance, TriageItem
from insight.runtime import Pipeline, Stage, StageContext
from insight.version import __version__

__all__ = [
    "Doc",
    "FeedbackAnswer",
    "InsightError",
    "KpiObservation",
    "Member",
    "Pipeline",
    "Post",
    "Provenance",
    "Settings",
    "Stage",
    "StageContext",
    "TriageItem",
    "__version__",
    "load_config",
]

"""Pipeline runtime: the Stage protocol, the Pipeline that checks and runs a chain, and engines."""

from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import Stage, StageContext

__all__ = ["Pipeline", "Stage", "StageContext"]

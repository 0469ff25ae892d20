"""Pipeline runtime: the Stage protocol, the Pipeline that checks and runs a chain, and engines.

``registry`` names the pluggable parts (stages, adapters, sentiment models, engines) and
``builtins`` registers insight's own; ``engines`` run a pipeline in-process or on Ray Data.
"""

from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import Stage, StageContext

__all__ = ["Pipeline", "Stage", "StageContext"]

"""Pipeline: an ordered chain of stages, checked before running, executed by an engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from insight.errors import PipelineError
from insight.records import Doc
from insight.runtime import registry
from insight.runtime.stage import Stage, StageContext

# Fields every Doc has from the start, before any stage runs.
INITIAL_FIELDS = frozenset({"doc.id", "doc.text", "doc.post"})


def analyze(stages: Sequence[Stage]) -> list[PipelineError]:
    """Every stage whose requirements no earlier stage assigns (as in spaCy's analyze_pipes)."""
    available = set(INITIAL_FIELDS)
    order = " -> ".join(s.name for s in stages)
    problems = []
    for stage in stages:
        for field in stage.requires:
            if field not in available:
                problems.append(PipelineError("E203", stage=stage.name, field=field, order=order))
        available.update(stage.assigns)
    return problems


class Pipeline:
    """Ordered stages plus the engine that moves batches through them.

    Example:
        >>> from insight.config import load_config
        >>> pipe = Pipeline.from_names([], StageContext(load_config(), "run-doc"))
        >>> pipe.run([Doc(id="1", text="hello")])[0].text
        'hello'
    """

    def __init__(self, stages: Sequence[Stage], *, engine: str = "local", batch_size: int = 256) -> None:
        problems = analyze(stages)
        if problems:
            raise problems[0]
        self.stages = list(stages)
        self.engine = engine
        self.batch_size = batch_size

    @classmethod
    def from_names(cls, names: Sequence[str], context: StageContext) -> Pipeline:
        """Build stages by registry name; each factory takes the context."""
        stages = [registry.stages.build(name, context=context) for name in names]
        return cls(stages, engine=context.settings.pipeline.engine, batch_size=context.settings.pipeline.batch_size)

    @classmethod
    def from_config(cls, context: StageContext) -> Pipeline:
        return cls.from_names(context.settings.pipeline.stages, context)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        """Stream docs through every stage, batch by batch, in order."""
        run = registry.engines.build(self.engine)
        yield from run(self.stages, docs, batch_size=self.batch_size)

    def run(self, docs: Iterable[Doc]) -> list[Doc]:
        return list(self.pipe(docs))

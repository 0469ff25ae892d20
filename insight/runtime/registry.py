"""One registry of pluggable parts (stages, adapters, model backends) under versioned names.

Names look like ``"insight.sentiment.vader.v1"``; a name never changes meaning, a new
behaviour gets a new version. Built-ins are registered by ``populate()`` (called lazily by
``get``) rather than by import-time decorators, so importing a module has no side effects
and there are no import cycles. Third parties can add entries through the
``insight.plugins`` entry-point group: each entry point is a callable taking the registries.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from insight.errors import PipelineError

T = TypeVar("T")


class Registry(Generic[T]):
    """A name -> factory table for one kind of part."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, Callable[..., T]] = {}

    def register(self, name: str, factory: Callable[..., T]) -> None:
        if name in self._items:
            raise PipelineError("E202", kind=self.kind, name=name)
        self._items[name] = factory

    def get(self, name: str) -> Callable[..., T]:
        populate()
        try:
            return self._items[name]
        except KeyError:
            raise PipelineError("E201", kind=self.kind, name=name, options=", ".join(self.names())) from None

    def build(self, name: str, **kwargs: Any) -> T:
        return self.get(name)(**kwargs)

    def names(self) -> list[str]:
        populate()
        return sorted(self._items)


stages: Registry[Any] = Registry("stage")
adapters: Registry[Any] = Registry("adapter")
sentiment_models: Registry[Any] = Registry("sentiment model")
embedders: Registry[Any] = Registry("embedder")
engines: Registry[Any] = Registry("engine")

_populated = False


def populate() -> None:
    """Register the built-in parts once, then any plugins."""
    global _populated
    if _populated:
        return
    _populated = True
    from insight.runtime import builtins

    builtins.register_all(globals())
    for ep in entry_points(group="insight.plugins"):
        ep.load()(globals())

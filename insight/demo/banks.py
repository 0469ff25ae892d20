"""The one reader of the demo's data files: phrase banks and scenario scripts in ``insight/demo/data/``.

The generator's wording lives in data, grouped by meaning; the Python modules keep the logic
and build their objects from these files when they are imported:

- ``phrases.toml``: shared slot banks, personal-data sentences, the composers' fixed lines (``phrases``);
- ``topics_product.toml``, ``topics_platform.toml``: help topics and their issues (``topics.SupportTopic``);
- ``topics_social.toml``: community topics (``topics.SocialTopic``);
- ``scenarios.toml``: the planted triage scenarios' scripts (``scenarios``);
- ``stories.toml``: member story kinds and their helpers' names (``stories``);
- ``feedback.toml``: feedback answers by moment and rating (``feedback``);
- ``story_seeds.jsonl``: hand-written story examples, one ``{"text", "tags"}`` record a line (``seeds``).

Each file is read once (cached) through ``importlib.resources``, so it ships inside the wheel
and is found wherever the package is installed. Every read checks the value's shape and a bad
one raises ``BankError`` naming the file and the key, so a broken edit fails on import rather
than as a ``KeyError`` halfway through a demo. Lists keep file order: the generator draws from
one seeded random stream, so reordering, adding or removing an entry changes the demo output.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DATA_DIR = "insight/demo/data"

Slots = dict[str, tuple[str, ...]]


class BankError(ValueError):
    """A demo data file is missing, cannot be parsed, or holds a value of the wrong shape."""


@dataclass(frozen=True)
class Table:
    """One table of a data file, with where it came from, so that errors can say where to look."""

    source: str  # the file's name, and for a JSONL record its line
    path: str  # dotted key path within the file ("" for its top level)
    data: Mapping[str, Any]

    def where(self, key: str = "") -> str:
        return f"{DATA_DIR}/{self.source}, key '{self._key(key) or '(top level)'}'"

    def _key(self, key: str) -> str:
        return ".".join(part for part in (self.path, key) if part)

    def error(self, key: str, problem: str) -> BankError:
        return BankError(f"{self.where(key)}: {problem}")

    def value(self, key: str) -> Any:
        if key not in self.data:
            raise self.error(key, "missing")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.value(key)
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_kind(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A non-empty list of strings (the generator draws from it, and a draw from nothing fails)."""
        return self._texts(key, self.value(key))

    def integer(self, key: str) -> int:
        value = self.value(key)
        if type(value) is not int:
            raise self.error(key, f"expected an integer, got {_kind(value)}")
        return value

    def number(self, key: str) -> float:
        value = self.value(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise self.error(key, f"expected a number, got {_kind(value)}")
        return value

    def table(self, key: str) -> Table:
        value = self.value(key)
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table, got {_kind(value)}")
        return Table(self.source, self._key(key), value)

    def tables(self, key: str) -> tuple[Table, ...]:
        """An array of tables (``[[key]]``), each addressed as ``key[i]`` in errors."""
        value = self.value(key)
        if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
            raise self.error(key, f"expected one or more [[{key}]] tables, got {_kind(value)}")
        return tuple(Table(self.source, f"{self._key(key)}[{i}]", item) for i, item in enumerate(value))

    def slots(self, key: str = "slots", lists: Mapping[str, tuple[str, ...]] | None = None) -> Slots:
        """A slot table, name -> values, in file order.

        With ``lists``, a slot may be given as ``{ from = "name", slice = [start, stop] }``, taking
        (part of) one of those lists instead of repeating it; ``slice`` is optional.
        """
        table = self.table(key)
        return {name: table._slot(name, value, lists or {}) for name, value in table.data.items()}

    def pick(self, key: str, options: Iterable[str]) -> str:
        """A string that must be one of ``options`` (a reference to something defined elsewhere)."""
        value, known = self.text(key), list(options)
        if value not in known:
            raise self.error(key, f"'{value}' is not one of {', '.join(known)}")
        return value

    def only(self, *keys: str) -> Table:
        """This table, after checking that it has no keys beyond ``keys`` (a typo'd optional key would be lost)."""
        unknown = [key for key in self.data if key not in keys]
        if unknown:
            raise self.error(unknown[0], f"unknown key; expected one of {', '.join(keys)}")
        return self

    def _texts(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
            raise self.error(key, f"expected a non-empty list of strings, got {_kind(value)}")
        return tuple(value)

    def _slot(self, name: str, value: Any, lists: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
        if not isinstance(value, dict) or not lists:
            return self._texts(name, value)
        ref = Table(self.source, self._key(name), value).only("from", "slice")
        values = lists[ref.pick("from", lists)]
        if "slice" not in value:
            return values
        bounds = value["slice"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(type(b) is int for b in bounds)):
            raise ref.error("slice", f"expected [start, stop], got {_kind(bounds)}")
        return ref._texts("slice", list(values[bounds[0]:bounds[1]]))


def _kind(value: Any) -> str:
    """A short description of a wrong value, for error messages."""
    if isinstance(value, list):
        odd = [item for item in value if not isinstance(item, str)]
        return "an empty list" if not value else f"a list holding {_kind(odd[0])}" if odd else "a list of strings"
    if isinstance(value, dict):
        return "a table"
    return f"{type(value).__name__} {value!r}"[:80]


def _resource(name: str) -> str:
    try:
        return resources.files("insight.demo").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(f"{DATA_DIR}/{name}: missing from the installed package") from None


@cache
def read(name: str) -> Table:
    """The top-level table of the TOML data file ``name``, parsed once."""
    return parse(name, _resource(name))


def parse(name: str, text: str) -> Table:
    """``text`` as the TOML data file ``name`` (split from ``read`` so that tests can feed broken files)."""
    try:
        return Table(name, "", tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise BankError(f"{DATA_DIR}/{name}: not valid TOML: {exc}") from None


@cache
def read_records(name: str) -> tuple[Table, ...]:
    """The records of the JSONL data file ``name``, one table per line, parsed once."""
    return parse_records(name, _resource(name))


def parse_records(name: str, text: str) -> tuple[Table, ...]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BankError(f"{DATA_DIR}/{name}, line {number}: not valid JSON: {exc}") from None
        if not isinstance(record, dict):
            raise BankError(f"{DATA_DIR}/{name}, line {number}: expected a JSON object, got {_kind(record)}")
        records.append(Table(f"{name}, line {number}", "", record))
    return tuple(records)

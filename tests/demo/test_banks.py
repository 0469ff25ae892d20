"""The demo's data files (phrase banks, topics, scenarios, stories, feedback, seeds): each loads and
ships with the package, every template names known slots, and a malformed bank names file and key."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterator

import pytest

from tests.support.paths import REPO

DATA_FILES = {"phrases.toml", "topics_product.toml", "topics_platform.toml", "topics_social.toml", "scenarios.toml",
              "stories.toml", "feedback.toml", "story_seeds.jsonl"}


def test_demo_data_files_load_and_ship() -> None:
    from fnmatch import fnmatch
    from importlib import resources

    from insight.demo import banks

    names = {entry.name for entry in resources.files("insight.demo").joinpath("data").iterdir()
             if not entry.name.startswith(".")}
    assert names == DATA_FILES
    for name in sorted(names):
        loaded = banks.read_records(name) if name.endswith(".jsonl") else (banks.read(name),)
        assert loaded and all(table.data for table in loaded), name
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["insight"]
    assert all(any(fnmatch(f"demo/data/{name}", pattern) for pattern in shipped) for name in names)


def _templates(value: object) -> Iterator[str]:
    """Every string in ``value``: a template, or a tuple or dataclass of them, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _templates(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _templates(getattr(value, field.name))


def test_demo_templates_name_known_slots() -> None:
    import random

    from insight.demo import feedback, phrases, stories, threads

    rng = random.Random(0)
    # fill raises a KeyError naming any slot that neither the bank nor the shared slots define.
    for topic in threads.TOPICS.values():
        for name in {field.name for field in dataclasses.fields(topic)} - {"key", "channels", "slots"}:
            for template in _templates(getattr(topic, name)):
                phrases.fill(template, rng, topic.slots)
    for kind in stories.STORY_KINDS:
        for case in kind.cases or ({},):
            slots = {**kind.slots, **{name: (value,) for name, value in case.items()}}
            for template in _templates((kind.titles, kind.before, kind.action, kind.outcome, kind.closing)):
                phrases.fill(template, rng, slots)
    for template in _templates(tuple(feedback._TEXTS.values())):
        phrases.fill(template, rng, feedback._SLOTS)


def test_demo_malformed_bank_names_file_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from insight.demo import banks, topics

    broken = """
[auth]
channels = { help = 9 }
details = ["Affected are {auth_who}."]
probes = ["Which version are you on?"]
[auth.slots]
auth_who = ["our admins"]
[[auth.issues]]
titles = ["Login broken"]
questions = ["Why?"]
details = ["Since Monday."]
answers = "Restart it."
solved = ["Fixed."]
unsolved = ["Still broken."]
metoo = ["Same."]
[[auth.requests]]
title = "passkeys"
body = "Please."
"""
    real_read = banks.read
    monkeypatch.setattr(banks, "read", lambda name: banks.parse(name, broken) if name == "topics_product.toml"
                        else real_read(name))
    with pytest.raises(banks.BankError) as caught:
        topics.support_topics(("auth",))
    message = str(caught.value)
    assert "insight/demo/data/topics_product.toml" in message and "'auth.issues[0].answers'" in message
    assert "expected a non-empty list of strings" in message

    with pytest.raises(banks.BankError, match=r"topics_social\.toml: not valid TOML"):
        banks.parse("topics_social.toml", "[showcase\n")
    with pytest.raises(banks.BankError, match=r"stories\.toml, key 'kinds\.mentor_guidance\.titel': unknown key"):
        banks.parse("stories.toml", "[kinds.mentor_guidance]\ntitel = []").table("kinds").table(
            "mentor_guidance").only("titles")
    with pytest.raises(banks.BankError, match=r"story_seeds\.jsonl, line 2: not valid JSON"):
        banks.parse_records("story_seeds.jsonl", '{"text": "ok", "tags": []}\n{"text": \n')

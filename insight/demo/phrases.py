"""Text templates with slots: the shared phrase banks and the one function that fills them.

A template is a string with ``{slot}`` markers; each marker is replaced by a random choice
from the slot's bank, and a choice may itself contain markers (filled recursively). Topics
bring their own banks; the shared ones (greetings, versions, sign-offs, people, places)
are available to every template. Varied wording comes from composing several filled
sentences per post, so exact duplicates stay rare.

The banks live in ``data/phrases.toml`` (``[slots]``, the personal-data sentences in
``[pii]``, the composers' fixed lines in ``[lines]``), read once through ``banks``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

from insight.demo import banks

Slots = Mapping[str, Sequence[str]]

_MARKER = re.compile(r"\{(\w+)\}")

_PHRASES = banks.read("phrases.toml")
# The banks every template may use; a topic's own slots take precedence (see ``fill``).
SHARED: dict[str, tuple[str, ...]] = _PHRASES.slots("slots")
_PII = _PHRASES.table("pii")
_PII_TEMPLATES = _PII.texts("templates")
_PII_SLOTS = _PII.slots("slots")
# Fixed lines the post composers pick from (phrases.toml [lines]).
LINES = _PHRASES.table("lines")


def fill(template: str, rng: random.Random, slots: Slots | None = None) -> str:
    """``template`` with every ``{slot}`` replaced by a random choice, recursively.

    Topic ``slots`` take precedence over the shared banks; an unknown slot name raises
    ``KeyError`` so a typo in a template fails loudly in the tests, not silently in a demo.
    """
    own = slots or {}

    def pick(match: re.Match[str]) -> str:
        name = match.group(1)
        options = own[name] if name in own else SHARED[name]
        return fill(rng.choice(options), rng, own)

    return _MARKER.sub(pick, template)


def pick_fill(templates: Sequence[str], rng: random.Random, slots: Slots | None = None) -> str:
    """One template chosen at random, filled."""
    return fill(rng.choice(templates), rng, slots)


def join(*parts: str) -> str:
    """Sentences joined by single spaces, empty parts skipped."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def put(template: str, **values: str) -> str:
    """``template`` with the named markers replaced by ``values``, others left as they are.

    Unlike ``fill`` it draws nothing, so inserting a value already chosen leaves the random
    stream, and with it the rest of the demo, as it was.
    """
    return _MARKER.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def maybe(rng: random.Random, probability: float, template: str, slots: Slots | None = None) -> str:
    """The filled template with ``probability``, else the empty string."""
    # Draw the coin first and always, so the random stream does not depend on the template.
    hit = rng.random() < probability
    return fill(template, rng, slots) if hit else ""


def pii_sentence(rng: random.Random) -> str:
    """A sentence carrying an email address, a phone number or a person's full name."""
    return pick_fill(_PII_TEMPLATES, rng, _PII_SLOTS)

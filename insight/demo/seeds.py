"""Story seed examples a researcher would confirm: six per taxonomy tag, plus non-stories.

Written by hand, not from the generator's templates, so a tagger trained on these is
tested on stories it has not seen the wording of. Non-stories carry an empty tag list:
they show what to leave untagged (thanks, questions, announcements).

The seeds are in ``data/story_seeds.jsonl``, one ``{"text", "tags"}`` record a line, in the
form ``Community.write`` puts them in ``story_seeds.jsonl``; they are read once through ``banks``.
"""

from __future__ import annotations

from insight.demo import banks

_FILE = "story_seeds.jsonl"


def _seed(record: banks.Table) -> tuple[str, tuple[str, ...]]:
    record.only("text", "tags")
    tags = record.value("tags")
    # Unlike a slot bank, a tag list may be empty: that is what a non-story looks like.
    return record.text("text"), () if tags == [] else record.texts("tags")


SEEDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(_seed(record) for record in banks.read_records(_FILE))


def seed_rows() -> list[dict[str, object]]:
    """The seeds as canonical ``{"text", "tags"}`` rows."""
    return [{"text": text, "tags": list(tags)} for text, tags in SEEDS]

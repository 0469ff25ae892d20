"""The written story sets, read from the model store: ``story_tagger/sets/`` beside the detector they trained.

- ``detect_train.jsonl``: stories and non-stories written to train the detector;
- ``taxonomy_dev.toml`` + ``dev_examples.jsonl``: the development taxonomy and its seed and test rows
  (every parameter was chosen on it; the detector trains on it too);
- ``taxonomy_heldout.toml`` + ``heldout_examples.jsonl``: a taxonomy of another community, only ever
  measured (``evaluate``), never trained or tuned on.
- ``taxonomy_outcomes.toml`` + ``outcomes_examples.jsonl`` (issue 16): 8 tags about member outcomes
  across hobby, gaming, open source, B2B SaaS and local groups, 6 seeds per tag, 63 test stories
  and 28 non-stories, frozen in commit 353df55 and only measured; ``*_outcomes_dev*`` is its
  development copy (same tags and seeds, 18 other stories and 10 non-stories) that may be tuned on.

They live with the weights, not with the tests, because they are what the weights and the
figures of ``models/story_tagger/CARD.md`` come from; the tests read them from there too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from insight.model_store import ModelStore, model_store
from insight.stories.taxonomy import Taxonomy, load_taxonomy

SETS = ("story_tagger", "sets")


def folder(store: ModelStore | None = None) -> Path:
    """The sets' folder in the model store.

    Raises:
        ModelError: E301 when the store has no such folder (it names the path and the setting).
    """
    return (store or model_store()).path(*SETS)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_written(name: str, where: Path | None = None) -> tuple[Taxonomy, list[dict[str, Any]]]:
    """The taxonomy and the rows (``split``: seed or test) of the written set ``name`` (dev, heldout)."""
    where = where or folder()
    return load_taxonomy(where / f"taxonomy_{name}.toml"), read_jsonl(where / f"{name}_examples.jsonl")

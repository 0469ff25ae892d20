"""Saving without pickle: a loaded model transforms and describes exactly like the saved one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from insight.errors import ModelError
from insight.topics.model import TopicModel
from tests.support.topics import Sample


@pytest.mark.slow
def test_persist_load_gives_identical_transform_and_topics(banking: Sample, fitted: TopicModel,
                                                           tmp_path: Path) -> None:
    folder = fitted.save(tmp_path / "topics")
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.safetensors", "model.json"]
    assert b"pickle" not in (folder / "arrays.safetensors").read_bytes()[:200]
    loaded = TopicModel.load(folder)
    for a, b in zip(fitted.transform(banking.embeddings), loaded.transform(banking.embeddings), strict=True):
        assert np.array_equal(a, b)
    assert loaded.topic_info == fitted.topic_info
    assert loaded.topic_words(25) == fitted.topic_words(25)
    assert loaded.lineage_ == fitted.lineage_ and loaded.next_id_ == fitted.next_id_
    # A loaded model as the previous one of a refit: tests/cli/test_topics.py (--previous).


@pytest.mark.slow
def test_persist_rejects_incomplete_or_foreign_folders(fitted: TopicModel, tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        TopicModel.load(tmp_path / "nothing")
    assert err.value.code == "E306"
    folder = fitted.save(tmp_path / "topics")
    meta = json.loads((folder / "model.json").read_text())
    (folder / "model.json").write_text(json.dumps({**meta, "format": 99}))
    with pytest.raises(ModelError) as err:
        TopicModel.load(folder)
    assert err.value.code == "E307"


def test_persist_unfitted_model_cannot_be_saved(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        TopicModel().save(tmp_path / "x")
    assert err.value.code == "E302"

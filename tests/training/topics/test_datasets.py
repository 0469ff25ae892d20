"""Evaluation corpora: missing data is a coded error; embeddings are cached and reused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from insight.errors import InputError
from insight.training.topics.datasets import (
    LabelledCorpus,
    cache_dir,
    corpus_embeddings,
    load_20newsgroups,
    load_banking77,
)


@pytest.mark.parametrize("loader", [load_20newsgroups, load_banking77])
def test_datasets_missing_data_names_the_folder(loader, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as err:
        loader(tmp_path)
    assert err.value.code == "E611" and str(tmp_path) in str(err.value)


@pytest.mark.slow
def test_datasets_embeddings_are_cached_by_file_and_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSIGHT_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "train.csv"
    source.write_text("text,category\nmy card is blocked,card\n")
    corpus = LabelledCorpus("tiny", ["my card is blocked", "transfer failed"], np.array([0, 1]), source)
    first = corpus_embeddings(corpus)
    assert first.shape == (2, 384) and len(list(cache_dir().iterdir())) == 1
    assert np.array_equal(corpus_embeddings(corpus), first)
    source.write_text("text,category\nsomething else,x\n")  # another file: another cache entry
    corpus_embeddings(corpus)
    assert len(list(cache_dir().iterdir())) == 2

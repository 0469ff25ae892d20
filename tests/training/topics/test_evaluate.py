"""The evaluation's reference corpus: words read as lemmas, so topic words match their inflections."""

from __future__ import annotations

import pytest

from insight.training.topics.evaluate import quality, reference_corpus


def test_datasets_reference_corpus_reads_words_as_lemmas() -> None:
    corpus, lemma_of = reference_corpus(["My cards were declined", "The card declined again", "transfer pending"])
    assert corpus[0] == ["card", "declined"] or corpus[0] == ["card", "decline"]
    scores = quality([["cards", "declined"]], corpus, lemma_of)
    assert scores["npmi"] > 0 and scores["diversity"] == pytest.approx(2 / 25)

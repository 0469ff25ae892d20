"""c-TF-IDF over a lemmatised vocabulary, accumulated in batches so memory stays flat.

The vocabulary is learned from the fit sample; term counts per topic are then summed batch by
batch over every document (a million posts never sit in one sparse matrix). Weights follow
BERTopic's class-based TF-IDF: ``tf_tc / sum_t tf_tc * log(1 + A / f_t)``, where A is the mean
number of words per topic. Words seen once in a topic rank after every word seen at least twice:
a word seen once has the highest idf of all and would crowd out the words the topic is about,
but a short topic still gets a full list.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from insight.topics.text import lemmatize, tokenize


class TopicTerms:
    """Vocabulary (term -> lemma column) and per-topic lemma counts.

    Args:
        min_df: a term must occur in this many fit documents.
        max_features: keep at most this many terms (most frequent first).
    """

    def __init__(self, min_df: int = 2, max_features: int = 30000) -> None:
        self.min_df = min_df
        self.max_features = max_features

    def fit_counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn the vocabulary from ``texts`` and return their documents x lemmas counts.

        The counts come from the same pass, so the fit sample is tokenised only once.
        """
        min_df = self.min_df if len(texts) >= 10 * self.min_df else 1
        vectorizer = CountVectorizer(analyzer=tokenize, min_df=min_df, max_features=self.max_features)
        matrix = vectorizer.fit_transform(texts)
        terms = sorted(vectorizer.vocabulary_)
        lemma_of = lemmatize(terms)
        self.set_vocabulary(terms, [lemma_of[t] for t in terms])
        columns = np.asarray([vectorizer.vocabulary_[t] for t in terms])  # learned order -> sorted order
        return (matrix[:, columns] @ self._merge).tocsr()

    def set_vocabulary(self, terms: Sequence[str], lemmas: Sequence[str]) -> None:
        """Rebuild from saved lists (``load``): term i counts towards lemma ``lemmas[i]``."""
        self.terms_ = list(terms)
        self.lemmas_ = sorted(set(lemmas))
        column = {w: i for i, w in enumerate(self.lemmas_)}
        self.term_lemma_ = [lemmas[i] for i in range(len(terms))]
        self._vectorizer = CountVectorizer(analyzer=tokenize, vocabulary={t: i for i, t in enumerate(self.terms_)})
        self._merge = sparse.csr_matrix(
            (np.ones(len(terms), dtype=np.float32), (list(range(len(terms))), [column[w] for w in lemmas])),
            shape=(len(terms), len(self.lemmas_)))

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Documents x lemmas counts."""
        return (self._vectorizer.transform(texts) @ self._merge).tocsr()

    def topic_counts(self, texts: Sequence[str], rows: np.ndarray, n_rows: int) -> sparse.csr_matrix:
        """Lemma counts summed per row index (``rows[i]`` is the topic row of text i; -1 is skipped)."""
        return sum_rows(self.counts(texts), rows, n_rows)


def sum_rows(counts: sparse.csr_matrix, rows: np.ndarray, n_rows: int) -> sparse.csr_matrix:
    """Document counts summed into ``n_rows`` groups (``rows[i]`` for document i; -1 is skipped)."""
    keep = rows >= 0
    indicator = sparse.csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (rows[keep], np.flatnonzero(keep))),
                                  shape=(n_rows, counts.shape[0]))
    return (indicator @ counts).tocsr()


def idf(counts: sparse.csr_matrix) -> np.ndarray:
    """``log(1 + A / f_t)`` from topic x lemma counts."""
    freq = np.asarray(counts.sum(axis=0), dtype=np.float64).ravel()
    mean_words = float(counts.sum()) / max(counts.shape[0], 1)
    return np.log(1.0 + mean_words / np.maximum(freq, 1.0))


def ctfidf(counts: sparse.csr_matrix, weights_idf: np.ndarray | None = None) -> np.ndarray:
    """Row x lemma weights (dense: a few hundred rows by tens of thousands of lemmas).

    ``weights_idf`` lets a slice of the corpus (one month, one channel) be weighed with the idf
    of the whole fit, so its words stay comparable with the topic's overall words.
    """
    dense = np.asarray(counts.todense(), dtype=np.float64)
    totals = dense.sum(axis=1, keepdims=True)
    tf = np.divide(dense, totals, out=np.zeros_like(dense), where=totals > 0)
    tf[dense < 2] *= 1e-6
    return tf * (idf(counts) if weights_idf is None else weights_idf)


def top_words(weights: np.ndarray, lemmas: Sequence[str], n: int) -> list[list[str]]:
    """The ``n`` highest-weighted lemmas per row; ties broken by lemma order (stable sort)."""
    out = []
    for row in weights:
        order = np.argsort(-row, kind="stable")[:n]
        out.append([lemmas[i] for i in order if row[i] > 0])
    return out

"""Topic quality as the BERTopic paper measures it (via OCTIS and gensim), plus agreement.

- ``npmi``: gensim's ``c_npmi`` coherence: boolean sliding windows of 10 tokens over the
  reference corpus (token positions kept, so windows span the same text), every pair of a
  topic's top-10 words, ``log((p(a,b) + eps) / (p(a) p(b))) / -log(p(a,b) + eps)``, averaged
  per topic and then over topics. A pair with a word the reference corpus never contains
  scores 0: no evidence either way (gensim would refuse it).
- ``diversity``: OCTIS ``TopicDiversity``: unique words among the top-25 words of all topics,
  divided by 25 x number of topics.
- ``nmi``: scikit-learn's normalised mutual information with the human labels, outliers (-1)
  counted as one more cluster, as they are for a reader.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

EPS = 1e-12
WINDOW = 10


def nmi(labels: Sequence[int], topics: Sequence[int]) -> float:
    return float(normalized_mutual_info_score(np.asarray(labels), np.asarray(topics)))


def outlier_share(topics: Sequence[int]) -> float:
    return float((np.asarray(topics) == -1).mean())


def diversity(topic_words: Sequence[Sequence[str]], top_k: int = 25) -> float:
    if not topic_words:
        return 0.0
    unique = {w for words in topic_words for w in list(words)[:top_k]}
    return len(unique) / (top_k * len(topic_words))


def npmi(topic_words: Sequence[Sequence[str]], corpus: Sequence[Sequence[str]], top_k: int = 10) -> float:
    """Mean NPMI coherence of the topics over ``corpus`` (tokenised documents)."""
    topics = [list(words)[:top_k] for words in topic_words if len(words) >= 2]
    vocab = sorted({w for words in topics for w in words})
    index = {w: i for i, w in enumerate(vocab)}
    single, joint, windows = _cooccurrence(corpus, index)
    scores = []
    for words in topics:
        pair_scores = []
        for a in range(len(words)):
            for b in range(a + 1, len(words)):
                i, j = index[words[a]], index[words[b]]
                if single[i] == 0 or single[j] == 0:
                    pair_scores.append(0.0)
                    continue
                p_ab = joint[i, j] / windows + EPS
                pmi = np.log(p_ab / ((single[i] / windows) * (single[j] / windows)))
                pair_scores.append(float(pmi / -np.log(p_ab)))
        scores.append(float(np.mean(pair_scores)))
    return float(np.mean(scores)) if scores else 0.0


def _cooccurrence(corpus: Sequence[Sequence[str]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, int]:
    """Windows containing each word, windows containing each pair, number of windows."""
    k = len(index)
    single = np.zeros(k, dtype=np.float64)
    joint = np.zeros((k, k), dtype=np.float64)
    windows = 0
    for tokens in corpus:
        n_windows = max(1, len(tokens) - WINDOW + 1)
        windows += n_windows
        hits = [(p, index[w]) for p, w in enumerate(tokens) if w in index]
        if not hits:
            continue
        cols = sorted({c for _, c in hits})
        col_of = {c: i for i, c in enumerate(cols)}
        marks = np.zeros((n_windows + 1, len(cols)), dtype=np.int32)
        for p, c in hits:  # the token at p lies in windows p-9 .. p
            marks[max(0, p - WINDOW + 1), col_of[c]] += 1
            marks[min(p, n_windows - 1) + 1, col_of[c]] -= 1
        present = (np.cumsum(marks, axis=0)[:n_windows] > 0).astype(np.float64)
        single[cols] += present.sum(axis=0)
        joint[np.ix_(cols, cols)] += present.T @ present
    return single, joint, windows

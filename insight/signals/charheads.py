"""The lexical half of the safety classifier: logistic heads on hashed character n-grams.

The sentence embedding knows what a post is about but blurs the words that make it unsafe
("pills", "the rope", "or I'll come to your office"); character 2-5-grams keep them, and
survive misspellings and obfuscation ("k*ll", "unalive"). Hashing needs no vocabulary file:
only the weights of the n-gram slots the training text touched are stored
(``safety_chars.safetensors``: slot indices, one weight column per category, biases).
The scorer averages these probabilities with the embedding head's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

CHARS = "safety_chars.safetensors"
N_FEATURES = 2**18


def vectorizer():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), alternate_sign=False, norm="l2",
                             n_features=N_FEATURES, lowercase=True)


@dataclass(frozen=True)
class CharHeads:
    slots: np.ndarray  # (k,) int64: the hashed n-gram columns with a weight
    weights: np.ndarray  # (k, labels)
    bias: np.ndarray  # (labels,)

    @cached_property
    def _vectorizer(self):  # type: ignore[no-untyped-def]
        return vectorizer()

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """(n, labels) probabilities."""
        features = self._vectorizer.transform(list(texts))[:, self.slots]
        return 1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias)))

    @classmethod
    def from_dense(cls, coef: np.ndarray, bias: np.ndarray) -> CharHeads:
        """From (labels, N_FEATURES) coefficients: keep the columns any label uses."""
        slots = np.flatnonzero(np.abs(coef).sum(0) > 0)
        return cls(slots.astype(np.int64), coef[:, slots].T.astype(np.float32).copy(), bias.astype(np.float32))

    def save(self, path: Path) -> None:
        import torch
        from safetensors.torch import save_file

        save_file({"slots": torch.from_numpy(self.slots), "weights": torch.from_numpy(self.weights),
                   "bias": torch.from_numpy(self.bias)}, str(path))

    @classmethod
    def load(cls, path: Path) -> CharHeads:
        from safetensors.numpy import load_file

        data = load_file(str(path))
        return cls(data["slots"], data["weights"], data["bias"])

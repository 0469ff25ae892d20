"""Labelled evaluation corpora (20 Newsgroups, Banking77) and a disk cache of their embeddings.

Encoding 11k long posts with MiniLM on two CPU cores takes minutes, so embeddings are cached
under ``~/.cache/insight/embeddings/`` keyed by the data file's hash and the model; a missing
cache is simply recomputed (nothing depends on it existing).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from insight.errors import InputError


@dataclass(frozen=True)
class LabelledCorpus:
    name: str
    texts: list[str]
    labels: np.ndarray
    source: Path


def load_20newsgroups(data_dir: Path) -> LabelledCorpus:
    """The train split: subject line and body (raw, as posted), non-empty bodies only."""
    path = Path(data_dir) / "20newsgroups" / "train.jsonl.gz"
    if not path.exists():
        raise InputError("E611", path=path, dataset="20newsgroups")
    texts, labels = [], []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not row["body"].strip():
                continue  # 18 empty bodies: nothing to cluster
            texts.append(f"{row['subject']}\n{row['body']}".strip())
            labels.append(int(row["label"]))
    return LabelledCorpus("20newsgroups", texts, np.asarray(labels), path)


def load_banking77(data_dir: Path) -> LabelledCorpus:
    path = Path(data_dir) / "banking77" / "train.csv"
    if not path.exists():
        raise InputError("E611", path=path, dataset="banking77")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = sorted({r["category"] for r in rows})
    index = {n: i for i, n in enumerate(names)}
    return LabelledCorpus("banking77", [r["text"] for r in rows], np.asarray([index[r["category"]] for r in rows]),
                          path)


LOADERS = {"20newsgroups": load_20newsgroups, "banking77": load_banking77}


def cache_dir() -> Path:
    return Path(os.environ.get("INSIGHT_CACHE_DIR", Path.home() / ".cache" / "insight")) / "embeddings"


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def corpus_embeddings(corpus: LabelledCorpus, model: str = "") -> np.ndarray:
    """Embeddings of ``corpus.texts`` with the packaged MiniLM (or ``model``), cached on disk."""
    from insight.signals.embedder import encode, resolve

    _, display = resolve(model)
    key = hashlib.sha256(f"{_file_hash(corpus.source)}|{display}|{len(corpus.texts)}".encode()).hexdigest()[:20]
    path = cache_dir() / f"{corpus.name}-{key}.npy"
    if path.exists():
        cached = np.load(path)
        if cached.shape[0] == len(corpus.texts):
            return cached
    vectors = encode(corpus.texts, model)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    tmp.replace(path)  # atomic: a killed run never leaves a truncated cache
    return vectors

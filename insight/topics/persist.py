"""Save and load a TopicModel without pickle: arrays in safetensors, everything else in JSON.

A folder holds ``arrays.safetensors`` (centroids, ids, sizes, term counts as CSR parts) and
``model.json`` (settings, vocabulary and lemmas, words, labels, lineage). Loading runs no code
from the files, and a loaded model's ``transform`` equals the saved one's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from insight.errors import ModelError
from insight.topics.ctfidf import TopicTerms
from insight.topics.identity import Lineage

if TYPE_CHECKING:
    from insight.topics.model import TopicModel

FORMAT = 1
PARAMS = ("seed", "min_topic_size", "min_topic_share", "umap_neighbors", "umap_components", "outlier_threshold",
          "max_fit_docs", "n_words", "batch_size")


def to_parts(model: TopicModel) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """(arrays, metadata): what ``save`` writes, for a folder or a database row."""
    counts = model.term_counts_.tocsr()
    arrays = {
        "centroids": np.ascontiguousarray(model.centroids_, dtype=np.float32),
        "topic_ids": model.topic_ids_.astype(np.int64),
        "sizes": model.sizes_.astype(np.int64),
        "counts_data": counts.data.astype(np.float32),
        "counts_indices": counts.indices.astype(np.int64),
        "counts_indptr": counts.indptr.astype(np.int64),
    }
    meta = {
        "format": FORMAT,
        "params": {name: getattr(model, name) for name in PARAMS},
        "next_id": model.next_id_, "refit": model.refit_, "n_outliers": model.n_outliers_,
        "terms": model.terms_.terms_, "term_lemmas": model.terms_.term_lemma_,
        "topics": [{"topic": t, "label": model.labels_[t], "words": list(model.words_[t]),
                    "representatives": list(model.representatives_.get(t, ()))} for t in model.words_],
        "lineage": [e.as_dict() for e in model.lineage_],
    }
    return arrays, meta


def to_bytes(model: TopicModel) -> tuple[bytes, dict[str, object]]:
    """(safetensors bytes of the arrays, metadata): a model as one database row holds it."""
    from safetensors.numpy import save

    arrays, meta = to_parts(model)
    return save(arrays), meta


def from_bytes(data: bytes, meta: dict[str, object], model_class: type[TopicModel], where: str) -> TopicModel:
    from safetensors.numpy import load

    return from_parts(load(data), meta, model_class, where)


def save(model: TopicModel, path: Path) -> Path:
    from safetensors.numpy import save_file

    path.mkdir(parents=True, exist_ok=True)
    arrays, meta = to_parts(model)
    save_file(arrays, str(path / "arrays.safetensors"))
    (path / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def load(path: Path, model_class: type[TopicModel]) -> TopicModel:
    """A saved model, rebuilt as ``model_class`` (``TopicModel.load`` passes itself: no import back)."""
    from safetensors.numpy import load_file

    for name in ("model.json", "arrays.safetensors"):
        if not (path / name).is_file():
            raise ModelError("E306", path=path, what=name)
    meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
    return from_parts(load_file(str(path / "arrays.safetensors")), meta, model_class, str(path))


def from_parts(arrays: dict[str, np.ndarray], meta: dict[str, Any], model_class: type[TopicModel],
               where: str) -> TopicModel:
    if meta.get("format") != FORMAT:
        raise ModelError("E307", path=where, found=meta.get("format"), expected=FORMAT)
    model = model_class(**meta["params"])
    model.centroids_ = arrays["centroids"]
    model.topic_ids_ = arrays["topic_ids"]
    model.sizes_ = arrays["sizes"]
    model.terms_ = TopicTerms()
    model.terms_.set_vocabulary(meta["terms"], meta["term_lemmas"])
    model.term_counts_ = sparse.csr_matrix(
        (arrays["counts_data"], arrays["counts_indices"], arrays["counts_indptr"]),
        shape=(len(model.topic_ids_), len(model.terms_.lemmas_)))
    model.next_id_, model.refit_, model.n_outliers_ = meta["next_id"], meta["refit"], meta["n_outliers"]
    model.words_ = {int(t["topic"]): tuple(t["words"]) for t in meta["topics"]}
    model.labels_ = {int(t["topic"]): t["label"] for t in meta["topics"]}
    model.representatives_ = {int(t["topic"]): tuple(t["representatives"]) for t in meta["topics"]}
    model.lineage_ = [Lineage.from_dict(e) for e in meta["lineage"]]
    return model

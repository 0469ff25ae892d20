"""Topic use-cases: fit topics on a file (optionally refitting a saved model), assign new posts.

Texts are redacted before they are embedded or counted, so names never become topic words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np

from insight.config import Settings
from insight.records import Doc, Provenance
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.services.batch import BatchSummary, read_docs, write_jsonl
from insight.topics.model import TopicModel

STAGE = "insight.topics.v2"
MODEL_NAME = "insight TopicModel (UMAP + HDBSCAN + centroid assignment + c-TF-IDF)"
EMBED_STAGES = ("insight.redact.v1", "insight.embed.v1")


def embed_docs(docs: Sequence[Doc], settings: Settings, run_id: str) -> list[Doc]:
    """Redacted and embedded docs (redaction first, so names never become topic words)."""
    return Pipeline.from_names(EMBED_STAGES, StageContext(settings, run_id)).run(docs)


def provenance(context: StageContext) -> Provenance:
    revision = f"umap-learn {version('umap-learn')}, hdbscan {version('hdbscan')}"
    return context.provenance(STAGE, MODEL_NAME, revision)


def fit_topics(docs: Sequence[Doc], settings: Settings, seed: int | None = None,
               previous: TopicModel | None = None) -> TopicModel:
    cfg = settings.topics
    model = TopicModel(seed=cfg.seed if seed is None else seed, min_topic_size=cfg.min_topic_size,
                       min_topic_share=cfg.min_topic_share, umap_neighbors=cfg.umap_neighbors,
                       umap_components=cfg.umap_components, outlier_threshold=cfg.outlier_threshold,
                       max_fit_docs=cfg.max_fit_docs)
    return model.fit([d.redacted or d.text for d in docs], np.stack([d.embedding for d in docs]), previous=previous)


def _rows(docs: Sequence[Doc], topics: np.ndarray, probabilities: np.ndarray):  # type: ignore[no-untyped-def]
    return ({"id": d.id, "topic": int(t), "probability": float(p)}
            for d, t, p in zip(docs, topics, probabilities, strict=True))


def topics_fit_file(path: Path, output: Path, *, settings: Settings, run_id: str, topics_out: Path | None = None,
                    seed: int | None = None, save: Path | None = None, previous: Path | None = None) -> BatchSummary:
    """``insight topics fit`` (PRODUCT.md): one row per post, the topics file, optionally the model."""
    summary = BatchSummary(output=str(output), run_id=run_id)
    old = TopicModel.load(previous) if previous is not None else None
    docs = embed_docs(read_docs(path, summary), settings, run_id)
    model = fit_topics(docs, settings, seed, previous=old)
    summary.written = write_jsonl(output, _rows(docs, model.topics_, model.probabilities_))
    info = model.topic_info
    summary.extra = {"topics": sum(1 for t in info if t.topic != -1),
                     "outlier_share": round(float((model.topics_ == -1).mean()), 4)}
    if old is not None:
        events = [e for e in model.lineage_ if e.refit == model.refit_]
        summary.extra["lineage"] = {k: sum(e.kind == k for e in events) for k in ("kept", "split", "merged", "new")}
    if topics_out is not None:
        rows = [{**t.as_dict(), "representatives": [docs[i].id for i in t.representatives]} for t in info]
        topics_out.parent.mkdir(parents=True, exist_ok=True)
        topics_out.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        summary.extra["topics_out"] = str(topics_out)
    if save is not None:
        summary.extra["model"] = str(model.save(save))
    return summary


def topics_assign_file(path: Path, output: Path, *, settings: Settings, run_id: str, model_dir: Path) -> BatchSummary:
    """``insight topics assign``: new posts onto a saved model's topics, no refit."""
    summary = BatchSummary(output=str(output), run_id=run_id)
    model = TopicModel.load(model_dir)
    docs = embed_docs(read_docs(path, summary), settings, run_id)
    topics, probabilities = model.transform(np.stack([d.embedding for d in docs]))
    summary.written = write_jsonl(output, _rows(docs, topics, probabilities))
    summary.extra = {"outlier_share": round(float((topics == -1).mean()), 4), "model": str(model_dir)}
    return summary

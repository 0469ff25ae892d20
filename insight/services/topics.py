"""Topic use-cases: fit topics on a file (optionally refitting a saved model), assign new posts.

Texts are redacted before they are embedded or counted, so names never become topic words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from insight.config import Settings
from insight.errors import ModelError
from insight.records import Doc, Provenance
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.services.batch import BatchSummary, read_docs, write_jsonl
from insight.storage import embeddings as stored_embeddings
from insight.storage import topics as topic_store
from insight.storage.db import session_scope
from insight.topics import persist
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


# --------------------------------------------------------------------------- stored posts (insight analyse)


def _model_params(settings: Settings) -> dict[str, Any]:
    cfg = settings.topics
    return {"seed": cfg.seed, "min_topic_size": cfg.min_topic_size, "min_topic_share": cfg.min_topic_share,
            "umap_neighbors": cfg.umap_neighbors, "umap_components": cfg.umap_components,
            "outlier_threshold": cfg.outlier_threshold, "max_fit_docs": cfg.max_fit_docs}


def stored_model(engine: Engine) -> TopicModel | None:
    """The newest topic model ``insight analyse`` stored, or None before the first fit."""
    with session_scope(engine) as session:
        found = topic_store.latest_topic_model(session)
    if found is None:
        return None
    run_id, meta, arrays = found
    return persist.from_bytes(arrays, meta, TopicModel, f"topic model of run {run_id}")


def _assign(engine: Engine, model: TopicModel, pks: Sequence[int], prov: Provenance, batch: int,
            progress: Callable[[int], None]) -> int:
    """Assign posts to ``model``'s topics from their stored embeddings, a batch at a time; returns outliers."""
    outliers = 0
    for start in range(0, len(pks), batch):
        chunk = list(pks[start : start + batch])
        with session_scope(engine) as session:
            vectors = stored_embeddings.embeddings(session, chunk)
            found = [pk for pk in chunk if pk in vectors]
            topics, sims = model.transform(np.stack([vectors[pk] for pk in found])) if found else ([], [])
            topic_store.save_assignments(session, [(pk, int(t), float(s)) for pk, t, s in
                                                   zip(found, topics, sims, strict=True)], prov)
        outliers += int(sum(1 for t in topics if t == -1))
        progress(len(chunk))
    return outliers


def _fit_stored(engine: Engine, settings: Settings, previous: TopicModel | None, run_id: str) -> TopicModel:
    """Fit on a seeded sample of at most ``max_fit_docs`` stored posts (never all of them: memory stays
    flat); a refit starts from ``previous`` so topic ids are kept."""
    with session_scope(engine) as session:
        pks = topic_store.embedded_posts(session)
    rng = np.random.default_rng(settings.topics.seed)
    sample = sorted(rng.choice(pks, size=min(len(pks), settings.topics.max_fit_docs), replace=False).tolist())
    with session_scope(engine) as session:
        vectors = stored_embeddings.embeddings(session, sample)
        texts = topic_store.redacted_texts(session, sample)
    model = TopicModel(**_model_params(settings))
    model.fit([texts[pk] for pk in sample], np.stack([vectors[pk] for pk in sample]), previous=previous)
    arrays, meta = persist.to_bytes(model)
    with session_scope(engine) as session:
        topic_store.save_topic_model(session, run_id, meta, arrays, datetime.now(UTC))
    return model


def update_stored_topics(engine: Engine, settings: Settings, context: StageContext, *, refit: bool = False,
                         progress: Callable[[int], None] = lambda n: None) -> dict[str, Any]:
    """Topics of stored posts from their stored embeddings: new posts go to the newest model's topics;
    the model is (re)fitted first when there is none, on ``refit``, or when more than
    ``[topics] refit_outlier_share`` of the new posts are far from every topic. Never encodes a post."""
    prov = provenance(context)
    previous = stored_model(engine)
    with session_scope(engine) as session:
        new = topic_store.embedded_posts(session, unassigned=True)
    if not new and not refit:
        return {"topics": _count(previous), "assigned": 0, "refit": False, "outlier_share": None}
    batch = max(1000, settings.pipeline.batch_size * 8)
    model, refitted, outliers, assigned = previous, False, 0, new
    if model is not None and not refit:
        outliers = _assign(engine, model, new, prov, batch, progress)
        refit = len(new) >= settings.topics.min_topic_size and outliers / len(new) > settings.topics.refit_outlier_share
    if model is None or refit:
        try:
            model, refitted = _fit_stored(engine, settings, previous, context.run_id), True
        except ModelError as exc:
            if exc.code != "E303":
                raise
            # Too few posts for topics yet: the next run with more fits them (the rest of analyse goes on).
            return {"topics": _count(previous), "assigned": 0, "refit": False, "outlier_share": None,
                    "note": exc.message}
        with session_scope(engine) as session:
            topic_store.save_topics(session, [t.as_dict() for t in model.topic_info], [], prov)
            assigned = topic_store.embedded_posts(session)
        outliers = _assign(engine, model, assigned, prov, batch, progress)
    return {"topics": _count(model), "assigned": len(new), "refit": refitted,
            "outlier_share": round(outliers / len(assigned), 4) if assigned else 0.0}


def _count(model: TopicModel | None) -> int:
    return 0 if model is None else sum(1 for t in model.topic_info if t.topic != -1)

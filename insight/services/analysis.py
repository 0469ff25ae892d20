"""Analysis use-cases: score a file and analyse what is stored (topics on a file: services.topics)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from insight.config import Settings
from insight.privacy.redact import Redactor
from insight.records import Doc
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.services import consented
from insight.services.batch import BatchSummary, read_docs, write_jsonl
from insight.services.topics import fit_topics, provenance
from insight.signals.sentiment import polarity
from insight.storage import signals, topics
from insight.storage.db import session_scope


def score_record(doc: Doc) -> dict[str, Any]:
    """One output line of ``insight score`` (PRODUCT.md)."""
    assert doc.sentiment is not None and doc.safety is not None
    return {
        "id": doc.id,
        "sentiment": {"label": doc.sentiment.label,
                      "scores": {k: round(v, 4) for k, v in doc.sentiment.scores.items()}},
        "emotion": doc.emotion,  # None with the VADER baseline, which has no emotion head
        "toxicity": doc.toxicity,
        "safety": {"label": doc.safety.label, "category": doc.safety.category, "score": round(doc.safety.score, 4),
                   "evidence": doc.safety.evidence},
        "provenance": [p.as_dict() for p in doc.provenance],
    }


def score_file(path: Path, output: Path, *, settings: Settings, run_id: str) -> BatchSummary:
    summary = BatchSummary(output=str(output), run_id=run_id)
    docs = read_docs(path, summary)
    pipe = Pipeline.from_names(settings.pipeline.score_stages, StageContext(settings, run_id))
    summary.written = write_jsonl(output, (score_record(d) for d in pipe.pipe(docs)))
    return summary


def signal_rows(docs: Sequence[Doc], redactor: Redactor) -> list[dict[str, Any]]:
    """``signals`` table rows for scored docs whose ``id`` is the post's primary key.

    Evidence spans are shown to moderators later: they are stored redacted (a doxxed phone
    number is the evidence, and must not be shown again).
    """
    return [{
        "post_pk": int(d.id), "sentiment_label": d.sentiment.label, "sentiment_score": polarity(d.sentiment),
        "sentiment_scores": d.sentiment.scores, "emotion": d.emotion, "safety_label": d.safety.label,
        "safety_category": d.safety.category, "safety_score": d.safety.score,
        "safety_evidence": redactor.redact(d.safety.evidence).text if d.safety.evidence else None,
    } for d in docs if d.sentiment is not None and d.safety is not None]


def signals_provenance(pipe: Pipeline) -> Any:
    """The provenance stored with signals: the stage that assigns sentiment."""
    return next(s for s in pipe.stages if "doc.sentiment" in s.assigns).prov  # type: ignore[attr-defined]


def analyse_stored(engine: Engine, settings: Settings, run_id: str) -> dict[str, Any]:
    """Signals and topics for every stored, consented post; results stored with provenance."""
    with session_scope(engine) as session:
        stored = consented.stored_posts(session, settings.ingest.unknown_members)
    docs = [Doc(id=str(s.pk), text=s.post.text, post=s.post, redacted=s.text_redacted) for s in stored]
    context = StageContext(settings, run_id)
    pipe = Pipeline.from_config(context)
    docs = pipe.run(docs)
    redactor = Redactor.from_settings(settings.redaction)
    rows = signal_rows(docs, redactor)
    model = fit_topics(docs, settings)
    topic_prov = provenance(context)
    with session_scope(engine) as session:
        signals.save_signals(session, rows, signals_provenance(pipe))
        topics.save_topics(session, [t.as_dict() for t in model.topic_info],
                           [(int(d.id), int(t), float(p)) for d, t, p in
                            zip(docs, model.topics_, model.probabilities_, strict=True)], topic_prov)
    return {"posts": len(docs), "topics": sum(1 for t in model.topic_info if t.topic != -1),
            "outlier_share": round(float((model.topics_ == -1).mean()), 4),
            "unsafe_posts": sum(1 for d in docs if d.safety and d.safety.label == "unsafe")}


"""Analysis use-cases: score a file and analyse what is stored (topics on a file: services.topics).

Batch commands read CSV or JSONL with an ``id`` and a ``text`` column (``post_id`` is
accepted for ``id``); rows without usable text are reported with their line and the rest go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from insight.backends.sentiment import polarity
from insight.config import Settings
from insight.errors import InputError
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import read_canonical
from insight.records import Doc
from insight.redact import Redactor
from insight.runtime.pipeline import Pipeline
from insight.runtime.stage import StageContext
from insight.storage import repository as repo
from insight.storage.db import session_scope

EMBED_STAGES = ("insight.redact.v1", "insight.embed.v1")


@dataclass
class BatchSummary:
    """The one-line JSON summary a batch command prints."""

    rows: int = 0
    written: int = 0
    rejected: int = 0
    output: str = ""
    run_id: str = ""
    rejects: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {"rows": self.rows, "written": self.written, "rejected": self.rejected, "output": self.output,
               "run_id": self.run_id, **self.extra}
        if self.rejects:
            out["rejects"] = self.rejects[:20]  # the first few inline; enough to fix the file
        return out


def read_docs(path: Path, summary: BatchSummary) -> list[Doc]:
    """Docs from an id/text table; bad rows go to ``summary.rejects``.

    Raises:
        InputError: E601 missing file, E603 no usable rows.
    """
    if not path.exists():
        raise InputError("E601", path=path)
    docs: list[Doc] = []
    seen: set[str] = set()
    for row in read_canonical(path, "item"):
        summary.rows += 1
        problem = row if isinstance(row, Reject) else _check(row, seen)
        if problem is not None:
            summary.rejected += 1
            summary.rejects.append(problem.as_dict())
            continue
        assert isinstance(row, RawRow)
        row_id = str(row.data.get("id") if row.data.get("id") is not None else row.data["post_id"]).strip()
        seen.add(row_id)
        docs.append(Doc(id=row_id, text=str(row.data["text"]).strip()))
    if not docs:
        detail = f"{summary.rejected} rejected of {summary.rows}" if summary.rows else "the file has no rows"
        raise InputError("E603", path=path, detail=detail)
    return docs


def _check(row: RawRow, seen: set[str]) -> Reject | None:
    def reject(field_name: str, reason: Reason, detail: str) -> Reject:
        return Reject(row.source, reason, detail, field=field_name, line=row.line, pointer=row.pointer)

    row_id = row.data.get("id", row.data.get("post_id"))
    if row_id is None or not str(row_id).strip():
        return reject("id", Reason.MISSING_FIELD, "'id' is required")
    if str(row_id).strip() in seen:
        return reject("id", Reason.DUPLICATE_IN_INPUT, f"id '{row_id}' appears more than once")
    text = row.data.get("text")
    if not isinstance(text, str) or not text.strip():
        return reject("text", Reason.EMPTY_TEXT, "'text' is missing or empty")
    return None


def write_jsonl(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


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


def embed_docs(docs: Sequence[Doc], settings: Settings, run_id: str) -> list[Doc]:
    """Redacted and embedded docs (redaction first, so names never become topic words)."""
    return Pipeline.from_names(EMBED_STAGES, StageContext(settings, run_id)).run(docs)


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
        stored = repo.load_posts(session, unknown_members=settings.ingest.unknown_members)
    docs = [Doc(id=str(s.pk), text=s.post.text, post=s.post, redacted=s.text_redacted) for s in stored]
    context = StageContext(settings, run_id)
    pipe = Pipeline.from_config(context)
    docs = pipe.run(docs)
    redactor = Redactor.from_settings(settings.redaction)
    rows = signal_rows(docs, redactor)
    from insight.services.topics import fit_topics, provenance  # it imports this module's readers

    model = fit_topics(docs, settings)
    topic_prov = provenance(context)
    with session_scope(engine) as session:
        repo.save_signals(session, rows, signals_provenance(pipe))
        repo.save_topics(session, [t.as_dict() for t in model.topic_info],
                         [(int(d.id), int(t), float(p)) for d, t, p in
                          zip(docs, model.topics_, model.probabilities_, strict=True)], topic_prov)
    return {"posts": len(docs), "topics": sum(1 for t in model.topic_info if t.topic != -1),
            "outlier_share": round(float((model.topics_ == -1).mean()), 4),
            "unsafe_posts": sum(1 for d in docs if d.safety and d.safety.label == "unsafe")}


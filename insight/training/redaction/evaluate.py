"""Person-name redaction on the written sets: the project's redactor against Presidio's analyzer.

    python -m insight.training.redaction.evaluate --split test [--backends insight,presidio] [--out eval.json]

The sets are ``redaction/sets/{dev,test}.jsonl`` of the model store (``models/redaction/sets``;
``test`` frozen in commit 1064816 before any tuning, ``dev`` tuned on). Backends:

- ``insight``: ``insight.privacy.redact.Redactor`` as configured in ``[redaction]`` (every kind of
  span counts: a phone pattern firing on a product name is a false redaction too);
- ``presidio``: ``presidio-analyzer``'s ``AnalyzerEngine`` over the same packaged spaCy model,
  PERSON entities only (``pip install presidio-analyzer``; skipped with a note when absent).

Metrics: ``insight.training.redaction.metrics``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from insight.config import load_config
from insight.model_store import model_store
from insight.privacy.redact import Redactor
from insight.training.redaction.metrics import Backend, Example, Span, score

SPLITS = ("dev", "test")


def load_set(split: str, root: Path | None = None) -> list[Example]:
    path = (root / f"{split}.jsonl") if root else model_store().path("redaction", "sets", f"{split}.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(r["id"], r["text"], tuple(r["names"])) for r in rows]


def insight_backend(redactor: Redactor | None = None) -> Backend:
    settings = load_config()
    redactor = redactor or Redactor.from_settings(settings.redaction)

    def run(texts: Sequence[str]) -> list[list[Span]]:
        return [list(r.spans) for r in redactor.redact_many(texts)]

    return run


def presidio_backend(spacy_model: str) -> Backend:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": spacy_model}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def run(texts: Sequence[str]) -> list[list[Span]]:
        return [[(r.start, r.end, "PERSON") for r in engine.analyze(text=t, language="en", entities=["PERSON"])]
                for t in texts]

    return run


def evaluate(split: str, backends: Sequence[str], root: Path | None = None) -> dict[str, Any]:
    examples = load_set(split, root)
    texts = [e.text for e in examples]
    out: dict[str, Any] = {"split": split, "test_frozen_in": "1064816"}
    spacy_model = load_config().redaction.spacy_model
    for name in backends:
        if name == "insight":
            backend = insight_backend()
        elif name == "presidio":
            try:
                backend = presidio_backend(spacy_model)
            except ImportError:
                out[name] = {"skipped": "presidio-analyzer is not installed (pip install presidio-analyzer)"}
                continue
        else:
            raise SystemExit(f"unknown backend {name!r}; use insight or presidio")
        out[name] = score(examples, backend(texts))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Person-name redaction: precision, recall, false redactions "
                                                 "on the written sets (models/redaction/sets).")
    parser.add_argument("--split", choices=SPLITS, default="test", help="dev (tuned on) or test (frozen)")
    parser.add_argument("--backends", default="insight,presidio", help="comma-separated: insight, presidio")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    result = evaluate(args.split, [b for b in args.backends.split(",") if b])
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()

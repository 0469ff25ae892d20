"""Figures on the written sets, through the scoring path itself (rules on the raw post, the
scorer's safety probabilities, ``insight.safety.combine``).

    python -m insight.training.signals.evaluate_written --split test            # the frozen sets
    python -m insight.training.signals.evaluate_written --split dev --precision int8

Safety: recall per category and false alarms on the safe posts (by kind: dev idioms, gaming,
quoted abuse being reported, fiction, support offered, venting) for the rules alone, the
classifier alone and both combined. Forum sentiment: macro-recall of the scorer's label.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from insight.records import Safety
from insight.safety.combine import combine
from insight.safety.rules import assess_safety
from insight.signals.model import HEADS, SAFETY_LABELS
from insight.signals.scorer import SignalsScorer
from insight.training.signals.safety_eval import verdicts
from insight.training.signals.sentiment_fit import macro_recall
from insight.training.signals.sets import safety_split, sentiment_split

_NEVER = 2.0  # a threshold no probability reaches: the classifier is off


def safety_report(scorer: SignalsScorer, sets: Path, split: str, raw: list[str]) -> dict[str, object]:
    rows = safety_split(sets, split)
    y = np.array([r.labels for r in rows])
    scores = scorer.score(raw)
    probs = np.array([[s.safety[label] for label in SAFETY_LABELS] for s in scores])  # type: ignore[index]
    limit = scorer.safety_threshold
    threshold = _NEVER if limit is None else (
        np.array([limit[c] for c in SAFETY_LABELS]) if isinstance(limit, dict) else limit)
    rules = [assess_safety(t) for t in raw]
    final = [combine(r, s.toxicity, t, s.safety, limit) for r, s, t in zip(rules, scores, raw, strict=True)]
    rule_cats = [r.category for r in rules]
    report: dict[str, object] = {
        "threshold": limit,
        "rules_alone": verdicts(probs, rule_cats, y, _NEVER),
        "model_alone": verdicts(probs, [None] * len(rows), y, threshold),
        "combined": verdicts(probs, [f.category for f in final], y, _NEVER),
    }
    report["false_alarms_by_kind"] = _alarms_by_kind(rows, final)
    report["missed"] = [r.text for r, f in zip(rows, final, strict=True) if sum(r.labels) and f.label == "safe"]
    report["category_right"] = _category_right(rows, final)
    return report


def _alarms_by_kind(rows: list, final: list[Safety]) -> dict[str, str]:  # type: ignore[type-arg]
    total, flagged = Counter(), Counter()
    for row, verdict in zip(rows, final, strict=True):
        if not sum(row.labels):
            total[row.kind] += 1
            flagged[row.kind] += verdict.label == "unsafe"
    return {kind: f"{flagged[kind]}/{n}" for kind, n in sorted(total.items())}


def _category_right(rows: list, final: list[Safety]) -> str:  # type: ignore[type-arg]
    caught = [(r, f) for r, f in zip(rows, final, strict=True) if sum(r.labels) and f.label == "unsafe"]
    right = sum(f.category == SAFETY_LABELS[r.labels.index(1)] for r, f in caught)
    return f"{right}/{len(caught)}"


def sentiment_report(scorer: SignalsScorer, sets: Path, split: str, raw: list[str]) -> dict[str, object]:
    rows = sentiment_split(sets, split)
    index = {label: i for i, label in enumerate(HEADS["sentiment"])}
    pred = np.array([index[s.sentiment.label] for s in scorer.score(raw)])
    gold = np.array([r.label for r in rows])
    kinds = np.array([r.kind for r in rows])
    by_kind = {kind: round(float((pred[kinds == kind] == gold[kinds == kind]).mean()), 3)
               for kind in sorted(set(kinds))}
    return {"macro_recall": macro_recall(gold, pred), "accuracy_by_kind": by_kind}


def _raw(sets: Path, name: str) -> list[str]:
    return [json.loads(line)["text"] for line in (sets / name).read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    from insight.signals.scorer import default_weights_folder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, default=default_weights_folder())
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--precision", choices=("fp32", "int8"), default="fp32")
    args = parser.parse_args()
    sets = args.weights / "sets"
    scorer = SignalsScorer(args.weights, precision=args.precision)
    report = {"model": scorer.revision, "split": args.split,
              "safety": safety_report(scorer, sets, args.split, _raw(sets, f"safety_{args.split}.jsonl")),
              "forum_sentiment": sentiment_report(scorer, sets, args.split,
                                                  _raw(sets, f"sentiment_forum_{args.split}.jsonl"))}
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()

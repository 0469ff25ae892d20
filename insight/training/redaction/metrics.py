"""Person-name precision, recall and false redactions of one redactor on a written set.

A set line gives a text and ``names``, the exact substrings that are person names. Every
occurrence of a name (on word boundaries) is one gold name. A gold name is *found* when each of
its characters lies inside a redacted PERSON span; a PERSON span is *right* when it overlaps a
gold name. Any redacted span (of any kind) that touches no gold name is a *false redaction*: an
ordinary word hidden from the reader, which is what a moderator sees as "[PERSON] signature
verification fails".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int, str]
# A backend: texts in, per text the redacted spans (start, end, kind) out.
Backend = Callable[[Sequence[str]], list[list[Span]]]


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    names: tuple[str, ...]

    def gold(self) -> list[tuple[int, int]]:
        spans = set()
        for name in self.names:
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", self.text):
                spans.add(m.span())
        return sorted(spans)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _covered(gold: tuple[int, int], spans: Sequence[Span]) -> bool:
    return all(any(s <= i < e for s, e, k in spans if k == "PERSON") for i in range(*gold))


def score(examples: Sequence[Example], predicted: Sequence[Sequence[Span]]) -> dict[str, Any]:
    """Precision, recall, F1 of PERSON spans, and every false redaction with its post id and word."""
    gold_total = found = person_spans = right = 0
    false: list[dict[str, str]] = []
    missed: list[dict[str, str]] = []
    clean_changed = 0
    for example, spans in zip(examples, predicted, strict=True):
        gold = example.gold()
        gold_total += len(gold)
        for g in gold:
            if _covered(g, spans):
                found += 1
            else:
                missed.append({"id": example.id, "name": example.text[g[0]:g[1]]})
        wrong_here = [s for s in spans if not any(_overlaps((s[0], s[1]), g) for g in gold)]
        for s in spans:
            if s[2] == "PERSON":
                person_spans += 1
                right += s not in wrong_here
        false.extend({"id": example.id, "kind": s[2], "word": example.text[s[0]:s[1]]} for s in wrong_here)
        clean_changed += not gold and bool(spans)
    precision = right / person_spans if person_spans else 1.0
    recall = found / gold_total if gold_total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"posts": len(examples), "gold_names": gold_total, "found": found, "person_spans": person_spans,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "false_redactions": len(false), "posts_without_names_changed": clean_changed,
            "false_words": false, "missed_names": missed}

"""Safety from two sources: rules with evidence spans, and the safety classifier.

Rules (``insight.safety.rules``) find precise shapes (veiled threats, a named person beside a
phone number or street address) with the exact evidence span, and know dev idioms ("kill the
process") and quoted abuse being reported. The classifier (the signals model's multi-label
safety head on the sentence embedding, averaged with character n-gram heads) finds what no
phrase list can: plain statements of intent, conditional threats, pile-ons, hate framed as
opinion. It flags a post when a category reaches that category's threshold, chosen on the
written dev set (``models/signals/heads.json``; one number for every category in older heads).
The older hate and offensive heads still flag
only at high thresholds: OLID calls plain profanity offensive, and "this f***ing bug" is
frustration for the triage queue, not a safety case.
"""

from __future__ import annotations

from collections.abc import Mapping

from insight.records import Safety

HATE_THRESHOLD = 0.85
ABUSE_THRESHOLD = 0.95
EVIDENCE_CHARS = 200


Threshold = float | Mapping[str, float]  # one for every category, or one per category


def flagged_category(safety: Mapping[str, float], threshold: Threshold) -> str | None:
    """The category furthest over its threshold, or None when none reaches its own."""
    limits = threshold if isinstance(threshold, Mapping) else dict.fromkeys(safety, threshold)
    over = {c: p - limits[c] for c, p in safety.items() if c in limits and p >= limits[c]}
    return max(over, key=over.__getitem__) if over else None


def combine(rule: Safety, toxicity: dict[str, float], text: str, safety: dict[str, float] | None = None,
            threshold: Threshold | None = None) -> Safety:
    """The rule verdict when it fires; else the safety classifier's; else the hate/offensive heads'."""
    if rule.label == "unsafe":
        return rule
    evidence = text[:EVIDENCE_CHARS]
    if safety and threshold is not None:
        category = flagged_category(safety, threshold)
        if category is not None:
            return Safety(label="unsafe", category=category, score=round(safety[category], 4), evidence=evidence)
    hate, offensive = toxicity.get("hate", 0.0), toxicity.get("offensive", 0.0)
    if hate >= HATE_THRESHOLD:
        return Safety(label="unsafe", category="hate", score=round(hate, 4), evidence=evidence)
    if offensive >= ABUSE_THRESHOLD:
        return Safety(label="unsafe", category="harassment", score=round(offensive, 4), evidence=evidence)
    highest = max([hate, offensive, *(safety or {}).values()])
    return Safety(label="safe", category=None, score=round(highest, 4), evidence=None)

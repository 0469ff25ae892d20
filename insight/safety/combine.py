"""Safety from two sources: rules that catch what classifiers miss, and the classifier heads.

Rules (``insight.safety.rules``) find veiled threats, self-harm hints and doxxing with an
evidence span, and know dev idioms ("kill the process"). The hate and offensive heads add
abuse the rules have no pattern for. Thresholds are high on purpose: OLID calls plain
profanity offensive, and "this f***ing bug" is frustration for the triage queue, not a
safety case.
"""

from __future__ import annotations

from insight.records import Safety

HATE_THRESHOLD = 0.85
ABUSE_THRESHOLD = 0.95
EVIDENCE_CHARS = 200


def combine(rule: Safety, toxicity: dict[str, float], text: str) -> Safety:
    """The rule verdict when it fires; else the classifier's, above its threshold."""
    if rule.label == "unsafe":
        return rule
    hate, offensive = toxicity.get("hate", 0.0), toxicity.get("offensive", 0.0)
    evidence = text[:EVIDENCE_CHARS]
    if hate >= HATE_THRESHOLD:
        return Safety(label="unsafe", category="hate", score=round(hate, 4), evidence=evidence)
    if offensive >= ABUSE_THRESHOLD:
        return Safety(label="unsafe", category="harassment", score=round(offensive, 4), evidence=evidence)
    return Safety(label="safe", category=None, score=round(max(hate, offensive), 4), evidence=None)

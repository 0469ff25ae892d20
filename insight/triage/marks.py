"""What a moderator reads on a queue card besides the reasons: the evidence words marked for every
reason, the priority in words, and whether a stale question fades from the main list.

- Safety: the rule's own spans (stored with the item). Frustration: the words of the evidence posts
  that carry negative sentiment (VADER's lexicon, the words that move a lexicon score down; with a
  hub model it is the closest readable account). Excitement: the positive words. Unanswered: the
  question sentence(s) of the question post.
- ``priority_words`` re-tells ``insight.triage.rank``'s formula with the item's stored numbers.
- ``faded``: an item raised only as an unanswered question overdue longer than
  ``[triage] fade_unanswered_after_days`` is listed apart (still open, never hidden): such
  questions otherwise fill the queue (18 of 33 open items in the demo).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from insight.config import TriageSettings
from insight.triage.rank import SECONDARY_SHARE

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# A question sentence: back to the previous sentence end (a point inside "v2.1" is not one).
_QUESTION = re.compile(r"(?:[^.!?\n]|[.!](?=[^\s.!?]))*\?+")
# Lexicon words whose valence moves a sentence clearly (VADER's scale is -4..4).
STRONG = 1.5
LABELS = {"safety_concern": "safety concern", "rising_frustration": "rising frustration",
          "unanswered_question": "unanswered question", "amplify_excitement": "excitement worth amplifying"}


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return dict(SentimentIntensityAnalyzer().lexicon)


def sentiment_marks(text: str, *, negative: bool = True) -> list[list[int]]:
    """[start, end] of the words in ``text`` whose lexicon valence is strongly negative (or positive)."""
    lexicon, out = _lexicon(), []
    for match in _WORD.finditer(text):
        valence = lexicon.get(match.group().lower().replace("’", "'"))
        if valence is not None and (valence <= -STRONG if negative else valence >= STRONG):
            out.append([match.start(), match.end()])
    return out


def question_marks(text: str) -> list[list[int]]:
    """[start, end] of each question sentence (ending in "?"), surrounding spaces left out."""
    out = []
    for match in _QUESTION.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        if end - start > 1:
            out.append([start, end])
    return out


def reason_marks(reasons_by_post: Mapping[str, Sequence[str]], texts: Mapping[str, str]) -> dict[str, list[list[int]]]:
    """post id -> marks for the reasons it is evidence of (safety spans come stored, not from here)."""
    out: dict[str, list[list[int]]] = {}
    for post_id, reasons in reasons_by_post.items():
        text = texts.get(post_id)
        if text is None:
            continue
        spans: list[list[int]] = []
        if "rising_frustration" in reasons:
            spans += sentiment_marks(text, negative=True)
        if "amplify_excitement" in reasons:
            spans += sentiment_marks(text, negative=False)
        if "unanswered_question" in reasons:
            spans += question_marks(text)
        out[post_id] = spans
    return out


def evidence_reasons(details: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """post id -> the reasons whose evidence it is (from the item's stored signal details)."""
    out: dict[str, list[str]] = {}
    for detail in details:
        for post_id in detail.get("evidence", []) or []:
            out.setdefault(post_id, []).append(str(detail.get("reason")))
    return out


def priority_words(details: Sequence[Mapping[str, Any]], priority: float, settings: TriageSettings) -> list[str]:
    """The priority explained in sentences, from the stored per-reason strengths and the settings' weights."""
    by_reason = {d.get("reason"): d for d in details}
    if "safety_concern" in by_reason:
        score = float(by_reason["safety_concern"].get("score", 0.0))
        return [f"A safety concern always ranks first: priority is 1 + the rule's strength ({score:.2f}) "
                f"times reach and member context, here {priority:.2f}.",
                "Every non-safety item stays below 1, so this item sits above all of them."]
    parts = sorted(((settings.weight(r), float(d.get("score", 0.0)), r) for r, d in by_reason.items() if r),
                   key=lambda x: -x[0] * x[1])
    if not parts:
        return [f"No reason is raised now; the priority {priority:.2f} is from the last ranking."]
    weight, score, reason = parts[0]
    lead = weight * score
    words = [f"Strongest reason: {LABELS.get(reason, reason)}, strength {score:.2f} × urgency weight "
             f"{weight:g} = {lead:.2f}."]
    extra = SECONDARY_SHARE * sum(w * s for w, s, _ in parts[1:])
    if parts[1:]:
        names = ", ".join(LABELS.get(r, r) for _, _, r in parts[1:])
        words.append(f"Other reasons ({names}) add {SECONDARY_SHARE:.0%} of their strength: +{extra:.2f}.")
    base = lead + extra
    if base > 0 and abs(priority - base) > 0.005:
        words.append(f"Reach (participants, views) and member context (newcomer, at-risk cohort) and the soft cap "
                     f"turn {base:.2f} into {priority:.2f} (×{priority / base:.2f}).")
    threshold = settings.attention_threshold
    words.append(f"Items at or above {threshold:g} need attention; this one is "
                 f"{'above' if priority >= threshold else 'below'} it.")
    return words


def faded(reasons: Sequence[str], details: Sequence[Mapping[str, Any]], settings: TriageSettings) -> bool:
    """Raised only as an unanswered question, overdue longer than ``fade_unanswered_after_days`` (0: never)."""
    days = settings.fade_unanswered_after_days
    if days <= 0 or list(reasons) != ["unanswered_question"]:
        return False
    detail = next((d for d in details if d.get("reason") == "unanswered_question"), None)
    if detail is None:
        return False
    overdue_hours = float(detail.get("age_hours", 0.0)) - float(detail.get("sla_hours", 0.0))
    return overdue_hours / 24 > days

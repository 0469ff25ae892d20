"""Rule-based safety classifier: flags threats, self-harm hints, doxxing and harassment in a post.

The first version of the ``safety`` signal. It is precise by construction (each rule names a
phrase shape, not a bag of scary words), so developer idioms stay safe: "kill the process",
"kill -9", "this bug is killing me", "nuke the cache", "I'd kill for a dark mode" never match,
because every violent verb must have a *person* as its object ("you", "him", "your family").
A later model adds calibrated scores; these rules stay as a high-precision floor.

How it works:

1. Normalise: lower-case, straight quotes, collapsed whitespace, keeping a map back to the
   original characters so ``evidence`` is the exact span of the input that matched.
2. Try every rule's regex (word boundaries everywhere).
3. Drop a match if a dev idiom from ``DEV_IDIOMS`` overlaps it ("I'll shoot you a message",
   "I'll beat you to it"), or if the rule's own ``allow`` pattern matches its sentence or the
   one before ("Zombie processes? I'll kill them."), or if the rule ``requires`` context the
   text lacks.
4. The strongest surviving match decides ``category``, ``score`` and ``evidence``.

``score`` is the rule's confidence that the text is unsafe (0.0 for safe texts).

Trade-offs, chosen on purpose:

- Self-harm errs towards recall: a missed hint costs far more than a moderator dismissing
  "I'd rather kill myself than write PHP again". Only the phrase "can't do this anymore" is
  ambiguous enough to need despair words elsewhere in the post ("everything", "hopeless",
  "nobody would notice"): "I can't do this anymore with Webpack" stays safe.
- "You'll regret this" is a veiled threat unless the same sentence is about engineering
  advice ("skip the tests and you'll regret it").
- No slur or insult lexicon: abusive-language detection is the model's job, and a word list
  would put slurs into the code and the fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from insight.records import Safety
from insight.safety import doxxing
from insight.safety.patterns import CATEGORIES, DEV_IDIOMS, RULES, Rule

# The rule table is re-exported: callers and tests read it from here.
__all__ = ["CATEGORIES", "DEV_IDIOMS", "RULES", "RULES_VERSION", "Hit", "Rule", "assess_safety", "find_hits",
           "normalise"]

# Bump when a rule changes: stored safety signals name the rules version that made them.
RULES_VERSION = "2026.12.1"


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE_END = re.compile(r"[.!?;\n]")
_IDIOM_WINDOW = 40  # chars around a match in which an overlapping idiom is looked for
# Abuse quoted in a report ("he DM'd me 'I know where you live'. Mods, please ban him") is evidence
# given to moderators, not abuse: a match inside quotes, in a post with reporting words, is dropped;
# so is reported speech ("a user told me to go kill myself").
_QUOTED = re.compile(r"(?:^|(?<=[\s:(\[]))(['\"])(.+?)\1(?=[\s.,!?;:)\]]|$)")
_REPORTING = re.compile(
    r"\b(?:report\w*|mods?|moderators?|admins?|staff|screenshot\w*|quot\w+|dm'?d|messaged|told me|said|"
    r"received|sent me|in (?:chat|voice|my dms?)|block\w*|ban\w*|police)\b")
_REPORTED_SPEECH = re.compile(r"\b(?:told|telling|tells|said to|called) (?:me|people|us|others|everyone|him|her)"
                              r"(?: to)?[^.!?]{0,12}$")


def normalise(text: str) -> tuple[str, list[int]]:
    """Lower-case, straighten quotes, collapse whitespace; also return each char's original index."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text.translate(_QUOTES)):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        lowered = char.lower()
        out.append(lowered if len(lowered) == 1 else char)  # keep 1:1 so offsets map back
        index.append(i)
    return "".join(out), index


def _sentence_around(norm: str, start: int, end: int) -> str:
    """The match's sentence and the one before it, where "them"/"it" find their antecedent."""
    bounds = [m.end() for m in _SENTENCE_END.finditer(norm, 0, start)]
    left = bounds[-2] if len(bounds) >= 2 else 0
    right = _SENTENCE_END.search(norm, end)
    return norm[left : right.start() if right else len(norm)]


def _inside_idiom(norm: str, start: int, end: int) -> bool:
    lo, hi = max(0, start - _IDIOM_WINDOW), min(len(norm), end + _IDIOM_WINDOW)
    for idiom in DEV_IDIOMS:
        for m in idiom.finditer(norm, lo, hi):
            if m.start() < end and m.end() > start:
                return True
    return False


def _reported(norm: str, start: int, end: int) -> bool:
    """Inside quotes in a post that reports it, or right after "told me to"."""
    if _REPORTED_SPEECH.search(norm, max(0, start - 40), start):
        return True
    quoted = any(q.start(2) <= start and end <= q.end(2) for q in _QUOTED.finditer(norm))
    return quoted and bool(_REPORTING.search(norm))


def _accepted(rule: Rule, norm: str, match: re.Match[str]) -> bool:
    if _inside_idiom(norm, match.start(), match.end()) or _reported(norm, match.start(), match.end()):
        return False
    if rule.allow is not None and rule.allow.search(_sentence_around(norm, match.start(), match.end())):
        return False
    return rule.requires is None or bool(rule.requires.search(norm))


@dataclass(frozen=True)
class Hit:
    """One accepted rule match, with its span in the original text."""

    rule: str
    category: str
    score: float
    start: int
    end: int
    evidence: str


def find_hits(text: str) -> list[Hit]:
    """Every accepted rule match in ``text``, strongest first (then earliest)."""
    norm, index = normalise(text)
    hits: list[Hit] = []
    for rule in RULES:
        for match in rule.pattern.finditer(norm):
            if match.end() > match.start() and _accepted(rule, norm, match):
                start, end = index[match.start()], index[match.end() - 1] + 1
                hits.append(Hit(rule.name, rule.category, rule.score, start, end, text[start:end]))
    span = doxxing.doxxing_span(text)  # structural: a named person beside a contact detail
    if span is not None:
        hits.append(Hit("named_person_contact", doxxing.CATEGORY, doxxing.SCORE, *span, text[span[0] : span[1]]))
    hits.sort(key=lambda h: (-h.score, h.start, h.rule))
    return hits


def assess_safety(text: str) -> Safety:
    """Classify one text: ``unsafe`` with category, score and evidence, or ``safe`` (score 0.0)."""
    hits = find_hits(text or "")
    if not hits:
        return Safety(label="safe", category=None, score=0.0, evidence=None)
    best = hits[0]
    return Safety(label="unsafe", category=best.category, score=best.score, evidence=best.evidence)

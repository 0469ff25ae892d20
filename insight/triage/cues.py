"""Text cues triage reads besides sentiment: "+1" replies, "works now", greetings, questions back to the asker.

Sentiment alone misreads forum threads: a "+1" is not an answer, "It works now, sorry for the
rant" scores negative, a chorus of welcomes scores like a launch, and "Could you send the crash
log?" scores like a complaint. These small, precise patterns correct for that.
"""

from __future__ import annotations

import re

ME_TOO_WORDS = 15  # a "+1" reply is short; a longer one may carry an answer
_ME_TOO = re.compile(
    r"^\W*(?:\+1|same(?: here| issue| problem| question| for me| for us)?|me too|following|bump|"
    r"any (?:update|news|luck|progress)|did you (?:ever )?(?:find|figure|solve))\b", re.IGNORECASE)
_RESOLVED = re.compile(
    r"\b(?:works now|working now|it works|that worked|fixed it|that fixed|did the trick|that did it|"
    r"(?:is |all |problem |issue )?(?:solved|resolved)|all good now|back to normal)\b", re.IGNORECASE)
_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\bno longer)\W*(?:\w+\W+)?$", re.IGNORECASE)
_GREETING = re.compile(r"\b(?:welcome|(?:good|great|glad|nice) to (?:have|see) you)\b", re.IGNORECASE)
_ASKS_YOU = re.compile(r"\b(?:you|your)\b[^.!?]*\?", re.IGNORECASE)


def is_me_too(text: str) -> bool:
    """"+1", "Same here, any update?", "Did you ever find a fix?": company, not an answer."""
    text = text.strip()
    return len(text.split()) <= ME_TOO_WORDS and bool(_ME_TOO.match(text))


def says_resolved(text: str) -> bool:
    """"It works now", "that fixed it"... and not "still not fixed" or "isn't resolved"."""
    return any(not _NEGATED.search(text[max(0, m.start() - 12):m.start()]) for m in _RESOLVED.finditer(text))


def greets(text: str) -> bool:
    return bool(_GREETING.search(text))


def asks_back(text: str) -> bool:
    """A question to the reader ("Could you send the crash log?"): a helper asking for details."""
    return bool(_ASKS_YOU.search(text))

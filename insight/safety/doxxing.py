"""Doxxing a model cannot see: a named person beside a way to reach them in the physical world.

A phone number, a street address, a flat number, a licence plate, an e-mail or a workplace or
school joined to a person's full name is doxxing whatever the surrounding words are ("Posting
Ryan Cho's home phone (415) 555-0172 since he won't answer"): a classifier reads the tone, not
the fact that the digits are a real number. So this is a structural rule, with the contact detail
as evidence:

- a *name* is two or three capitalised words that are not place, organisation or calendar words
  ("Lucy Brennan", "Peter Vance"), or a possessive third party ("her number");
- a *contact detail* is a phone number (7+ digits), a street address (number + name + street
  word, or "flat 3"), an e-mail, a licence plate, or "works at / teacher at / student at /
  goes to" a capitalised place;
- the poster's own details ("my number is", "call me at") are not doxxing, nor is a
  business address with no person named ("the meetup is at 12 High Street"), nor a venue's
  address beside the person who runs it ("fees at the clubhouse, 2 Meadow Lane") unless the post
  says someone lives there;
- an e-mail beside a name is how colleagues are pointed to ("our admin Priya Costa
  (priya@example.com) can confirm"): it counts only when the post unmasks or exposes the person
  ("is really Jordan Blake", "his work email is").
"""

from __future__ import annotations

import re

from insight.safety.patterns import DOXXING

_STREET_WORDS = (r"street|st|road|rd|lane|ln|avenue|ave|drive|dr|close|court|ct|way|grove|place|pl|terrace|"
                 r"crescent|boulevard|blvd|row|gardens|park|square|hill|mews|walk")
_CONTACT = re.compile(
    r"(?P<phone>\+?\(?\d[\d ().-]{5,}\d)"
    rf"|(?P<street>\b\d{{1,5}}[a-z]?,? (?:[A-Z][a-z]+ ){{1,2}}(?:{_STREET_WORDS.title()}|{_STREET_WORDS})\b)"
    rf"|(?P<onstreet>\b(?:on|off|behind|above|near) (?:the )?(?:[A-Z][a-z]+ )(?:{_STREET_WORDS.title()})\b)"
    r"|(?P<flat>\b(?:flat|apt|apartment|unit) \d{1,4}\b)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+\.[\w.]+\b)"
    r"|(?P<plate>\bplates? (?:are |is )?[A-Z]{2}\d{2} ?[A-Z]{3}\b)"
    r"|(?P<work>\b(?:works?|working|shifts?|teacher|nurse|student|pupil|receptionist|accountant|manager|department|"
    r"pastor|goes|studies|grade) (?:at|in|to|for) (?:the )?[A-Z][\w']+)"
)
_NOT_NAME = {
    "The", "A", "An", "This", "That", "Here", "There", "Her", "His", "Their", "My", "Our", "Your", "Found",
    "Posting", "Call", "Anonymous", "Guy", "Reviewer", "Mod", "Owner", "Real", "Street", "Road", "Lane",
    "Avenue", "Close", "Drive", "Court", "Park", "High", "School", "College", "Primary", "Hospital", "Station",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "I", "I'm", "OP", "Ltd", "Inc", "Discord", "Slack", "GitHub", "Reddit", "Twitter", "Facebook", "Google",
}
_CAPITAL = re.compile(r"\b[A-Z](?:[a-z]+|'[A-Z][a-z]+)(?:-[A-Z][a-z]+)?\b")
_THIRD_PARTY = re.compile(r"\b(?:(?i:his|her|their)|[A-Z][a-z]+'s) (?:real |home |mobile |private |personal )?"
                          r"(?:number|phone|mobile|address|name|email|plates?)\b")
# Where someone lives, said of someone else ("where the streamer actually lives: flat 2, ...").
_RESIDENCE = re.compile(r"\b(?:lives|living|(?:his|her|their|[a-z]+'s) (?:actual |real )?(?:home|house|flat))\b")
_SELF = re.compile(r"\b(?:my|our) (?:\w+ )?(?:number|phone|mobile|address|email|home|house|flat)\b|"
                   r"\b(?:call|text|email|reach) (?:me|us)\b|\bi live\b", re.I)
_NUMERIC = re.compile(r"\d")
_UNMASKING = re.compile(r"\b(?:is really|real name|actually is|irl|belongs to|identified|unmasked|turns out)\b"
                        r"|\b(?:troll|scammer|cheater|griefer|leaker|anon|burner)\b[^.]{0,25}"
                        r"\bis (?-i:[A-Z][a-z]+ [A-Z][a-z]+)",
                        re.I)
# A street address right after a public venue is where a club or shop meets, not where a person lives
# ("collects fees at the clubhouse, 2 Meadow Lane").
_VENUE = re.compile(r"\b(?:clubhouse|club|hall|centre|center|office|shop|cafe|café|pub|library|church|mosque|"
                    r"temple|venue|studio|store|gym|market)\s*,?\s*(?:at\s+|is at\s+|on\s+)?$", re.I)


def named_person(text: str) -> bool:
    """Two or three adjacent capitalised words, none a place/calendar word: "Lucy Brennan"."""
    words = [(m.group(), m.start(), m.end()) for m in _CAPITAL.finditer(text)]
    for (first, _, end), (second, start, _) in zip(words, words[1:], strict=False):
        if text[end:start] == " " and first not in _NOT_NAME and second not in _NOT_NAME:
            return True
    return bool(_THIRD_PARTY.search(text))


def contact_detail(text: str) -> re.Match[str] | None:
    for match in _CONTACT.finditer(text):
        if match.lastgroup == "phone" and len(_NUMERIC.findall(match.group())) < 7:
            continue
        return match
    return None


def doxxing_span(text: str) -> tuple[int, int] | None:
    """The contact detail's span when it sits beside a named third party, else None."""
    match = contact_detail(text)
    if match is None or _SELF.search(text):
        return None
    if match.lastgroup == "email" and not (_THIRD_PARTY.search(text) or _UNMASKING.search(text)):
        return None
    located = match.lastgroup in ("street", "onstreet", "flat") and _RESIDENCE.search(text)
    if match.lastgroup == "street" and not located and _VENUE.search(text[max(0, match.start() - 30):match.start()]):
        return None
    if not (located or named_person(text)):
        return None
    return match.start(), match.end()


CATEGORY = DOXXING
SCORE = 0.85

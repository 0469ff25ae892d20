"""What a post does in a thread, read from its wording: promises a date, escalates, checks in, threatens to leave.

Sentiment says how a post sounds; these say what it does, which is what a moderator acts on.
An escalating grievance is often polite ("Hi again, just checking in on the double charge"),
and a milestone is often plain ("our portal went live this morning"). Each reader below is a
small set of speech acts, written to hold across communities (support desks, open source,
games, hobby and local groups), not a list of emotion words. ``promise_hours`` turns a promise
into a deadline, so "within 3 business days" broken two weeks later is evidence by itself.
"""

from __future__ import annotations

import re

_FLAGS = re.IGNORECASE
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "ten": 10, "a couple of": 2, "a few": 3}
_UNIT_HOURS = {"hour": 1.0, "day": 24.0, "business day": 24 * 7 / 5, "working day": 24 * 7 / 5,
               "week": 168.0, "month": 720.0}
_DURATION = re.compile(
    r"\b(?:within|in(?: the next)?|under)\s+(\d+|a couple of|a few|an?|one|two|three|four|five|six|seven|ten)\s+"
    r"(hour|business day|working day|day|week|month)s?\b", _FLAGS)
_RELATIVE = (
    (re.compile(r"\b(?:by )?tomorrow\b", _FLAGS), 24.0),
    (re.compile(r"\b(?:later )?this week\b|\bby (?:monday|tuesday|wednesday|thursday|friday|the weekend)\b", _FLAGS),
     120.0),
    (re.compile(r"\bnext (?:week|release|patch|update|version|meeting)\b|\bin (?:the )?(?:next|upcoming) "
                r"(?:release|patch|update|version|meeting)\b|\b(?:be|land|ship|go) in \d+\.\d+", _FLAGS), 240.0),
    (re.compile(r"\bthis month\b|\bend of (?:the )?month\b", _FLAGS), 720.0),
)
_PROMISE_VERB = re.compile(
    r"\b(?:will|'ll|shall|going to|planned for|scheduled|expect|ships?|lands?|should (?:be|have|hear|see))\b", _FLAGS)
_ESCALATED = re.compile(
    r"\b(?:escalat\w*|passed (?:it|this|that)?\s*(?:on )?to|pushed (?:it|this|that) up|raised (?:it|this|that) with|"
    r"flagged (?:it|this|that) (?:to|with)|(?:team|engineers?|engineering|we) (?:is |are )?looking into|"
    r"(?:opened|filed|logged) a ticket|handed (?:it|this) (?:over )?to)", _FLAGS)
_CHECK_IN = re.compile(
    r"\b(?:checking (?:in|again|back)|check(?:ing)? on|following up|writing (?:again|once more)|"
    r"asking (?:again|once more|for the (?:second|third|fourth) time)|"
    r"(?:second|third|fourth|fifth) time (?:asking|i'?ve asked|now)|"
    r"still (?:nothing|no\b|not|broken|wrong|empty|there|the same|(?:fail|crash|happen|see|wait|break|show|miss|"
    r"error|hang|freez|los|down)\w*)|"
    r"(?:it'?s|it has|that'?s) (?:been|now) (?:over |more than )?(?:a|\w+) (?:week|day|month)s?|"
    r"came and went|no (?:reply|answer|response|word|update) (?:yet|since)|haven'?t heard|nothing (?:yet|from))",
    _FLAGS)
_LEAVE = re.compile(
    r"\b(?:cancel\w*|(?:want|demand|request\w*|ask\w* for) (?:a |my |our |the |full )*refund|"
    r"refund (?:the|my|our|it)\b.{0,40}(?:otherwise|or else)|chargeback|charge back|dispute|"
    r"moving (?:off|away|elsewhere|to (?:another|a competitor))|"
    r"(?:leave|leaving|quit|quitting|uninstall\w*) (?:for good|(?:the|this) (?:platform|product|service|community|"
    r"forum|game|project|server|group|club|site|app))|(?:i'?m|we'?re|i am|we are) (?:quitting|out of here)|"
    r"(?:considering|thinking (?:of|about)|about to|ready to) (?:leav|quit|cancel|switch|mov)\w*|"
    r"alternatives?|competitors?|switch(?:ing)? (?:to|provider|vendor)|(?:not|won'?t|can'?t) (?:recommend )?renew\w*|"
    r"pin(?:ning)? to \d|take (?:this|it) to|report (?:you|this) to|legal action|lawyer|bad review|"
    r"(?:cancel|end) (?:my|our) (?:membership|subscription|account|contract))", _FLAGS)
_GRATITUDE = re.compile(r"\b(?:thanks|thank you|thx|cheers|appreciated?|perfect|great,|brilliant|happy ending|"
                        r"all (?:sorted|set)|confirmed|came through|that'?s it)\b", _FLAGS)
_MILESTONE = re.compile(
    r"\b(?:(?:got|was|been|finally|just) (?:merged|accepted|published|released|certified|approved)|merged into|"
    r"went live|(?:are|is|went|going) live|live in production|launched|shipped|released (?:our|my|the first)|"
    r"passed (?:my|the|our)|certified|certification|(?:first|first-ever|first ever) (?:ever )?(?:clear|win|release|"
    r"launch|sale|pr|pull request|contribution|prize|place)|we did it|(?:new|personal|all-time) (?:record|best)|"
    r"(?:best|biggest|record) (?:turnout|total|result|month|year|ever)|raised [$£€]?\d|world (?:rank|first)|"
    r"(?:won|completed|finished|cleared|hit|reached|crossed) (?:the|our|my|a|first|\d))", _FLAGS)
_CONGRATS = re.compile(
    r"\b(?:congrat\w*|well done|well (?:deserved|earned)|bravo|kudos|hats off|gg\b|proud of|great (?:job|work|"
    r"effort|result|launch)|nice work|amazing (?:result|work|to see|effort|job)?|fantastic|brilliant|"
    r"huge (?:milestone|win)?)",
    _FLAGS)
_INVITE = re.compile(
    r"\b(?:case study|blog|write[- ]?up|write (?:a|up)|feature you|newsletter|showcase|share (?:more|how)|"
    r"(?:tell|hear) (?:us )?(?:more|how)|(?:joint|next) (?:run|one|event)|talk at|present)", _FLAGS)
_ALSO_ASKING = re.compile(
    r"\b(?:hoping (?:someone|somebody|anyone)|(?:i'?d|i would|we'?d|we would) (?:like|love) to know|"
    r"(?:also|same|been) wondering|wondering the same|(?:mine|ours|my \w+) (?:\w+ ){0,3}(?:the same|too|as well)|"
    r"same (?:thing|problem|issue|way|question)|(?:i|we) have the same)", _FLAGS)
_STILL_ASKING = re.compile(r"\b(?:hoping|hope (?:someone|somebody|anyone)|like to know|love to know|wondering|"
                           r"(?:does )?any(?:one|body) know)\b|\?", _FLAGS)
_CARRIES_ANSWER = re.compile(r"`|https?://|\b(?:try|set|use|enable|disable|add|remove|worked for (?:us|me))\b", _FLAGS)
ALSO_ASKING_WORDS = 25  # longer replies that share the problem may also carry an answer


def promise_hours(text: str) -> float | None:
    """Hours until a promised date ("within 3 business days", "by Friday", "next week"); None if no promise."""
    found = _DURATION.search(text)
    if found and _PROMISE_VERB.search(text):
        amount = found.group(1).lower()
        count = float(amount) if amount.isdigit() else float(_NUMBER_WORDS.get(amount, 1))
        return count * _UNIT_HOURS[found.group(2).lower()]
    if not _PROMISE_VERB.search(text) and not _ESCALATED.search(text):
        return None
    return next((hours for pattern, hours in _RELATIVE if pattern.search(text)), None)


def escalates(text: str) -> bool:
    """Staff or helpers passing it on ("escalated to our billing lead", "our team is looking into it")."""
    return bool(_ESCALATED.search(text))


def checks_in(text: str) -> bool:
    """The asker coming back because nothing happened ("checking in again", "still nothing", "it's been a week")."""
    return bool(_CHECK_IN.search(text))


def intends_to_leave(text: str) -> bool:
    """A threat to cancel, dispute, ask a refund, switch, stop renewing or take it elsewhere."""
    return bool(_LEAVE.search(text))


def thanks(text: str) -> bool:
    return bool(_GRATITUDE.search(text))


def announces_milestone(text: str) -> bool:
    """A launch, a merge, a certification, a first clear, a record event: news worth amplifying."""
    return bool(_MILESTONE.search(text))


def congratulates(text: str) -> bool:
    return bool(_CONGRATS.search(text))


def invites_follow_up(text: str) -> bool:
    """Asking the member for more (a case study, a blog post, a write-up, the next event)."""
    return bool(_INVITE.search(text))


def only_shares_the_question(text: str) -> bool:
    """"Mine does the same, hoping someone knows", "I'd like to know as well": company, not an answer."""
    if len(text.split()) > ALSO_ASKING_WORDS or _CARRIES_ANSWER.search(text):
        return False
    return bool(_ALSO_ASKING.search(text)) and bool(_STILL_ASKING.search(text))

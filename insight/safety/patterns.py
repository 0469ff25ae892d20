"""The safety rule table: phrase shapes for threats, self-harm hints, doxxing and harassment,
and the dev idioms that keep "kill the process" safe. Matching lives in ``insight.safety.rules``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THREAT, SELF_HARM, DOXXING, HARASSMENT = "threat", "self_harm", "doxxing", "harassment"
CATEGORIES: tuple[str, ...] = (THREAT, SELF_HARM, DOXXING, HARASSMENT)


@dataclass(frozen=True)
class Rule:
    """One phrase shape.

    ``allow`` is checked on the match's sentence and the one before; ``requires`` on the whole text.
    """

    name: str
    category: str
    pattern: re.Pattern[str]
    score: float
    allow: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Building blocks (applied to normalised, lower-case text).
_WILL = (
    r"(?:i(?:'ll|ll| will| shall|'m going to|'m gonna| am going to| am gonna| gonna)"
    r"|we(?:'ll| will| are going to|'re going to|'re gonna| gonna))"
)
_ADVERB = r"(?: (?:fucking|literally|personally|actually|seriously|really|definitely|just|eventually))?"
_VICTIM = r"(?:you|u|ya|him|her|your (?:family|kids|wife|husband|children|dog|mom|mother))"
_VIOLENT = r"(?:hurt|kill|murder|stab|shoot|strangle|choke|punch|slap|end|hunt down|come for|beat up)"
_PLACES = r"(?:office|house|home|place|flat|apartment|kids|family|school|work|workplace|car|parents)"
_STREET = (
    r"\d{1,5}[a-z]? [a-z]+(?: [a-z]+)? "
    r"(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|close)\b"
)
_PHONE_DIGITS = r"\+?\(?\d[\d ().-]{6,}\d"
# "Bob's address" is a person's; "the company's address" or "it's" is not.
_THIRD_PARTY = (
    r"(?:his|her|their|(?!(?:it|that|what|there|here|who|let|he|she|company|office|store|venue|event|"
    r"meetup|conference|hotel|team|org|shop|school|university)'s)[a-z]+'s)"
)

# Engineering context in the same sentence: advice, not menace.
_DEV_CONTEXT = _re(
    r"\b(?:tests?|testing|backups?|upgrad\w*|migrat\w*|deploy\w*|version|dependenc\w*|config\w*|"
    r"prod|production|refactor\w*|typescript|webpack|merge|rebase|commit|branch|friday|schema|"
    r"index(?:es)?|cache|builds?|release|docs|lint\w*|compil\w*|ci|pipeline)\b"
)
# Things developers "kill" or "end" in the plural: "zombie processes? I'll kill them".
_DEV_OBJECTS = _re(
    r"\b(?:process(?:es)?|pods?|containers?|jobs?|threads?|workers?|tasks?|instances?|sessions?|zombies?|"
    r"servers?|nodes?|vms?|tests?|bugs?|branches|tabs?|connections?|queries|daemons?|services?|builds?)\b"
)
# Friendly context around "I know where your office is": visits, events, deliveries.
_FRIENDLY = _re(
    r"\b(?:visit\w*|workshop|meetup|hack ?night|conference|see you|came by|drop(?:ped)? by|swag|deliver\w*|"
    r"lunch|coffee|party|welcome)\b"
)
# Despair words that turn "I can't do this anymore" into a self-harm hint.
# Deliberately no "everything" or "tired": "everything breaks, I'm so tired of this" is a bad day.
_DESPAIR = _re(
    r"\b(?:hopeless|worthless|pointless|no point|all alone|so alone|nobody cares|no one cares|"
    r"give up on (?:life|everything)|empty inside|numb|crying|can't go on|a burden|what's the point)\b"
)

RULES: tuple[Rule, ...] = (
    # ---- explicit threats
    Rule("explicit_threat", THREAT, _re(rf"\b{_WILL}{_ADVERB} {_VIOLENT} {_VICTIM}\b"), 0.95),
    Rule(
        "explicit_threat_them",
        THREAT,
        _re(rf"\b{_WILL}{_ADVERB} {_VIOLENT} them\b"),
        0.9,
        allow=_DEV_OBJECTS,  # "them" is often processes or pods
    ),
    Rule("make_you_pay", THREAT, _re(rf"\b{_WILL} make (?:you|u|sure you) (?:pay|suffer|bleed)\b"), 0.9),
    Rule(
        "someone_should",
        THREAT,
        _re(
            r"\b(?:someone|somebody) (?:should|ought to|needs to) "
            r"(?:kill|hurt|shoot|stab|beat up|punch|deal with) "
            r"(?:you|him|her|them|(?:the|that|this|those|these) (?:mods?|moderators?|admins?|staff|devs?|founders?|ceo|"
            r"guy|woman|man|people))\b"
        ),
        0.85,
    ),
    Rule(
        "you_are_dead",
        THREAT,
        _re(r"\byou(?:'re| are) (?:dead|going to die|gonna die)\b(?! (?:wrong|right|on|set|serious))"),
        0.85,
    ),
    # ---- veiled threats
    Rule("know_where_you_live", THREAT, _re(r"\bi know where (?:you|u) (?:live|work|sleep|park)\b"), 0.9),
    Rule("know_where_your_place", THREAT, _re(rf"\bi know where (?:your|ur) {_PLACES}\b"), 0.85, allow=_FRIENDLY),
    Rule(
        "know_which_place",
        THREAT,
        _re(
            r"\bi know (?:which|what) (?:gym|school|car|bus|train|route|street|building|floor|cafe|bar|church) "
            r"(?:you|u|your (?:kids?|wife|husband|family|children))\b"
        ),
        0.85,
        allow=_FRIENDLY,
    ),
    Rule(
        "have_your_address",
        THREAT,
        _re(
            r"\b(?:i've got|i have|i got|we've got|we have) (?:your|ur) (?:home |kids'? |children's |family's )?"
            r"(?:address|school|schedule|location|licen[cs]e plates?|plates?)\b"
        ),
        0.8,
        allow=_FRIENDLY,
    ),
    Rule(
        "wont_walk_away",
        THREAT,
        _re(r"\b(?:you|u) (?:won't|will not|wont) (?:walk|get|come) away from (?:it|this|that|me|here)\b"),
        0.8,
        allow=_DEV_CONTEXT,
    ),
    Rule(
        "know_who_you_are",
        THREAT,
        _re(r"\b(?:i|we) know (?:who you (?:really )?are|your real name|your address)\b"),
        0.75,
    ),
    Rule("watch_your_back", THREAT, _re(r"\b(?:watch|better watch) (?:your|ur) back\b"), 0.8),
    Rule("sleep_one_eye", THREAT, _re(r"\bsleep with one eye open\b"), 0.8),
    Rule(
        "regret_this",
        THREAT,
        _re(
            r"\byou(?:'ll| will|'re going to| are going to|'re gonna| are gonna) regret "
            r"(?:this|it|that|crossing me|messing with me|saying that)\b"
        ),
        0.75,
        allow=_DEV_CONTEXT,
    ),
    Rule(
        "shame_if_something_happened",
        THREAT,
        _re(
            r"\bwould be a (?:shame|pity) if (?:something|anything) "
            r"(?:happened|were to happen|was to happen|bad happened) to\b"
        ),
        0.85,
    ),
    Rule(
        "ill_find_you",
        THREAT,
        _re(
            r"\bi(?:'ll|ll| will|'m going to| am going to|'m gonna) (?:find|track down|hunt down) (?:you|u)\b"
            r"(?! (?:a|an|the|some|that|those|it|one|something|more|links?|docs?|examples?|answers?|later|after|"
            r"on (?:slack|discord|github|here|the forum|zoom|teams|irc)|"
            r"at the (?:meetup|conference|event|booth|summit|talk|hackathon)|"
            r"in the (?:thread|channel|forum|chat|docs))\b)"
        ),
        0.85,
    ),
    Rule(
        "show_up",
        THREAT,
        _re(
            r"\b(?:see what happens when i (?:show up|come (?:over|by|round|to your))|"
            r"wait (?:until|till|'til) i (?:show up|find you|get my hands on you)|"
            rf"{_WILL} (?:show up|come|be waiting) (?:at|to|outside) "
            r"(?:your|ur) (?:house|home|office|door|work|place|school))\b"
        ),
        0.85,
    ),
    Rule(
        "wont_see_it_coming",
        THREAT,
        _re(r"\byou (?:won't|will not|wont) see (?:it|me|this) coming\b"),
        0.75,
        allow=_DEV_CONTEXT,  # release teasers
    ),
    # ---- self-harm hints
    Rule(
        "self_harm_intent",
        SELF_HARM,
        _re(
            r"\b(?:want|wanna|going|plan|planning|thinking (?:of|about)|think about|thought about|tempted|ready) to "
            r"(?:end it all|end my life|kill myself|hurt myself|harm myself|cut myself|disappear forever|not wake up)\b"
        ),
        0.9,
    ),
    Rule(
        "end_it_all",
        SELF_HARM,
        _re(
            r"\b(?:end it all|end my life|kill myself|killing myself|take my own life|"
            r"(?:i'm|i am|feel|feeling|been|getting) suicidal|suicidal thoughts|thoughts of suicide|"
            r"commit(?:ting)? suicide)\b"
        ),
        0.9,
    ),
    Rule("hurting_myself", SELF_HARM, _re(r"\b(?:hurting|harming|cutting) myself\b"), 0.9),
    Rule(
        "no_reason_to_go_on",
        SELF_HARM,
        _re(
            r"\b(?:no|no real|don't see a|don't see any|what's the) (?:reason|point) (?:to|in|of) "
            r"(?:go(?:ing)? on|liv(?:e|ing)|keep going|being alive|wak(?:e|ing) up)\b"
        ),
        0.85,
    ),
    Rule(
        "final_goodbye",
        SELF_HARM,
        _re(
            # "you have the pills ready, please hand them over" is someone offering help
            r"\b(?:(?<!you )(?<!you've )(?:have|got) (?:the|my|some|enough) (?:pills|rope|gun|razor)s? "
            r"(?:ready|here|saved)|"
            r"(?:this is|consider this) my (?:final |last )?goodbye|"
            r"(?:wrote|writing|left|leaving) (?:a|my) (?:goodbye |last |final )?(?:note|letter) "
            r"(?:for|to) (?:my )?(?:family|parents|wife|husband|kids|everyone))\b"
        ),
        0.85,
    ),
    Rule("better_off_without_me", SELF_HARM, _re(r"\b(?:better off|happier) without me\b"), 0.85),
    Rule(
        "nobody_would_miss_me",
        SELF_HARM,
        _re(
            r"\b(?:nobody|no one|noone) (?:would|will) (?:even |really |ever )?(?:miss me|(?:notice|care) if i "
            r"(?:was gone|were gone|was dead|were dead|died|disappeared|wasn't here|was not here))\b"
        ),
        0.85,
    ),
    Rule(
        "dont_want_to_live",
        SELF_HARM,
        _re(
            r"\b(?:don't|do not|dont) want to (?:live|be alive|exist|wake up) (?:anymore|any more)\b"
            r"|\btired of (?:living|being alive)\b|\bwish i (?:was|were) dead\b"
        ),
        0.85,
    ),
    Rule(
        "cant_do_this_anymore",
        SELF_HARM,
        _re(r"\bi (?:can't|cannot|cant) (?:do|take|handle) (?:this|it) (?:anymore|any more)\b"),
        0.7,
        allow=_DEV_CONTEXT,  # "I can't do this anymore with Webpack"
        requires=_DESPAIR,
    ),
    # ---- doxxing: someone else's address or phone number
    Rule(
        "address_is",
        DOXXING,
        _re(rf"\b{_THIRD_PARTY} (?:home |real |new |current |actual )?address(?: is|:)? {_STREET}"),
        0.85,
    ),
    Rule("lives_at", DOXXING, _re(rf"\b(?:lives|live|is living|are living|staying) (?:at|on) {_STREET}"), 0.85),
    Rule(
        "phone_is",
        DOXXING,
        _re(
            rf"\b{_THIRD_PARTY} (?:personal |private |cell |mobile |home |real )?"
            rf"(?:phone number|phone|cell number|cell|mobile number|mobile|number)(?: is|:| =)*[ :]*{_PHONE_DIGITS}"
        ),
        0.85,
    ),
    Rule(
        "address_is_number",
        DOXXING,
        _re(rf"\b{_THIRD_PARTY} (?:home |real |new |current |actual |private )?address(?: is|:) \d{{1,5}}[a-z]? [a-z]"),
        0.8,
    ),
    Rule(
        "name_and_address",
        DOXXING,
        _re(r"\b(?:real|full|legal) name and (?:home |private )?address\b"),
        0.8,
    ),
    Rule(
        "posting_their_number",
        DOXXING,
        _re(
            rf"\b(?:posting|here's|heres|here is|sharing|leaking|dropping) {_THIRD_PARTY} (?:personal |private |cell |"
            r"mobile |home )?(?:cell|phone|number|mobile)\b"
        ),
        0.8,
        requires=_re(_PHONE_DIGITS),
    ),
    # ---- harassment (encouraging self-harm, exclusion)
    Rule("kys", HARASSMENT, _re(r"\b(?:kys|(?:go|just|should|please) (?:kill|hurt) yourself|(?:go|just) die)\b"), 0.85),
    Rule("nobody_wants_you", HARASSMENT, _re(r"\b(?:nobody|no one) (?:wants|likes|needs) you (?:here|around)\b"), 0.7),
    Rule("waste_of_space", HARASSMENT, _re(r"\byou(?:'re| are) (?:a )?waste of (?:space|oxygen|air)\b"), 0.7),
)

# Developer idioms that overlap a rule's match but are harmless. Checked around each match.
DEV_IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    _re(p)
    for p in (
        r"\bshoot (?:you|u|ya|me|them|him|her) (?:a|an|the|over|some|my|our)\b",
        r"\bhit (?:you|u|me|them) up\b",
        r"\bbeat (?:you|u|me|them) to (?:it|the punch)\b",
        r"\bkill (?:you|u|them) with kindness\b",
        r"\bkill (?:-\d+|-9|-kill|-term|the (?:process|job|server|pod|container|task|thread|build|session))\b",
        r"\bcome for (?:you|them) (?:at|in) the (?:meetup|standup|morning|office hours)\b",
        r"\bend (?:you|them) (?:a|an|the) (?:link|message|invite|email)\b",
    )
)

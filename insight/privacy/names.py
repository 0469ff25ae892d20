"""Person names for the redactor: which spaCy PERSON entities to trust, and the names it misses.

spaCy's small English model finds most names but tags products and tools as people ("Webhook
signature verification fails", "my Pixel 8") and misses names it has not seen (non-English names,
lowercase names, names in signatures). The rules here, tuned on ``models/redaction/sets/dev.jsonl``
(the frozen ``test.jsonl`` measures them; README "Redaction precision"):

- an entity is not a person when it is a known tool or product word, an identifier, inside
  ``code``, or followed by a model or version number ("Pixel 8", "Xcode 16");
- a word is a person where only a person stands: before a verb of helping or telling, after a
  greeting or a thank-you (lowercase too: "thanks raj for"), as the name under a sign-off
  ("Cheers,\\nPriya", "-- Olu"), in "Hi all, Marek here", "my colleague Daniel Kim", "Siobhán's answer";
- a name found once in a post is redacted wherever else it stands in that post.

Names are matched on Unicode letters, so "Søren", "Łukasz" and "Siobhán" count as capitalised words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

Span = tuple[int, int, str]

# Tools and products the small English model often tags as PERSON ("Docker", "Kafka", "Pixel").
TECH_WORDS = frozenset(
    """
    airflow android angular ansible apache argo argocd auth0 aws azure babel bash bazel bitbucket bun
    cargo cassandra celery chrome chromium circleci clang claude cmake conda confluence consul copilot
    cypress datadog debian deno discord discourse django docker elasticsearch electron elixir emacs
    erlang express fastapi fedora firebase firefox flask flux gatsby gcc gemini git github gitlab go
    golang gradle grafana graphql hadoop haskell helm heroku homebrew hugo istio java javascript jekyll
    jenkins jest jira julia jupyter kafka keras kibana kotlin kubernetes k8s lambda laravel linux llama
    llvm logstash macos maven mistral mocha mongo mongodb mysql netlify next nextjs nginx node nodejs
    nomad npm numpy nuxt ollama okta packer pandas perl php pip poetry postgres postgresql postman
    powershell prometheus pulumi pytest python pytorch rabbitmq rails react redis ruby rust safari
    scala selenium sentry shopify slack spark spring sqlite stripe supabase svelte swift tekton
    tensorflow terraform tomcat travis twilio typescript ubuntu vagrant vault vercel vim vite vscode
    vue webpack windows wordpress yarn zookeeper zsh
    webhook webhooks pixel galaxy jetson nano metals
    keycloak parquet alpine jumpcloud onelogin json repo
    """.split()
)
# Greeting and mention words spaCy sometimes glues onto a name ("Ping Ana Silva").
LEADING_NOISE = frozenset({"hi", "hey", "hello", "thanks", "thank", "thx", "ping", "cc", "dear", "ask", "shoutout",
                           "kudos", "cheers", "regards", "best", "kind", "warm", "sincerely", "good", "morning",
                           "evening", ",", "\n", "-", "--"})
_CODE_SPAN_RE = re.compile(r"```[\s\S]*?```|`[^`\n]+`")
# A model or version number right after the entity: a product ("Pixel 8", "Xcode 16", "Galaxy S23");
# or a word that only follows a product ("Keycloak users", "the Team plan", "Parquet export").
_MODEL_NUMBER_RE = re.compile(r"\s+(?:[A-Z]{0,2}\d[\w.]*|v\d)\b")
_PRODUCT_NOUN_RE = re.compile(
    r"[ \t]+(?:users|tokens?|exports?|plan|tenant|parsing|integration|plugin|app|api|sdk|cli|server|cluster"
    r"|instance|builds?|config|settings|dashboard|image|version|release|upgrade|webhooks?|sync|extension)\b")

_WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)?"  # a word of letters, any script ("Søren", "Jean-Pierre")
_CAP = rf"(?:{_WORD})"
_PERSON_VERBS = (
    "answered|replied|responded|helped|explained|showed|walked|guided|mentored|paired|picked|jumped|offered|"
    "suggested|pointed|reviewed|reproduced|spotted|found|bisected|wrote|rewrote|fixed|shared|told|asked|said|"
    "messaged|pinged|emailed|invited|introduced|gave|stepped|sat|set up|mentioned|confirmed|posted|knows|owns"
)
_BEFORE_PERSON_VERB_RE = re.compile(
    rf"(?<![\w@])({_CAP})(?=,? (?:had |has |then |also |kindly |quickly |just |even )?(?:{_PERSON_VERBS})\b"
    r"|, who\b|'s (?:team|help|advice|talk|fix|answer|pr|review|comment|reply|post|patch|suggestion)\b"
    r"| from (?:support\b|(?:the|our) [\w-]+ (?:program|programme|team|group|crew)\b))", re.IGNORECASE,
)
# "Hi all, Marek here": a self-introduction right after a greeting ("Same here", "Student here" are not).
_INTRO_RE = re.compile(rf"(?i:\b(?:hi|hello|hey)(?: all| everyone| folks| there)?)[,!.]? ({_CAP}),? here\b")
# After a greeting or thanks: one or two capitalised words, or a lowercase one followed by ",", "!",
# "for" or "and" (the lowercase rule needs that end, or "thanks again" would be a name).
_GREETING = (r"(?:thank-you to|thanks to|shoutout to|kudos to|big thanks to|hi|hey|hello|dear"
             r"|good (?:morning|afternoon|evening)|thanks?(?: a lot)?(?: you)?|thx|ty|cheers|ping|cc:?|next to"
             r"|talking with|talked with|paired with"
             r"|met|asked|sent (?:it|them|the [\w-]+) to|my (?:colleague|manager|teammate|coworker|co-worker|friend"
             r"|boss|lead))")
_AFTER_GREETING_RE = re.compile(rf"(?<![\w@])(?i:{_GREETING}),? ({_CAP}(?: (?!and\b){_CAP}){{0,2}})"
                                rf"(?: and ({_CAP}(?: {_CAP})?))?")
_SIGN_OFF = (r"(?:cheers|thanks|thank you|thanks a lot|many thanks|best|best regards|kind regards|regards|warm regards"
             r"|sincerely|br|ttyl)")
_SIGNATURE_RE = re.compile(rf"(?im)(?:^|[.!]\s+){_SIGN_OFF}[,!.]?[ \t]*\n?[ \t]*(?:[-–—]+[ \t]*)?({_CAP}(?: {_CAP})?)"
                           r"[ \t]*$")
_DASH_SIGNATURE_RE = re.compile(rf"(?m)^[ \t]*(?:--|[-–—])[ \t]*({_CAP}(?: {_CAP})?)[ \t]*\Z")
NOT_NAMES = frozenset(
    """
    i we you he she they it this that these those there here then also just someone somebody everyone
    everybody nobody anyone anybody people folks support team docs bot admin admins moderator moderators
    maintainer maintainers community staff sales engineering mentor mentors who which what one another
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december
    all guys everybody yes no ok okay update edit note ps btw however sorry well so hmm again for the a an
    and or but in on at to of my our your their his her its me us them him
    cheers thanks thank best regards hi hello hey dear thx please pls
    wait oh wow lol omg yeah yep nope sure great cool nice seriously honestly god today tomorrow yesterday
    tonight click enter date girl boy man sir madam welcome
    is are was were be been do does did can could would should will shall might must how when where why if
    much lot student students developer developers dev devs engineer analyst designer newbie newcomer beginner
    """.split()
)


def code_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _CODE_SPAN_RE.finditer(text)]


def _inside(start: int, code: Sequence[tuple[int, int]]) -> bool:
    return any(lo <= start < hi for lo, hi in code)


def person_span(ent: Any, code: list[tuple[int, int]]) -> Span | None:
    """The span to redact for one spaCy entity, or None when it is probably not a person."""
    if ent.label_ != "PERSON":
        return None
    tokens = list(ent)
    while tokens and (tokens[0].lower_ in LEADING_NOISE or tokens[0].is_space):
        tokens = tokens[1:]
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = ent.doc.text
    surface = text[start:end]
    if surface.islower() or (surface.isupper() and len(surface) >= 3):  # "JSON", "RSVP": acronyms
        return None
    if re.search(r"[\d_/@.:=<>{}()\[\]]", surface.rstrip(".")):
        return None  # identifiers, handles and code, not names
    product = _MODEL_NUMBER_RE.match(text, end) or _PRODUCT_NOUN_RE.match(text, end)
    if all(t.lower_ in TECH_WORDS for t in tokens) or product:
        return None
    if _inside(start, code):
        return None  # inside `code`: tool and function names, not people
    return start, end, "PERSON"


_CAMEL_RE = re.compile(r"[^\W\d_][^\W\d_A-Z]{2,}[A-Z]")
_CONTRACTION_RE = re.compile(r"['’](?:m|ve|re|ll|d|t)$", re.IGNORECASE)


def _plausible(word: str, *, lowercase_ok: bool) -> bool:
    """A candidate word that may be a name: capitalised (not an acronym), or lowercase where allowed."""
    first = word.split()[0].lower()
    if _CONTRACTION_RE.search(first) or first in NOT_NAMES or first in TECH_WORDS:
        return False
    if (first.endswith("ly") or first.endswith("ing")) and len(first) >= 7:  # "Finally", "Re-enrolling"
        return False
    if _CAMEL_RE.search(word):  # "OneLogin", "JumpCloud": products, not people
        return False
    if word[0].isupper():
        return not word.isupper() or len(word) == 1
    return lowercase_ok


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The first word and the capitalised name words after it ("Hamid for" -> "Hamid", "Chidi Okeke")."""
    first, *rest = text[start:end].split(" ")
    words = [first]
    for word in rest:
        if (not word[0].isupper() or word.lower() in NOT_NAMES or word.lower() in TECH_WORDS
                or _CONTRACTION_RE.search(word)):
            break
        words.append(word)
    return start, start + len(" ".join(words))


def context_name_spans(text: str, code: list[tuple[int, int]]) -> list[Span]:
    """Names where only a person stands; see the module docstring."""
    found: list[tuple[int, int]] = []
    for m in _BEFORE_PERSON_VERB_RE.finditer(text):
        if _plausible(m.group(1), lowercase_ok=False):
            found.append(m.span(1))
    for m in _AFTER_GREETING_RE.finditer(text):
        for group in (1, 2):
            if not m.group(group):
                continue
            start, end = _trim(text, *m.span(group))
            # The name ends the greeting: "Thanks, Maria!", "thx sam, the proxy", "Hi Tomasz, could";
            # "Good afternoon, Users in Singapore see" starts a sentence instead.
            ends = bool(re.match(r"[ \t]*(?:[,!.?:;)]|$| for\b| and\b)", text[end:end + 5]))
            comma = "," in text[m.start():m.start(group)]
            lowercase_ok = (bool(re.match(r"[,!]| for\b| and\b", text[end:end + 5])) and not comma
                            and " " not in text[start:end])
            if (ends or not comma) and _plausible(text[start:end], lowercase_ok=lowercase_ok):
                found.append((start, end))
    for regex in (_SIGNATURE_RE, _DASH_SIGNATURE_RE, _INTRO_RE):
        for m in regex.finditer(text):
            if _plausible(m.group(1), lowercase_ok=False):
                found.append(m.span(1))
    return [(s, e, "PERSON") for s, e in found if not _inside(s, code)]


def spread_names(text: str, spans: Sequence[Span], code: list[tuple[int, int]]) -> list[Span]:
    """``spans`` plus every other occurrence, in ``text``, of a name they found."""
    out = list(spans)
    names = {text[s:e] for s, e, _ in spans if e - s >= 3}
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not _inside(m.start(), code):
                out.append((m.start(), m.end(), "PERSON"))
    return out

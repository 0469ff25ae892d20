"""Row validation: a canonical dict becomes a record, or a ``RowProblem`` naming field and reason.

The same checks run for every format, so a Slack message and a CSV row are held to one
contract (PRODUCT.md, "Data contracts").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from insight.ingest.base import Reason
from insight.records import (
    MOMENTS,
    MOTIVATIONS,
    PLATFORMS,
    POST_KINDS,
    FeedbackAnswer,
    KpiObservation,
    Member,
    Post,
)


class RowProblem(Exception):
    """One field of one row is unusable."""

    def __init__(self, field: str, reason: Reason, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.reason = reason
        self.detail = detail


# The widest column a string field is stored in (insight/storage/tables.py); PostgreSQL refuses
# a longer value, so it is rejected here, row by row, before it can fail a whole batch.
MAX_CHARS: dict[str, int] = {"post_id": 256, "thread_id": 256, "parent_id": 256, "response_id": 256,
                             "prompt_id": 256, "author_id": 256, "channel": 200, "kpi_id": 80, "cohort": 120,
                             "segment": 80, "region": 80, "plan": 80,
                             # business files (issue 20; insight/storage/business_tables.py)
                             "account_id": 256, "touchpoint_id": 256, "outcome_id": 256, "source_id": 256}
DEFAULT_MAX_CHARS = 2000  # free text fields without a column limit (title, url)
# Integer columns are 32-bit on PostgreSQL.
MAX_INT = 2**31 - 1


@dataclass(frozen=True)
class TimeWindow:
    """The plausible dates: a timestamp before ``earliest`` or after ``latest`` is a reject.

    Year 1 or 9999 is an exporter's placeholder, never a post; a far-future post would move
    every report's default period (``[ingest] earliest`` and ``max_future_days``).
    """

    earliest: datetime
    latest: datetime

    @classmethod
    def default(cls, earliest: str = "1980-01-01", max_future_days: float = 1.0) -> TimeWindow:
        start = datetime.fromisoformat(earliest)
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        return cls(start, datetime.now(UTC) + timedelta(days=max_future_days))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def checked_id(value: Any, name: str) -> str:
    """A string or integer value as text; NUL, lone surrogates and over-long values are rejects."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
    if isinstance(value, int) and abs(value) >= 10**64:  # str() of a huge int is slow, then fails
        raise RowProblem(name, Reason.TOO_LONG, f"'{name}' is a number of more than 64 digits")
    text = str(value).strip()
    limit = MAX_CHARS.get(name, DEFAULT_MAX_CHARS)
    if len(text) > limit:
        raise RowProblem(name, Reason.TOO_LONG, f"'{name}' has {len(text)} characters, more than {limit}")
    if "\x00" in text:
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' contains a NUL byte")
    if _has_surrogate(text):
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' contains a lone surrogate (broken UTF-16)")
    return text


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def clean_text(text: str) -> str:
    """Free text made storable: NUL bytes dropped, lone surrogates replaced by U+FFFD."""
    text = text.replace("\x00", "")
    if _has_surrogate(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def req_str(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if _missing(value):
        raise RowProblem(name, Reason.MISSING_FIELD, f"'{name}' is required")
    return checked_id(value, name)


def opt_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if _missing(value):
        return None
    return checked_id(value, name)


def opt_text(data: dict[str, Any], name: str) -> str | None:
    """An optional free-text field (a title): cleaned like ``text``, cut at ``DEFAULT_MAX_CHARS``."""
    value = data.get(name)
    if _missing(value):
        return None
    if not isinstance(value, str):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
    return clean_text(value.strip())[:DEFAULT_MAX_CHARS] or None


def parse_time(value: Any, name: str, *, required: bool = True, window: TimeWindow | None = None
               ) -> datetime | None:
    """ISO-8601 with an offset or Z; naive times are refused (their zone is a guess).

    With a ``window``, a time outside it is a ``BAD_TIMESTAMP`` reject.
    """
    parsed = _parse_time(value, name, required)
    if parsed is not None and window is not None and not window.earliest <= parsed <= window.latest:
        raise RowProblem(name, Reason.BAD_TIMESTAMP,
                         f"'{value}' is outside the plausible window {window.earliest:%Y-%m-%d} to "
                         f"{window.latest:%Y-%m-%d} ([ingest] earliest, max_future_days)")
    return parsed


def _parse_time(value: Any, name: str, required: bool) -> datetime | None:
    if _missing(value):
        if required:
            raise RowProblem(name, Reason.MISSING_FIELD, f"'{name}' is required")
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise RowProblem(name, Reason.BAD_TIMESTAMP, f"'{value}' is not a usable epoch time") from None
    if not isinstance(value, str):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be an ISO-8601 string")
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RowProblem(name, Reason.BAD_TIMESTAMP, f"'{value}' is not ISO-8601 (e.g. 2026-03-01T12:00:00Z)") from None
    if parsed.tzinfo is None:
        if len(text) == 10:  # a bare date: midnight UTC is the only sensible reading
            return parsed.replace(tzinfo=UTC)
        raise RowProblem(name, Reason.BAD_TIMESTAMP, f"'{value}' has no UTC offset; add Z or +HH:MM")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # year 1 at +01:00, year 9999 at -01:00: no UTC time exists
        raise RowProblem(name, Reason.BAD_TIMESTAMP, f"'{value}' has no UTC equivalent") from None


_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def parse_bool(value: Any, name: str, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be true or false, got {value!r}")


def _opt_bool(value: Any, name: str) -> bool | None:
    return None if _missing(value) else parse_bool(value, name)


def parse_count(value: Any, name: str) -> int:
    """A whole number from 0 to ``MAX_INT``; infinities, NaN and huge values are rejects."""
    if _missing(value):
        return 0
    shown = _short(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise RowProblem(name, Reason.OUT_OF_RANGE, f"'{name}' must be at most {MAX_INT}, got {shown}")
    try:
        number = int(float(value)) if isinstance(value, str | float) else int(value)
    except OverflowError:
        raise RowProblem(name, Reason.OUT_OF_RANGE, f"'{name}' must be a finite number, got {shown}") from None
    except (TypeError, ValueError):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a whole number, got {shown}") from None
    if isinstance(value, bool) or number < 0:
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' must be >= 0, got {shown}")
    if number > MAX_INT:
        raise RowProblem(name, Reason.OUT_OF_RANGE, f"'{name}' must be at most {MAX_INT}, got {shown}")
    return number


def _short(value: Any) -> str:
    """A value for a reject message: at most 80 characters, whatever its size."""
    if isinstance(value, int) and abs(value) >= 10**64:
        return "(a number of more than 64 digits)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def choice(value: Any, name: str, options: tuple[str, ...], default: str | None) -> str | None:
    if _missing(value):
        return default
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if text not in options:
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' must be one of {', '.join(options)}, got {_short(value)}")
    return text


def text_field(data: dict[str, Any], name: str, max_chars: int) -> tuple[str, bool]:
    """The text, stripped; ``True`` as second value when it was truncated."""
    value = data.get(name)
    if value is None:
        raise RowProblem(name, Reason.MISSING_FIELD, f"'{name}' is required")
    if not isinstance(value, str):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
    text = clean_text(value).strip()
    if not text:
        raise RowProblem(name, Reason.EMPTY_TEXT, f"'{name}' is empty after stripping white space")
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def to_post(data: dict[str, Any], max_chars: int, window: TimeWindow | None = None) -> tuple[Post, bool]:
    window = window or TimeWindow.default()
    text, truncated = text_field(data, "text", max_chars)
    post = Post(
        post_id=req_str(data, "post_id"),
        thread_id=req_str(data, "thread_id"),
        author_id=req_str(data, "author_id"),
        created_at=parse_time(data.get("created_at"), "created_at", window=window),  # type: ignore[arg-type]
        text=text,
        platform=choice(data.get("platform"), "platform", PLATFORMS, "generic") or "generic",
        channel=opt_str(data, "channel"),
        parent_id=opt_str(data, "parent_id"),
        title=opt_text(data, "title"),
        kind=choice(data.get("kind"), "kind", POST_KINDS, None),
        accepted_answer=parse_bool(data.get("accepted_answer"), "accepted_answer"),
        reactions=parse_count(data.get("reactions"), "reactions"),
        helpful_votes=parse_count(data.get("helpful_votes"), "helpful_votes"),
        views=parse_count(data.get("views"), "views"),
        url=opt_text(data, "url"),
    )
    return post, truncated


def to_feedback(data: dict[str, Any], max_chars: int, window: TimeWindow | None = None
                ) -> tuple[FeedbackAnswer, bool]:
    window = window or TimeWindow.default()
    text, truncated = text_field(data, "text", max_chars)
    rating_raw = data.get("rating")
    rating = None
    if not _missing(rating_raw):
        rating = parse_count(rating_raw, "rating")
        if not 1 <= rating <= 5:
            raise RowProblem("rating", Reason.BAD_VALUE, f"'rating' must be 1-5, got {rating_raw!r}")
    answer = FeedbackAnswer(
        response_id=req_str(data, "response_id"),
        prompt_id=req_str(data, "prompt_id"),
        moment=choice(data.get("moment"), "moment", MOMENTS, "other") or "other",
        author_id=req_str(data, "author_id"),
        created_at=parse_time(data.get("created_at"), "created_at", window=window),  # type: ignore[arg-type]
        text=text,
        rating=rating,
    )
    return answer, truncated


def to_member(data: dict[str, Any], window: TimeWindow | None = None) -> Member:
    return Member(
        author_id=req_str(data, "author_id"),
        platform=choice(data.get("platform"), "platform", PLATFORMS, "generic") or "generic",
        joined_at=parse_time(data.get("joined_at"), "joined_at", required=False, window=window or TimeWindow.default()),
        motivation=choice(data.get("motivation"), "motivation", MOTIVATIONS, "other") or "other",
        segment=opt_str(data, "segment"),
        region=opt_str(data, "region"),
        plan=opt_str(data, "plan"),
        consent_analytics=_opt_bool(data.get("consent_analytics"), "consent_analytics"),
        consent_quotes=_opt_bool(data.get("consent_quotes"), "consent_quotes"),
    )


def to_kpi(data: dict[str, Any], window: TimeWindow | None = None) -> KpiObservation:
    window = window or TimeWindow.default()
    raw_value = data.get("value")
    if _missing(raw_value):
        raise RowProblem("value", Reason.MISSING_FIELD, "'value' is required")
    if isinstance(raw_value, bool) or not isinstance(raw_value, str | int | float):
        raise RowProblem("value", Reason.BAD_TYPE, f"'value' must be a number, got {_short(raw_value)}")
    try:
        value = float(raw_value)
    except (TypeError, ValueError, OverflowError):
        raise RowProblem("value", Reason.BAD_TYPE, f"'value' must be a number, got {_short(raw_value)}") from None
    if not math.isfinite(value):
        raise RowProblem("value", Reason.OUT_OF_RANGE, f"'value' must be a finite number, got {_short(raw_value)}")
    start = parse_time(data.get("period_start"), "period_start", window=window)
    end = parse_time(data.get("period_end"), "period_end", window=window)
    assert start is not None and end is not None
    if end < start:
        raise RowProblem("period_end", Reason.BAD_VALUE, "'period_end' is before 'period_start'")
    n_raw = data.get("n")
    return KpiObservation(
        kpi_id=req_str(data, "kpi_id"),
        period_start=start,
        period_end=end,
        cohort=opt_str(data, "cohort") or "all",
        value=value,
        n=None if _missing(n_raw) else parse_count(n_raw, "n"),
    )

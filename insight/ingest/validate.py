"""Row validation: a canonical dict becomes a record, or a ``RowProblem`` naming field and reason.

The same checks run for every format, so a Slack message and a CSV row are held to one
contract (PRODUCT.md, "Data contracts").
"""

from __future__ import annotations

from datetime import UTC, datetime
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


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def req_str(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if _missing(value):
        raise RowProblem(name, Reason.MISSING_FIELD, f"'{name}' is required")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
    return str(value).strip()


def opt_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if _missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
    return str(value).strip()


def parse_time(value: Any, name: str, *, required: bool = True) -> datetime | None:
    """ISO-8601 with an offset or Z; naive times are refused (their zone is a guess)."""
    if _missing(value):
        if required:
            raise RowProblem(name, Reason.MISSING_FIELD, f"'{name}' is required")
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), tz=UTC)
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
    return parsed.astimezone(UTC)


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
    if _missing(value):
        return 0
    try:
        number = int(float(value)) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a whole number, got {value!r}") from None
    if isinstance(value, bool) or number < 0:
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' must be >= 0, got {value!r}")
    return number


def choice(value: Any, name: str, options: tuple[str, ...], default: str | None) -> str | None:
    if _missing(value):
        return default
    text = str(value).strip().lower()
    if text not in options:
        raise RowProblem(name, Reason.BAD_VALUE, f"'{name}' must be one of {', '.join(options)}, got {value!r}")
    return text


def text_field(data: dict[str, Any], name: str, max_chars: int) -> tuple[str, bool]:
    """The text, stripped; ``True`` as second value when it was truncated."""
    value = data.get(name)
    if value is None:
        raise RowProblem(name, Reason.MISSING_FIELD, f"'{name}' is required")
    if not isinstance(value, str):
        raise RowProblem(name, Reason.BAD_TYPE, f"'{name}' must be a string, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise RowProblem(name, Reason.EMPTY_TEXT, f"'{name}' is empty after stripping white space")
    if len(text) > max_chars:
        return text[:max_chars], True
    return text, False


def to_post(data: dict[str, Any], max_chars: int) -> tuple[Post, bool]:
    text, truncated = text_field(data, "text", max_chars)
    post = Post(
        post_id=req_str(data, "post_id"),
        thread_id=req_str(data, "thread_id"),
        author_id=req_str(data, "author_id"),
        created_at=parse_time(data.get("created_at"), "created_at"),  # type: ignore[arg-type]
        text=text,
        platform=choice(data.get("platform"), "platform", PLATFORMS, "generic") or "generic",
        channel=opt_str(data, "channel"),
        parent_id=opt_str(data, "parent_id"),
        title=opt_str(data, "title"),
        kind=choice(data.get("kind"), "kind", POST_KINDS, None),
        accepted_answer=parse_bool(data.get("accepted_answer"), "accepted_answer"),
        reactions=parse_count(data.get("reactions"), "reactions"),
        helpful_votes=parse_count(data.get("helpful_votes"), "helpful_votes"),
        views=parse_count(data.get("views"), "views"),
        url=opt_str(data, "url"),
    )
    return post, truncated


def to_feedback(data: dict[str, Any], max_chars: int) -> tuple[FeedbackAnswer, bool]:
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
        created_at=parse_time(data.get("created_at"), "created_at"),  # type: ignore[arg-type]
        text=text,
        rating=rating,
    )
    return answer, truncated


def to_member(data: dict[str, Any]) -> Member:
    return Member(
        author_id=req_str(data, "author_id"),
        platform=choice(data.get("platform"), "platform", PLATFORMS, "generic") or "generic",
        joined_at=parse_time(data.get("joined_at"), "joined_at", required=False),
        motivation=choice(data.get("motivation"), "motivation", MOTIVATIONS, "other") or "other",
        segment=opt_str(data, "segment"),
        region=opt_str(data, "region"),
        plan=opt_str(data, "plan"),
        consent_analytics=_opt_bool(data.get("consent_analytics"), "consent_analytics"),
        consent_quotes=_opt_bool(data.get("consent_quotes"), "consent_quotes"),
    )


def to_kpi(data: dict[str, Any]) -> KpiObservation:
    raw_value = data.get("value")
    if _missing(raw_value):
        raise RowProblem("value", Reason.MISSING_FIELD, "'value' is required")
    try:
        value = float(raw_value)
    except (TypeError, ValueError):
        raise RowProblem("value", Reason.BAD_TYPE, f"'value' must be a number, got {raw_value!r}") from None
    start = parse_time(data.get("period_start"), "period_start")
    end = parse_time(data.get("period_end"), "period_end")
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

"""Page helpers: story highlights cut into marked and plain segments."""

from __future__ import annotations

from insight.web.page import ago, http_url, segments


def test_pages_segments_mark_spans_merged_and_clipped() -> None:
    text = "We met at the meetup and built a bot."
    assert segments(text, [[10, 20], [0, 2]]) == [("We", True), (" met at ", False), ("the meetup", True),
                                                   (" and built a bot.", False)]
    assert segments(text, [[3, 9], [7, 13], [32, 99]]) == [("We ", False), ("met at the", True),
                                                           (" meetup and built a", False), (" bot.", True)]
    assert segments(text, None) == [(text, False)]


def test_pages_links_only_to_web_addresses_and_say_how_long_ago() -> None:
    from datetime import UTC, datetime

    assert http_url("https://community.example.com/t/t01/1") == "https://community.example.com/t/t01/1"
    assert http_url("javascript:alert(1)") == http_url("data:text/html,x") == http_url("//evil") == ""
    assert http_url(None) == ""
    now = datetime(2026, 5, 21, 12, 0, tzinfo=UTC)
    assert ago("2026-05-21T09:00:00+00:00", now) == "3 h ago" and ago("2026-05-18T12:00:00+00:00", now) == "3 d ago"
    assert ago("2026-05-21T11:59:30+00:00", now) == "just now"

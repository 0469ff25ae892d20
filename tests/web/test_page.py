"""Page helpers: story highlights cut into marked and plain segments."""

from __future__ import annotations

from insight.web.page import segments


def test_pages_segments_mark_spans_merged_and_clipped() -> None:
    text = "We met at the meetup and built a bot."
    assert segments(text, [[10, 20], [0, 2]]) == [("We", True), (" met at ", False), ("the meetup", True),
                                                   (" and built a bot.", False)]
    assert segments(text, [[3, 9], [7, 13], [32, 99]]) == [("We ", False), ("met at the", True),
                                                           (" meetup and built a", False), (" bot.", True)]
    assert segments(text, None) == [(text, False)]

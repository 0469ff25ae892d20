"""Evidence sentences: a point inside a version number or a name does not end a sentence."""

from __future__ import annotations

import numpy as np

from insight.stories.highlight import highlights, sentences


def test_highlight_sentences_keep_version_numbers_whole() -> None:
    text = "I was stuck for weeks. Then since 4.5 came out. It works! Upgrading to v2.1.3 helped? Yes it did."
    assert [text[s:e] for s, e in sentences(text)] == [
        "I was stuck for weeks.", "Then since 4.5 came out.", "It works!", "Upgrading to v2.1.3 helped?",
        "Yes it did."]
    other = "Bad... really bad.\nSee docs.example.com now"
    assert [other[s:e] for s, e in sentences(other)] == [
        "Bad...", "really bad.", "See docs.example.com now"]


def test_highlight_marks_the_whole_sentence_around_a_version() -> None:
    text = "The plugin crashed daily. Since 4.5 came out the mentor showed me the fix."
    # A scorer that responds to "mentor": the whole second sentence is the evidence, not "5 came out...".
    spans = highlights([text], [[0]], lambda sents: np.array([[float("mentor" in s)] for s in sents]))
    assert [text[s:e] for s, e in spans[0][0]] == ["Since 4.5 came out the mentor showed me the fix."]

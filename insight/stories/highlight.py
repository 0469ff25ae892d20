"""Evidence spans: the sentences of a story that carry a tag, as [start, end] offsets into its text."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

# A sentence ends at . ! or ? followed by a space, a line end or the text's end: a point inside a
# token ("4.5", "v2.1.3", "e.g.x", "example.com") does not end it ("since 4.5 came out." is one sentence).
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?]+(?=[^\s.!?]))+(?:[.!?]+|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (stripped of surrounding spaces), in order."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 3:
            spans.append((start, end))
    return spans or [(0, len(text))]


def highlights(texts: Sequence[str], tag_indices: Sequence[Sequence[int]],
               score: Callable[[list[str]], np.ndarray]) -> list[dict[int, list[list[int]]]]:
    """Per text, per tag index: the best sentence, plus any scoring at least 80% of it.

    ``score`` maps sentences to (n, tags) scores (the tagger's), so evidence is what the tagger
    itself responds to. One call scores every sentence of every text.
    """
    spans = [sentences(t) for t in texts]
    flat = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    scores = score(flat) if flat else np.zeros((0, 0))
    out: list[dict[int, list[list[int]]]] = []
    offset = 0
    for sp, tags in zip(spans, tag_indices, strict=True):
        block = scores[offset : offset + len(sp)]
        offset += len(sp)
        per_tag = {}
        for j in tags:
            column = block[:, j]
            best = float(column.max())
            per_tag[j] = [[s, e] for (s, e), v in zip(sp, column, strict=True) if v >= 0.8 * best]
        out.append(per_tag)
    return out

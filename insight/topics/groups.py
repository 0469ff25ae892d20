"""Topics over time and per channel or cohort: counts, shares and the words of each slice.

A slice's words are the c-TF-IDF of the topic's documents in that slice, weighed with the idf
of the whole fit, so "what the billing topic was about in March" reads against the same
baseline as the topic itself (BERTopic's ``topics_over_time`` / ``topics_per_class``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from insight.topics.ctfidf import TopicTerms, ctfidf, idf, sum_rows, top_words
from insight.topics.model import TopicModel


def period(moment: datetime, freq: str = "month") -> str:
    """``2026-03`` (month), ``2026-W09`` (ISO week) or ``2026-03-01`` (day)."""
    if freq == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if freq == "week":
        year, week, _ = moment.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return moment.date().isoformat()


def topics_per_group(model: TopicModel, texts: Sequence[str], topics: Sequence[int], groups: Sequence[str],
                     n_words: int = 10) -> list[dict[str, object]]:
    """One row per (group, topic) present: ``{group, topic, label, count, share, words}``.

    ``share`` is the topic's share of the group's documents (outliers included in the total).
    """
    topics = np.asarray(topics)
    groups = np.asarray([str(g) for g in groups])
    totals = {g: int((groups == g).sum()) for g in np.unique(groups)}
    keys = sorted({(g, int(t)) for g, t in zip(groups.tolist(), topics.tolist(), strict=True) if t != -1})
    slot = {key: i for i, key in enumerate(keys)}
    rows = np.asarray([slot.get((g, int(t)), -1) for g, t in zip(groups.tolist(), topics.tolist(), strict=True)])
    counts = model.terms_.topic_counts(list(texts), rows, len(keys))
    words = top_words(ctfidf(counts, idf(model.term_counts_)), model.terms_.lemmas_, n_words) if keys else []
    out = []
    for (group, topic), slice_words in zip(keys, words, strict=True):
        count = int(((groups == group) & (topics == topic)).sum())
        out.append({"group": group, "topic": topic, "label": model.labels_.get(topic, f"topic {topic}"),
                    "count": count, "share": round(count / totals[group], 4), "words": slice_words})
    return out


def words_per_group(texts: Sequence[str], groups: Sequence[str], n_words: int = 5) -> dict[str, list[str]]:
    """The distinctive words (c-TF-IDF lemmas) of each group of short texts, such as the feedback
    answers given after each moment; a group with no countable word gets none."""
    if not texts:
        return {}
    keys = sorted(set(groups))
    terms = TopicTerms(min_df=1)
    try:
        counts = terms.fit_counts(list(texts))
    except ValueError:  # nothing but stop words
        return {k: [] for k in keys}
    rows = np.asarray([keys.index(g) for g in groups])
    words = top_words(ctfidf(sum_rows(counts, rows, len(keys))), terms.lemmas_, n_words)
    return dict(zip(keys, words, strict=True))

"""Words of an erased member in the stored topic models: a term only they used (a name, a product
they made up) can sit in a model's vocabulary, its topic words or labels. ``scrub_words`` replaces
such words by unique tombstones, so the model keeps its shape (one tombstone per vocabulary slot,
never matched by the tokenizer) and no stored topic shows the word again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from insight.storage.analysis_tables import TopicModelRow
from insight.storage.tables import FeedbackRow, PostRow, TopicRow

TOMBSTONE = "[erased-{}]"


def topic_vocabulary(session: Session) -> set[str]:
    """Every term, lemma and topic word of the stored topic models and topics, lower-cased."""
    out: set[str] = set()
    for meta in session.scalars(select(TopicModelRow.meta)):
        out.update(str(t).lower() for t in [*(meta.get("terms") or []), *(meta.get("term_lemmas") or [])])
        for topic in meta.get("topics") or []:
            out.update(str(w).lower() for w in topic.get("words") or [])
    for words in session.scalars(select(TopicRow.words)):
        out.update(str(w).lower() for w in words or [])
    return out


def used_elsewhere(session: Session, words: Iterable[str]) -> set[str]:
    """Those of ``words`` that a stored post or answer still contains (checked after the erasure)."""
    found = set()
    for word in words:
        whole = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])")  # "logs", not "blogs"
        for column in (PostRow.text_redacted, FeedbackRow.text_redacted):
            # LIKE narrows to the texts holding the letters; the pattern then asks for the whole word.
            texts = session.scalars(select(column).where(func.lower(column).like(f"%{word}%")).limit(200))
            if any(whole.search(t.lower()) for t in texts):
                found.add(word)
                break
    return found


def _swap(values: list[Any], words: set[str]) -> tuple[list[Any], int]:
    out, changed = [], 0
    for i, value in enumerate(values):
        if str(value).lower() in words:
            out.append(TOMBSTONE.format(i))
            changed += 1
        else:
            out.append(value)
    return out, changed


def _label(label: str, words: set[str]) -> str:
    # Words of a label are joined by "_" or spaces: "\w" would take "word_word" as one.
    return re.sub(r"[^\W_]+", lambda m: "[erased]" if m.group(0).lower() in words else m.group(0), label)


def scrub_words(session: Session, words: set[str]) -> int:
    """Replace ``words`` (lower-case) in every stored topic model and topic; returns the values replaced."""
    if not words:
        return 0
    replaced = 0
    for row in session.scalars(select(TopicModelRow)):
        meta = dict(row.meta)
        meta["terms"], n_terms = _swap(list(meta.get("terms") or []), words)
        meta["term_lemmas"], n_lemmas = _swap(list(meta.get("term_lemmas") or []), words)
        topics, n_topics = [], 0
        for topic in meta.get("topics") or []:
            kept, n = _swap(list(topic.get("words") or []), words)
            label = _label(str(topic.get("label", "")), words)
            n_topics += n + (label != topic.get("label", ""))
            topics.append({**topic, "words": kept, "label": label})
        meta["topics"] = topics
        if n_terms + n_lemmas + n_topics:
            row.meta = meta
            replaced += n_terms + n_lemmas + n_topics
    for topic_row in session.scalars(select(TopicRow)):
        kept, n = _swap(list(topic_row.words or []), words)
        label = _label(topic_row.label, words)
        if n or label != topic_row.label:
            topic_row.words, topic_row.label = kept, label
            replaced += n + (label != topic_row.label)
    session.flush()
    return replaced

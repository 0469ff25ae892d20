"""The redaction evaluation: the metric on a hand example, and the redactor on the frozen test set
(models/redaction/sets/test.jsonl, commit 1064816) at the figures the README reports."""

from __future__ import annotations

from insight.training.redaction.evaluate import evaluate, load_set
from insight.training.redaction.metrics import Example, score


def test_evaluate_metric_counts_names_spans_and_false_words() -> None:
    examples = [Example("a", "Hi Ana, Webhook fails for Ana", ("Ana",)), Example("b", "my Pixel 8", ())]
    predicted = [[(3, 6, "PERSON"), (8, 15, "PERSON")], [(3, 8, "PERSON")]]
    result = score(examples, predicted)
    assert (result["gold_names"], result["found"], result["person_spans"]) == (2, 1, 3)
    assert result["recall"] == 0.5 and result["precision"] == 0.333  # 1 of 3 PERSON spans is a name
    assert [w["word"] for w in result["false_words"]] == ["Webhook", "Pixel"]
    assert result["posts_without_names_changed"] == 1 and result["missed_names"] == [{"id": "a", "name": "Ana"}]


def test_evaluate_frozen_test_set_keeps_recall_and_cuts_false_redactions() -> None:
    assert len(load_set("test")) == 70 and len(load_set("dev")) == 56
    result = evaluate("test", ["insight"])["insight"]
    # Before issue 18: precision 0.852, recall 0.535, 4 false redactions (README "Redaction precision").
    assert result["recall"] >= 0.9 and result["precision"] >= 0.9
    assert result["false_redactions"] <= 3

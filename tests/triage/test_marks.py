"""What a queue card marks and says: the words behind each reason, the priority in words, faded questions."""

from __future__ import annotations

from insight.config import TriageSettings
from insight.triage.marks import faded, priority_words, question_marks, reason_marks, sentiment_marks


def _marked(text: str, spans: list[list[int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_marks_words_of_each_reason() -> None:
    angry = "Still broken after the update. This is terrible and I'm upset, please help."
    assert _marked(angry, sentiment_marks(angry)) == ["broken", "terrible", "upset"]
    happy = "We shipped it! Brilliant work, everyone, this is awesome."
    assert _marked(happy, sentiment_marks(happy, negative=False)) == ["Brilliant", "awesome"]
    asked = "I set up the webhook yesterday. Why does it return 401 on v2.1? Any idea?"
    assert _marked(asked, question_marks(asked)) == ["Why does it return 401 on v2.1?", "Any idea?"]
    both = reason_marks({"p1": ["rising_frustration", "unanswered_question"]}, {"p1": "Why is it broken?"})
    assert _marked("Why is it broken?", both["p1"]) == ["broken", "Why is it broken?"]


def test_marks_priority_in_words_and_fading() -> None:
    settings = TriageSettings()
    words = priority_words([{"reason": "unanswered_question", "score": 0.6},
                            {"reason": "rising_frustration", "score": 0.4}], 0.61, settings)
    assert words[0] == "Strongest reason: unanswered question, strength 0.60 × urgency weight 0.9 = 0.54."
    assert words[1] == "Other reasons (rising frustration) add 15% of their strength: +0.06."
    assert "turn 0.60 into 0.61" in words[2] and words[-1].endswith("this one is above it.")
    safety = priority_words([{"reason": "safety_concern", "score": 0.9}], 1.9, settings)
    assert safety[0].startswith("A safety concern always ranks first")
    old = [{"reason": "unanswered_question", "age_hours": 48 + 31 * 24, "sla_hours": 48}]
    assert faded(["unanswered_question"], old, settings)
    assert not faded(["unanswered_question"], [{**old[0], "age_hours": 48 + 29 * 24}], settings)
    assert not faded(["unanswered_question", "rising_frustration"], old, settings)  # another reason: fresh work
    assert not faded(["unanswered_question"], old, settings.model_copy(update={"fade_unanswered_after_days": 0}))

"""Safety figures on a written set: recall per category and false alarms on the safe posts.

``verdicts`` scores rules alone (threshold above 1), the classifier alone (no rule flags) or
both: a post is flagged when a rule fires or a category reaches its threshold, as
``insight.safety.combine`` decides at scoring time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from insight.safety.rules import assess_safety
from insight.signals.model import SAFETY_LABELS


def rule_flags(texts: Sequence[str]) -> list[str | None]:
    """The rules' category per text, or None."""
    return [assess_safety(t).category for t in texts]


def verdicts(probs: np.ndarray, rules: Sequence[str | None], y: np.ndarray,
             threshold: float | np.ndarray) -> dict[str, object]:
    """``threshold``: one for every category, or one per category (SAFETY_LABELS order)."""
    flagged = np.array([rule is not None for rule in rules]) | (probs >= threshold).any(1)
    unsafe = y.sum(1) > 0
    recall = {label: round(float(flagged[y[:, j] == 1].mean()), 4) for j, label in enumerate(SAFETY_LABELS)
              if (y[:, j] == 1).any()}
    alarms = flagged[~unsafe]
    limit = threshold if np.isscalar(threshold) else dict(zip(SAFETY_LABELS, map(float, threshold), strict=True))
    return {"threshold": limit, "recall": recall, "caught": f"{int(flagged[unsafe].sum())}/{int(unsafe.sum())}",
            "false_alarm_rate": round(float(alarms.mean()), 4) if len(alarms) else 0.0,
            "false_alarms": f"{int(alarms.sum())}/{len(alarms)}"}

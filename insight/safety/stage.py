"""Safety stage: rules for threats, self-harm hints and doxxing, with the evidence span.

Runs on the raw text: redaction would hide the posted phone number that makes doxxing.
"""

from __future__ import annotations

from collections.abc import Sequence

from insight.records import Doc
from insight.runtime.stage import StageContext
from insight.safety.rules import RULES_VERSION, assess_safety


class SafetyStage:
    name = "insight.safety.keywords.v1"
    requires = ("doc.text",)
    assigns = ("doc.safety",)

    def __init__(self, context: StageContext) -> None:
        # The model name stored in provenance since the rules were first shipped; it names the rule
        # set, not a module, and stays as it is so stored signals keep comparing equal.
        self.prov = context.provenance(self.name, "insight.safety_rules", RULES_VERSION)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Doc]) -> list[Doc]:
        return [d.with_(self.prov, safety=assess_safety(d.text)) for d in batch]

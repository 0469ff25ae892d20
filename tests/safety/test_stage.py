"""The safety stage runs the rules on the raw text: a threat is flagged with its evidence, a dev idiom
stays safe, and the rule set is named in the provenance."""

from __future__ import annotations

from insight.records import Doc
from insight.runtime.stage import StageContext
from insight.safety.rules import RULES_VERSION
from insight.safety.stage import SafetyStage


def test_stage_flags_a_threat_and_keeps_a_dev_idiom_safe(settings) -> None:  # type: ignore[no-untyped-def]
    stage = SafetyStage(StageContext(settings, "run-safety"))
    stage.setup()
    threat, idiom = stage([Doc(id="1", text="Delete that review. I know where you live."),
                           Doc(id="2", text="Just kill the process and restart the worker.")])
    assert threat.safety is not None and threat.safety.label == "unsafe" and threat.safety.category == "threat"
    assert threat.safety.evidence == "I know where you live"
    assert idiom.safety is not None and idiom.safety.label == "safe"
    assert [(p.stage, p.model, p.model_revision) for p in threat.provenance] == [
        ("insight.safety.keywords.v1", "insight.safety_rules", RULES_VERSION)]


def test_stage_reads_the_raw_text_not_the_redacted_one(settings) -> None:  # type: ignore[no-untyped-def]
    stage = SafetyStage(StageContext(settings, "run-safety"))
    (doc,) = stage([Doc(id="1", text="I know where you live.", redacted="Nothing to see here.")])
    assert doc.safety is not None and doc.safety.label == "unsafe"

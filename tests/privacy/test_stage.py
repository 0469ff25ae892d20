"""The redact stage assigns ``doc.redacted``: personal data replaced by typed placeholders, the raw
text kept, and how names were found (regex only here) named in the provenance."""

from __future__ import annotations

from insight.privacy.stage import RedactStage
from insight.records import Doc
from insight.runtime.stage import StageContext


def test_stage_assigns_the_redacted_text_and_keeps_the_raw_one(settings) -> None:  # type: ignore[no-untyped-def]
    stage = RedactStage(StageContext(settings, "run-redact"))
    stage.setup()
    text = "Mail me at jane.doe@example.org or call +1 415 555 0134, thanks"
    plain, clean = stage([Doc(id="1", text=text), Doc(id="2", text="The deploy works again.")])
    assert plain.redacted == "Mail me at [EMAIL] or call [PHONE], thanks"
    assert plain.text == text
    assert clean.redacted == clean.text == "The deploy works again."
    assert [(p.stage, p.model, p.run_id) for p in plain.provenance] == [("insight.redact.v1", "regex", "run-redact")]

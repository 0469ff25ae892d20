"""Doxxing by structure: a named person beside a phone number, street address or workplace."""

from __future__ import annotations

import pytest

from insight.safety.doxxing import doxxing_span
from insight.safety.rules import assess_safety


@pytest.mark.parametrize("text,evidence", [
    ("Her real name is Hannah Cole and her mobile is 07700 900461.", "07700 900461"),
    ("Found her: Lucy Brennan, 27 Orchard Close, Bristol. Do what you want with that.", "27 Orchard Close"),
    ("That mod is actually Daniel Ruiz, he's a teacher at Westfield Primary.", "teacher at Westfield"),
    ("Here's where the streamer actually lives: flat 2, 90 Harbour Road, Brighton.", "flat 2"),
    ("The burner account belongs to Tara Quinn, her email is tq1990@example.com.", "tq1990@example.com"),
    ("Forum troll is Rob Ellis, accounts department at Marsh Holdings.", "department at Marsh"),
])
def test_a_named_person_beside_a_contact_detail_is_doxxing_with_the_detail_as_evidence(text: str,
                                                                                      evidence: str) -> None:
    verdict = assess_safety(text)
    assert (verdict.label, verdict.category) == ("unsafe", "doxxing")
    assert verdict.evidence is not None and evidence in verdict.evidence and verdict.evidence in text


@pytest.mark.parametrize("text", [
    "The meetup is at 12 High Street, doors open at 7.",  # a venue, nobody named
    "I'm Jane Porter, the new community manager, reach me at community@example.org.",  # one's own details
    "Mods, someone posted my phone number in the trading thread. Please remove it.",  # a report, no number
    "Version 3.2.1 fixed the crash on 14 March, thanks Alex Chen for the patch.",  # digits that are not a phone
    "Subs go to our treasurer, Alan Hughes, at the clubhouse, 2 Meadow Lane, Saturdays 10-12.",  # a venue
])
def test_a_venue_ones_own_details_or_a_report_are_not_doxxing(text: str) -> None:
    assert doxxing_span(text) is None

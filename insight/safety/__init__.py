"""Safety: is a post a threat, self-harm, doxxing, harassment or hate? Everything about it lives here.

- ``patterns``: the rule table (phrase shapes per category, and the dev idioms that stay safe);
- ``rules``: matching those phrases on normalised text, with the exact evidence span;
- ``combine``: the rule verdict joined with the signals model's hate and offensive heads;
- ``stage``: the rules alone as a pipeline stage (``insight.safety.keywords.v1``).

The trained heads themselves are in ``insight.signals``; thread-level safety for the moderator
queue is a triage detector (``insight.triage.detectors``) reading these verdicts.
"""

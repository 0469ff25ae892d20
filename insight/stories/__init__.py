"""Member stories: detect them, tag them with the researcher's taxonomy, review, link to KPIs and cohorts.

Modules: ``taxonomy`` (TOML taxonomies and how versions map), ``examples`` (seed examples),
``units`` (which texts are candidate stories), ``detect`` (story or not), ``tagger`` (few-shot
multi-label tags), ``highlight`` (evidence spans), ``link`` (cohorts and link ids), ``model``
(fit and tag). The use-cases that store and review are in ``insight.services.stories``; training
the detector and the figures of models/story_tagger/CARD.md in ``insight.training.stories``.
"""

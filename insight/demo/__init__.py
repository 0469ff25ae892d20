"""Synthetic demo community: a deterministic, realistic forum and chat corpus for ``insight demo``.

``insight.demo.community.generate_community`` builds members, threaded posts, feedback
answers and KPI observations from one seed, with known scenarios planted in them
(rising frustration, one veiled threat, unanswered questions, an excited showcase,
member stories) so the pipeline's triage and story tagging can be checked against truth.
"""

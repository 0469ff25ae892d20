"""Triage: the moderator queue of threads that need attention, each with its reason and evidence.

``insight.triage.rank`` turns scored threads (per-post sentiment and safety) into ranked
``TriageItem`` records for a fixed ``as_of`` time, so the same inputs always give the same queue.
"""

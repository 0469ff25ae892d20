"""Triage: the moderator queue of threads that need attention, each with its reason and evidence.

- ``detectors``: the thread-level reasons (safety, rising frustration, unanswered question,
  excitement), each a ``Signal`` read from the posts' scores; ``cues``: the text cues they read
  besides sentiment. (Per-post scores come from ``insight.signals``.)
- ``rank``: one priority per thread (reasons, reach, member context) for a fixed ``as_of``, so the
  same inputs always give the same queue.
- ``queue``: item statuses, moderator actions and what a ranking run changes (pure rules).
- ``backtest``: replays history against the rules and counts what they would have raised.
"""

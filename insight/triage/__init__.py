"""Triage: the moderator queue of threads that need attention, each with its reason and evidence.

- ``signals``: thread-level signals from post signals (safety, frustration, unanswered, excitement);
  ``cues``: the text cues they read besides sentiment.
- ``rank``: one priority per thread (reasons, reach, member context) for a fixed ``as_of``, so the
  same inputs always give the same queue.
- ``queue``: item statuses, moderator actions and what a ranking run changes (pure rules).
- ``backtest``: replays history against the rules and counts what they would have raised.
"""

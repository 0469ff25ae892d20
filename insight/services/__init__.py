"""Use-cases shared by the CLI, the HTTP API and the pages: each opens the transaction, calls the
domain packages and storage, and returns records or plain dicts.

``ingest``, ``analysis`` (score a file, analyse what is stored), ``topics``, ``triage`` and
``queue_view`` (the moderator queue), ``stories``, ``story_links``, ``story_taxonomy`` and
``pairs_cache`` (member stories and story-metric pairs), ``reports`` (the narrative report and
KPI values), ``auth`` (keys and roles), ``jobs`` and ``webhooks`` (background scoring), ``demo``;
``batch`` reads the id/text files batch commands take and writes their JSONL.
"""

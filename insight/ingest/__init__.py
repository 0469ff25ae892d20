"""Ingest: platform exports and canonical files read into validated records, bad rows reported.

``canonical`` reads CSV/JSONL/JSON tables of the PRODUCT.md contracts; ``adapters/`` turn
Discourse, Slack, Discord and GitHub exports into canonical rows; ``dispatch`` picks the reader
for a path (``--format auto``); ``validate`` turns a row into a record or a coded reject
(``base.Reject``). Pseudonyms, consent and redaction are applied on the way in by
``insight.services.ingest`` with ``insight.privacy``.
"""

"""Storage: the database below every other package; it imports only records, config and errors.

``db`` opens engines and transactions, ``tables`` holds the ORM tables and ``migrations`` the
schema history. One module per aggregate reads and writes it: ``runs``, ``members``, ``posts``
(with threads and feedback), ``kpis``, ``signals``, ``topics``, ``queue`` (triage items, queue
items and their audit), ``stories``, ``keys`` (API keys) and ``jobs`` (scoring jobs). They take a
session from the caller and return records, plain dicts or DataFrames, never ORM rows; no module
outside ``insight.storage`` builds a query (``tests/test_storage_boundary.py`` checks it).
"""

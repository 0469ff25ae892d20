"""Shared test code: builders, paths, databases, the API service, payloads; one module per theme.

The rule (``tests/test_tests_layout.py`` holds it): test modules, conftests and benchmarks import
shared code from ``tests.support``, never from a conftest or another test module; conftests hold
fixtures only. The modules:

- ``paths``: the repository, the shared data folder and the test data folders.
- ``databases``: settings on a fresh SQLite file, and an own PostgreSQL schema per test.
- ``cli``: running ``insight`` as a user does (subprocess) and in process.
- ``service``: the API service the API, page and CLI tests run against, and a live server.
- ``browser``: the system Chromium and logging in to the pages.
- ``payloads``: webhook bodies as the platforms send them.
- ``ingest``: reading the platform export samples and checking what the adapters give.
- ``stories``: a tiny community with planted stories, and stories seeded without the tagger.
- ``triage``: scored posts and threads, and cheap (VADER) signals stored for every post.
- ``storage``: rows for the storage and consent tests.
- ``topics``: the Banking77 sample the topic tests share.
- ``runtime``: stub stages for the pipeline and registry tests.
- ``imports``: reading a tree's imports, and planting a violation in a copy (the layout checks).

Importing this package sets the offline defaults the suite runs with: no test reaches a model hub.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

"""Fixtures for report tests: the demo run is tests/conftest.py's `demo_run`.

The demo (synthetic community through the whole pipeline, stories loop included, ~1-2 minutes)
is built once per session and shared read-only.
"""

from __future__ import annotations

DEMO_SEED = 7  # the seed tests/conftest.py's demo_run uses

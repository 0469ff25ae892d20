"""Where things are: the repository, the package, the shared data beside it, the test data folders."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "insight"
SHARED_DATA = REPO.parent / "shared" / "data"  # public data sets and platform samples, beside the checkout
PLATFORM_FORMATS = SHARED_DATA / "platform_formats"  # real export samples of each platform
TEST_DATA = REPO / "tests" / "data"  # written for these tests
TRIAGE_DATA = TEST_DATA / "triage"  # 42 labelled threads (threads.jsonl, labels.jsonl)
SAFETY_DATA = TEST_DATA / "safety"  # the safety evaluation and holdout sets
TRIAGE_TRANSFER = TEST_DATA / "triage_transfer"  # issue 16: test/ frozen in 353df55 (never tuned on), dev/

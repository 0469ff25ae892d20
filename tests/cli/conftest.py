"""CLI fixtures: real member questions as the id/text CSV a user would score or cluster."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support.paths import SHARED_DATA


@pytest.fixture(scope="module")
def posts_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 real member questions (Banking77) as an id/text CSV."""
    folder = tmp_path_factory.mktemp("posts")
    target = folder / "posts.csv"
    with (SHARED_DATA / "banking77" / "train.csv").open() as src, target.open("w", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(["id", "text"])
        for i, row in enumerate(csv.DictReader(src)):
            if i == 2000:
                break
            writer.writerow([f"b{i}", row["text"]])
    return target

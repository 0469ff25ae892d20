"""Fuzzing ingest with Hypothesis, on SQLite and PostgreSQL, per input format (canonical JSONL and CSV,
Slack, Discord and Discourse exports, GitHub webhook payloads): whatever the hostile
rows, no exception escapes, every row is accounted for (stored, duplicate, excluded or a coded
reject) and every good row is stored. Example counts are bounded to keep the suite fast."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from insight.ingest.base import Reason
from insight.runtime import registry
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import PostRow
from tests.support.fuzz import (
    HOSTILE_SCALARS,
    PLATFORM_ITEMS,
    github_payloads,
    good_post,
    hostile_export,
    hostile_messages,
    hostile_posts,
    slack_export,
    write_csv,
    write_jsonl,
)
from tests.support.paths import PLATFORM_FORMATS

FUZZ = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
CODES = {r.value for r in Reason}
_runs = itertools.count()


def _check(summary, engine, good_ids: set[str]) -> None:  # type: ignore[no-untyped-def]
    accounted = summary.inserted + summary.duplicates + summary.excluded_no_consent + summary.rejected
    assert accounted >= summary.read - summary.members  # nothing vanishes without a trace
    if summary.rejects:
        reasons = {json.loads(line)["reason"] for line in Path(summary.rejects).read_text().splitlines()}
        assert reasons <= CODES
    with session_scope(engine) as session:
        stored = set(session.scalars(select(PostRow.post_id).where(PostRow.post_id.in_(sorted(good_ids)))))
    assert stored == good_ids


def _fuzz_canonical(db_settings, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)

    @given(bad=hostile_posts(prefix=suffix))
    @FUZZ
    def run(bad: list[str]) -> None:
        n = next(_runs)
        good = [good_post(i, f"{suffix}{n}") for i in range(3)]
        path = tmp_path / f"posts{n}.{suffix}"
        (write_jsonl if suffix == "jsonl" else write_csv)(path, good, bad)
        summary = ingest_paths([path], engine=engine, settings=db_settings)
        _check(summary, engine, {str(r["post_id"]) for r in good})

    run()


def test_fuzz_canonical_jsonl(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fuzz_canonical(db_settings, tmp_path, "jsonl")


def test_fuzz_canonical_csv(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fuzz_canonical(db_settings, tmp_path, "csv")


def test_fuzz_slack_export(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)

    @given(bad=hostile_messages())
    @FUZZ
    def run(bad: list) -> None:  # type: ignore[type-arg]
        n = next(_runs)
        good = [good_post(i, f"slack{n}") for i in range(3)]
        root = slack_export(tmp_path / f"slack{n}", good, bad, n)
        summary = ingest_paths([root], engine=engine, settings=db_settings)
        with session_scope(engine) as session:
            texts = set(session.scalars(select(PostRow.text).where(PostRow.text.like(f"A good post slack{n} %"))))
        assert {r["text"] for r in good} <= texts  # every good message stored, whatever sat beside it
        assert summary.inserted + summary.duplicates + summary.rejected >= len(good)

    run()


def _fuzz_export(fmt: str, db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    sample, items_at, id_key = PLATFORM_ITEMS[fmt]

    @given(pick=st.integers(0, 50), field=st.sampled_from(EXPORT_FIELDS[fmt]), value=HOSTILE_SCALARS)
    @FUZZ
    def run(pick: int, field: str | None, value) -> None:  # type: ignore[no-untyped-def]
        n = next(_runs)
        path, untouched = hostile_export(PLATFORM_FORMATS / sample, items_at, id_key, n, pick, field, value,
                                         tmp_path / f"{fmt}{n}" / Path(sample).name)
        clean, _ = hostile_export(PLATFORM_FORMATS / sample, items_at, id_key, n, pick, id_key, "x",
                                  tmp_path / f"{fmt}{n}-clean" / Path(sample).name)
        # Good rows: the untouched items the adapter makes posts of (system messages are not posts).
        posts = {str(r.data["post_id"]) for r in registry.adapters.build(fmt).read(clean)
                 if getattr(r, "kind", None) == "post"}
        summary = ingest_paths([path], engine=engine, settings=db_settings, fmt=fmt)
        _check(summary, engine, posts & untouched)

    run()


EXPORT_FIELDS = {
    "discord": [None, "id", "type", "timestamp", "content", "author", "reactions", "reference"],
    "discourse": [None, "id", "topic_id", "post_number", "created_at", "cooked", "raw", "user_id", "username",
                  "reply_to_post_number", "reads", "score"],
}


def test_fuzz_discord_export(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fuzz_export("discord", db_settings, tmp_path)


def test_fuzz_discourse_export(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fuzz_export("discourse", db_settings, tmp_path)


def test_fuzz_github_payloads(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    sample = PLATFORM_FORMATS / "github_webhooks" / "issue_comment" / "created.payload.json"

    @given(field=st.sampled_from([None, "id", "user", "created_at", "body", "reactions", "html_url"]),
           value=HOSTILE_SCALARS)
    @FUZZ
    def run(field: str | None, value) -> None:  # type: ignore[no-untyped-def]
        n = next(_runs)
        paths, good = github_payloads(sample, tmp_path / f"github{n}", n, field, value)
        summary = ingest_paths(paths, engine=engine, settings=db_settings, fmt="github")
        _check(summary, engine, good)

    run()

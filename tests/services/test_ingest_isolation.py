"""Row isolation, on SQLite and PostgreSQL: every bad value is a coded reject and the good rows are kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from insight.services import ingest as ingest_service
from insight.services.ingest import ingest_paths
from insight.storage.db import make_engine, session_scope
from insight.storage.tables import KpiObservationRow, PostRow


def _post(post_id: str, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {"post_id": post_id, "thread_id": "t1", "author_id": "alice",
                              "created_at": "2026-03-01T10:00:00Z", "text": "A fine post about keys."}
    row.update(changes)
    return row


# (name, the raw JSONL line, the reject reason it must get)
BAD_LINES: list[tuple[str, str, str]] = [
    ("reactions 1e400", '{"post_id": "b1", "thread_id": "t", "author_id": "a", "created_at": "2026-03-01T10:00:00Z",'
                        ' "text": "x", "reactions": 1e400}', "out_of_range"),
    ("views NaN", json.dumps(_post("b2", views=float("nan"))), "bad_type"),
    ("views over 2^31", json.dumps(_post("b3", views=2**31)), "out_of_range"),
    ("helpful votes over 2^63", json.dumps(_post("b4", helpful_votes=2**64)), "out_of_range"),
    ("year 1 with an offset", json.dumps(_post("b5", created_at="0001-01-01T00:00:00+01:00")), "bad_timestamp"),
    ("year 9999 with an offset", json.dumps(_post("b6", created_at="9999-12-31T23:00:00-05:00")), "bad_timestamp"),
    ("year 2300", json.dumps(_post("b7", created_at="2300-01-01T00:00:00Z")), "bad_timestamp"),
    ("epoch 1e300", json.dumps(_post("b8", created_at=1e300)), "bad_timestamp"),
    ("id over 256 characters", json.dumps(_post("b" * 300)), "too_long"),
    ("NUL in id", json.dumps(_post("b10\u0000")), "bad_value"),
    ("lone surrogate in id", '{"post_id": "b11\\ud800", "thread_id": "t", "author_id": "a", '
                             '"created_at": "2026-03-01T10:00:00Z", "text": "x"}', "bad_value"),
    ("lone surrogate in author", '{"post_id": "b12", "thread_id": "t", "author_id": "a\\udfff", '
                                 '"created_at": "2026-03-01T10:00:00Z", "text": "x"}', "bad_value"),
    ("author id a 5000-digit number", '{"post_id": "b13", "thread_id": "t", "author_id": ' + "9" * 5000 +
                                      ', "created_at": "2026-03-01T10:00:00Z", "text": "x"}', "malformed"),
    ("author id a 70-digit number", json.dumps(_post("b13b", author_id=10**70)), "too_long"),
    ("channel as an object", json.dumps(_post("b14", channel={"a": 1})), "bad_type"),
    ("JSON nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "malformed"),
    ("platform as a list", json.dumps(_post("b16", platform=["slack"])), "bad_value"),
]


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _rejects(summary) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return [json.loads(line) for line in Path(summary.rejects).read_text().splitlines()]


def test_each_bad_value_is_a_coded_reject_and_good_rows_are_kept(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = [json.dumps(_post(f"g{i}", text=f"Good post {i}\u0000 with a NUL and a \ud800 half pair"))
            for i in range(3)]
    lines = [good[0], *(line for _, line, _ in BAD_LINES[:8]), good[1], *(line for _, line, _ in BAD_LINES[8:]),
             good[2]]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    engine = make_engine(db_settings)
    summary = ingest_paths([path], engine=engine, settings=db_settings)
    assert summary.inserted == 3 and summary.rejected == len(BAD_LINES)
    by_line = {r["line"]: r["reason"] for r in _rejects(summary)}
    bad_line_numbers = [n for n in range(1, len(lines) + 1) if n not in (1, 10, len(lines))]
    assert [by_line[n] for n in bad_line_numbers] == [reason for _, _, reason in BAD_LINES]
    with session_scope(engine) as session:
        texts = list(session.scalars(select(PostRow.text)))
    assert all("\u0000" not in t and "\ufffd" in t for t in texts)  # text kept, made storable


def test_kpi_nan_and_infinite_values_are_rejects(db_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kpis.csv"
    path.write_text("kpi_id,period_start,period_end,value\n"
                    "retention,2026-01-01,2026-02-01,0.4\n"
                    "retention,2026-02-01,2026-03-01,nan\n"
                    "retention,2026-03-01,2026-04-01,1e400\n"
                    "retention,0001-01-01,2026-04-01,0.1\n"
                    "retention,2026-04-01,2026-05-01,0.5\n")
    engine = make_engine(db_settings)
    summary = ingest_paths([path], engine=engine, settings=db_settings)
    assert summary.kpi_observations == 2 and _count(engine, KpiObservationRow) == 2
    assert [r["reason"] for r in _rejects(summary)] == ["out_of_range", "out_of_range", "bad_timestamp"]


def test_plausible_window_is_configurable(tmp_path: Path) -> None:
    from tests.support.databases import settings_in

    settings = settings_in(tmp_path).model_copy(update={"ingest": settings_in(tmp_path).ingest.model_copy(
        update={"earliest": "2026-03-02"})})
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps(_post("early")) + "\n" + json.dumps(_post("late", created_at="2026-03-05T00:00:00Z"))
                    + "\n")
    summary = ingest_paths([path], engine=make_engine(settings), settings=settings)
    assert summary.inserted == 1 and [r["reason"] for r in _rejects(summary)] == ["bad_timestamp"]


def test_a_database_error_rejects_only_its_row(db_settings, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A batch the database refuses is retried row by row: only the culprit is a ``storage`` reject."""
    from sqlalchemy.exc import IntegrityError

    real = ingest_service.posts.insert_posts

    def refusing(session, items, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(post.post_id == "poison" for post, _, _ in items):  # plumbing fake: any constraint the database enforces
            raise IntegrityError("INSERT INTO posts", {}, Exception("value refused\nDETAIL: secret text"))
        return real(session, items, *args, **kwargs)

    monkeypatch.setattr(ingest_service.posts, "insert_posts", refusing)
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(_post(pid)) for pid in ("a", "b", "poison", "c")) + "\n")
    engine = make_engine(db_settings)
    summary = ingest_paths([path], engine=engine, settings=db_settings)
    assert (summary.inserted, summary.rejected, summary.read) == (3, 1, 4)
    (reject,) = _rejects(summary)
    assert reject["reason"] == "storage" and reject["line"] == 3 and "secret" not in reject["detail"]
    assert _count(engine, PostRow) == 3
    again = ingest_paths([path], engine=engine, settings=db_settings)  # the retry left no half-stored state
    assert (again.inserted, again.duplicates, again.rejected) == (0, 3, 1)


@pytest.mark.parametrize("case", ["dangling symlink", "deep JSON day file", "folder named like a day file"])
def test_a_broken_file_in_a_slack_export_is_one_reject(case: str, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "slack"
    (root / "general").mkdir(parents=True)
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "ann"}]))
    message = {"type": "message", "user": "U1", "text": "hello there", "ts": "1772359200.000100"}
    (root / "general" / "2026-03-01.json").write_text(json.dumps([message]))
    broken = root / "general" / "2026-03-02.json"
    if case == "dangling symlink":
        broken.symlink_to(tmp_path / "gone.json")
    elif case == "deep JSON day file":
        broken.write_text("[" * 100_000 + "]" * 100_000)
    else:
        broken.mkdir()
    summary = ingest_paths([root], engine=make_engine(settings), settings=settings)
    assert summary.inserted == 1
    assert [(r["reason"], Path(r["source"]).name) for r in _rejects(summary)] == [("malformed", "2026-03-02.json")]

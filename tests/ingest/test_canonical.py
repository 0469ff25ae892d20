"""Canonical JSONL / CSV / JSON reading: good rows go on, bad rows are rejected with their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insight.errors import InputError
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import read_canonical, sniff_kind
from insight.ingest.validate import RowProblem, to_feedback, to_kpi, to_member, to_post
from tests.support.paths import TEST_DATA

FIXTURES = TEST_DATA / "canonical"

GOOD = {
    "post_id": "p1",
    "thread_id": "t1",
    "author_id": "a1",
    "created_at": "2026-03-01T12:00:00Z",
    "text": "How do I export my data?",
}


def _split(rows: list[RawRow | Reject]) -> tuple[list[RawRow], list[Reject]]:
    return [r for r in rows if isinstance(r, RawRow)], [r for r in rows if isinstance(r, Reject)]


def _problem(row: RawRow) -> RowProblem | None:
    try:
        to_post(row.data, 20000)
    except RowProblem as problem:
        return problem
    return None


def test_canonical_jsonl_bad_lines_are_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps(GOOD),  # 1 good
        "",  # 2 blank: skipped
        '{"post_id": "p2", "thread_id": "t1",',  # 3 broken JSON
        json.dumps({**GOOD, "post_id": "p3", "text": "  "}),  # 4 empty text
        json.dumps({k: v for k, v in GOOD.items() if k != "author_id"} | {"post_id": "p4"}),  # 5 no author
        "[1, 2]",  # 6 not an object
        json.dumps({**GOOD, "post_id": "p5"}),  # 7 good
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, rejects = _split(list(read_canonical(path, "post")))
    assert [(r.line, r.reason) for r in rejects] == [(3, Reason.MALFORMED), (6, Reason.MALFORMED)]
    assert [r.line for r in rows] == [1, 4, 5, 7]
    assert all(r.kind == "post" and r.source == str(path) for r in rows)
    problems = {r.line: _problem(r) for r in rows}
    assert problems[1] is None and problems[7] is None
    assert (problems[4].field, problems[4].reason) == ("text", Reason.EMPTY_TEXT)  # type: ignore[union-attr]
    assert (problems[5].field, problems[5].reason) == ("author_id", Reason.MISSING_FIELD)  # type: ignore[union-attr]


def test_canonical_jsonl_bad_bytes_reject_one_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(GOOD).encode()
        + b'\n{"text": "caf\xe9"}\n'
        + json.dumps({**GOOD, "post_id": "p2"}).encode()
        + b"\n"
    )
    rows, rejects = _split(list(read_canonical(path, "post")))
    assert [r.line for r in rows] == [1, 3] and [(r.line, r.reason) for r in rejects] == [(2, Reason.MALFORMED)]


def test_canonical_csv_line_numbers_empty_cells_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(
        b"\xef\xbb\xbf Post_ID ,thread_id,author_id,created_at,text,parent_id,reactions\r\n"  # 1 header (BOM, odd case)
        b"p1,t1,a1,2026-03-01T12:00:00Z,First,,3\r\n"  # 2 good, empty parent
        b'p2,t1,a2,2026-03-01T13:00:00Z,"Two\r\nlines, quoted",p1,\r\n'  # 3-4 good, multi-line cell
        b"p3,t1,a3,2026-03-01T14:00:00Z,,p1,\r\n"  # 5 empty text
        b"p4,t1,a4,2026-03-01T15:00:00Z,Too,many,cells,here\r\n"  # 6 extra cells
        b"\r\n"  # 7 blank
        b"p5,t1,a5,2026-03-01T16:00:00Z,caf\xe9,p1,\r\n"  # 8 not UTF-8
        b"p6,t1,a6,not a date,Last,p1,1\r\n"  # 9 bad timestamp
    )
    rows, rejects = _split(list(read_canonical(path, "post")))
    assert [(r.line, r.reason) for r in rejects] == [(6, Reason.MALFORMED), (8, Reason.MALFORMED)]
    assert [r.line for r in rows] == [2, 3, 5, 9]
    first, second, empty, late = rows
    assert first.data["post_id"] == "p1" and first.data["parent_id"] is None and first.data["reactions"] == "3"
    assert second.data["text"] == "Two\r\nlines, quoted"
    assert _problem(first) is None and _problem(second) is None
    assert _problem(empty).reason is Reason.MISSING_FIELD  # type: ignore[union-attr]  # empty cell -> None
    assert _problem(late).reason is Reason.BAD_TIMESTAMP  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("", "E603"),
        ("post_id,thread_id,text\np1,t1,hello\n", "E604"),
    ],
)
def test_canonical_csv_unusable_header_raises(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(read_canonical(path, "post"))
    assert info.value.code == code and str(path) in info.value.message


def test_canonical_json_array_pointers_and_bad_elements(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([GOOD, "oops", {**GOOD, "post_id": "p2"}]), encoding="utf-8")
    rows, rejects = _split(list(read_canonical(path, "post")))
    assert [r.pointer for r in rows] == ["/0", "/2"]
    assert [(r.pointer, r.reason) for r in rejects] == [("/1", Reason.MALFORMED)]


@pytest.mark.parametrize("content", ['[{"post_id": "p1",', '{"latest_posts": []}'])
def test_canonical_json_that_is_no_array_is_one_reject(tmp_path: Path, content: str) -> None:
    path = tmp_path / "posts.json"
    path.write_text(content, encoding="utf-8")
    rows = list(read_canonical(path, "post"))
    assert len(rows) == 1 and isinstance(rows[0], Reject) and rows[0].reason is Reason.MALFORMED


@pytest.mark.parametrize("name", ["posts.txt", "posts.parquet", "posts"])
def test_canonical_unsupported_suffix_raises(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("post_id\n", encoding="utf-8")
    for call in (lambda: list(read_canonical(path, "post")), lambda: sniff_kind(path)):
        with pytest.raises(InputError) as info:
            call()
        assert info.value.code == "E605"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("posts.jsonl", "post"),
        ("members.csv", "member"),
        ("feedback.csv", "feedback"),
        ("kpi.json", "kpi"),
    ],
)
def test_canonical_fixtures_sniff_read_and_validate(name: str, kind: str) -> None:
    path = FIXTURES / name
    assert sniff_kind(path) == kind
    rows, rejects = _split(list(read_canonical(path, kind)))  # type: ignore[arg-type]
    assert rows and not rejects
    validate = {
        "post": lambda d: to_post(d, 20000),
        "member": to_member,
        "feedback": lambda d: to_feedback(d, 20000),
        "kpi": to_kpi,
    }[kind]
    for row in rows:
        validate(row.data)


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("author_id,joined_at,segment", "member"),
        ("author_id,consent_analytics", "member"),
        ("author_id,joined_at,post_id", None),
        ("id,text", None),
        ("post_id,text", None),
    ],
)
def test_canonical_sniff_kind_rules(tmp_path: Path, header: str, kind: str | None) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(header + "\n", encoding="utf-8")
    assert sniff_kind(path) == kind


def test_canonical_sniff_kind_skips_a_broken_first_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('\n{"broken\n{"response_id": "r1", "text": "ok"}\n', encoding="utf-8")
    assert sniff_kind(path) == "feedback"

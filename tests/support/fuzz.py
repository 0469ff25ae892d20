"""Hostile values and files for the ingest fuzz suite (tests/services/test_ingest_fuzz.py).

Each writer puts good rows (which must all be stored) and hostile rows (which must each end as a
coded reject, a duplicate, or a stored row) into one input of its format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Values that broke batches before issue 15, and their neighbours.
HOSTILE_SCALARS = st.one_of(
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 2**31, 2**63, -(2**63) - 1, 10**70, -1, 0.5, True,
                     "", " ", "\u0000", "a\u0000b", "\ud800", "x" * 300, "0001-01-01T00:00:00+01:00",
                     "9999-12-31T23:00:00-05:00", "2300-01-01T00:00:00Z", "1e400", "NaN", "null", "[]", "{}"]),
    st.integers(), st.floats(), st.text(max_size=40), st.none(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
POST_FIELDS = ("post_id", "thread_id", "author_id", "created_at", "text", "platform", "channel", "parent_id",
               "title", "kind", "accepted_answer", "reactions", "helpful_votes", "views", "url")
BROKEN_LINES = st.sampled_from(["{", "[" * 5000 + "]" * 5000, '{"post_id": ' + "9" * 5000 + "}", "\u0000",
                                '"just a string"', "[1, 2]", '{"a": NaN}'])


def good_post(n: int, prefix: str) -> dict[str, Any]:
    return {"post_id": f"{prefix}-good-{n}", "thread_id": f"{prefix}-t{n % 3}", "author_id": f"author{n}",
            "created_at": "2026-03-01T10:00:00Z", "text": f"A good post {prefix} number {n} about the export."}


@st.composite
def hostile_posts(draw: Any, prefix: str) -> list[str]:
    """JSONL lines: good rows with one field made hostile, or lines that are not JSON objects at all."""
    lines = []
    for n in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            lines.append(draw(BROKEN_LINES))
            continue
        row = good_post(n, f"{prefix}-bad")
        row[draw(st.sampled_from(POST_FIELDS))] = draw(HOSTILE_SCALARS)
        lines.append(json.dumps(row))
    return lines


def write_jsonl(path: Path, good: list[dict[str, Any]], bad: list[str]) -> Path:
    lines = [json.dumps(r) for r in good] + bad
    lines = lines[::2] + lines[1::2]  # interleave good and bad
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
    return path


def write_csv(path: Path, good: list[dict[str, Any]], bad: list[str]) -> Path:
    """CSV rows: each hostile JSON row's values as text (broken lines become a garbage cell)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(POST_FIELDS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in good:
        writer.writerow(row)
    for line in bad:
        try:
            row = json.loads(line)
        except (ValueError, RecursionError):
            row = {"post_id": line[:50]}
        writer.writerow({k: str(v) for k, v in row.items()} if isinstance(row, dict) else {"text": str(row)[:50]})
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    return path


def slack_export(root: Path, good: list[dict[str, Any]], bad: list[Any], run: int) -> Path:
    (root / "general").mkdir(parents=True)
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "ann"}]))
    messages = [{"type": "message", "user": "U1", "text": r["text"], "ts": f"{1772359200 + run}.{n:06d}"}
                for n, r in enumerate(good)]
    (root / "general" / "2026-03-01.json").write_text(json.dumps(messages + bad))
    return root


@st.composite
def hostile_messages(draw: Any) -> list[Any]:
    """Slack messages with one hostile field, or not a message at all."""
    out = []
    for n in range(draw(st.integers(1, 5))):
        message: Any = {"type": "message", "user": "U1", "text": "hostile", "ts": f"1772360000.{n:06d}"}
        field = draw(st.sampled_from(["type", "user", "text", "ts", "thread_ts", "subtype", "reactions", None]))
        if field is None:
            message = draw(HOSTILE_SCALARS)
        else:
            message[field] = draw(HOSTILE_SCALARS)
        out.append(message)
    return out


# --- platform exports: a real sample, one item made hostile ---------------------------------------

PLATFORM_ITEMS = {
    # format: (sample file under ../shared/data/platform_formats, path to the list of posts, id key)
    "discord": ("discord_chat_exporter_json/GC_3A_5M.json", ("messages",), "id"),
    "discourse": ("discourse_api_client_fixtures/topic.json", ("post_stream", "posts"), "id"),
}


def hostile_export(sample: Path, items_at: tuple[str, ...], id_key: str, run: int, pick: int, field: str | None,
                   value: Any, target: Path) -> tuple[Path, set[str]]:
    """A copy of a real export with fresh ids (so each run stores anew) and item ``pick`` made hostile:
    ``field`` set to ``value``, or the whole item replaced by ``value`` when ``field`` is None.
    Returns the file and the ids of the untouched items, which must all be stored."""
    doc = json.loads(sample.read_text(encoding="utf-8"))
    items = doc
    for key in items_at:
        items = items[key]
    good = set()
    for i, item in enumerate(items):
        item[id_key] = f"{item[id_key]}{run:05d}" if isinstance(item[id_key], str) else item[id_key] + run * 10**7
        if i != pick % len(items):
            good.add(str(item[id_key]))
    index = pick % len(items)
    if field is None:
        items[index] = value
    else:
        items[index][field] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(json.dumps(doc, allow_nan=True).encode("utf-8", "surrogatepass"))
    return target, good


def github_payloads(sample: Path, folder: Path, run: int, field: str | None, value: Any,
                    copies: int = 4) -> tuple[list[Path], set[str]]:
    """``copies`` issue_comment payloads from a real one, each with a fresh comment id; the last made
    hostile (a comment field set to ``value``, or the whole comment replaced when ``field`` is None).
    Returns the files and the ids of the untouched comments (``issue_comment:<id>``)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, good = [], set()
    for i in range(copies):
        payload = json.loads(sample.read_text(encoding="utf-8"))
        payload["comment"]["id"] = run * 100 + i + 10**9
        if i == copies - 1:
            if field is None:
                payload["comment"] = value
            else:
                payload["comment"][field] = value
        else:
            good.add(f"issue_comment:{payload['comment']['id']}")
        path = folder / f"created.{i}.payload.json"
        path.write_bytes(json.dumps(payload, allow_nan=True).encode("utf-8", "surrogatepass"))
        paths.append(path)
    return paths, good

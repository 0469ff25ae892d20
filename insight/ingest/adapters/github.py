"""GitHub adapter: issues, issue_comment, discussion and discussion_comment webhook payloads to rows.

Reads one payload file, or every payload file in a folder (recursively). Each payload
yields the issue or discussion it is about, plus the comment (``comment``) or chosen answer
(``answer``) it carries. Events that change no text (``labeled``, ``locked``,
``category_changed``...) therefore yield the same post again under the same id: downstream
deduplication makes that a no-op, which keeps this adapter stateless.

Mapping:

- issue / discussion: ``post_id`` ``"issue:<id>"`` / ``"discussion:<id>"``, ``kind``
  "question" (the thread root: what a member asked or reported), ``title``.
- comment: ``post_id`` ``"issue_comment:<id>"`` / ``"discussion_comment:<id>"``, ``kind``
  "reply", ``parent_id`` the comment it answers in a discussion's nested replies
  (``parent_id``), else the issue or discussion post.
- the ``answer`` of a ``discussion`` ``answered`` event: a discussion comment with
  ``accepted_answer`` true and ``kind`` "answer".
- ``thread_id`` = ``"<owner>/<repo>#<number>"`` (issues and discussions share one number
  space per repository); ``author_id`` = ``user.id``; ``created_at``; ``reactions`` =
  ``reactions.total_count``; ``url`` = ``html_url``.
- ``channel``: the repository ``full_name`` for issues; ``"<full_name>/<category name>"``
  for discussions, since category names ("General", "Q&A") repeat across repositories.
- ``text`` = ``body``. An issue or discussion opened with an empty body uses its title as
  text (the title is then all the member wrote); with neither, EMPTY_TEXT.

Rejected as UNSUPPORTED: ``deleted`` events (the text was withdrawn) and items written by
bots (``user.type`` "Bot"). A file that is no such payload yields one UNSUPPORTED reject.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import load_json

PLATFORM = "github"
_SUBJECTS = ("issue", "discussion")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_payload(content: Any) -> bool:
    return (
        isinstance(content, dict)
        and isinstance(content.get("action"), str)
        and isinstance(content.get("repository"), dict)
        and any(isinstance(content.get(key), dict) for key in (*_SUBJECTS, "comment"))
    )


def _item(obj: dict[str, Any], source: str, pointer: str, post_id: str, data: dict[str, Any]) -> RawRow | Reject:
    """Fields shared by issues, discussions and comments; ``data`` adds the rest."""
    user = _dict(obj.get("user"))
    if user.get("type") == "Bot":
        return Reject(source, Reason.UNSUPPORTED, "written by a bot", field="user", pointer=pointer, row_id=post_id)
    text = (obj.get("body") or "").strip() or (data.get("title") or "").strip()
    if not text:
        return Reject(source, Reason.EMPTY_TEXT, "no body and no title", field="text", pointer=pointer, row_id=post_id)
    reactions = _dict(obj.get("reactions"))
    row = {
        "post_id": post_id,
        "platform": PLATFORM,
        "author_id": None if user.get("id") is None else str(user["id"]),
        "created_at": obj.get("created_at"),
        "text": text,
        "reactions": reactions.get("total_count") or 0,
        "url": obj.get("html_url"),
        **data,
    }
    return RawRow(kind="post", data=row, source=source, pointer=pointer)


def _rows(payload: dict[str, Any], source: str) -> Iterator[RawRow | Reject]:
    if payload["action"] == "deleted":
        yield Reject(source, Reason.UNSUPPORTED, "deleted on GitHub: the text was withdrawn", field="action")
        return
    repo = payload["repository"].get("full_name")
    subject = next((key for key in _SUBJECTS if isinstance(payload.get(key), dict)), None)
    if subject is None:
        yield Reject(source, Reason.MISSING_FIELD, "payload names no issue or discussion", field="thread_id")
        return
    root = payload[subject]
    if root.get("id") is None or root.get("number") is None:
        yield Reject(
            source, Reason.MISSING_FIELD, f"{subject} has no id or number", field="post_id", pointer=f"/{subject}"
        )
        return
    root_id = f"{subject}:{root['id']}"
    category = _dict(root.get("category"))
    channel = f"{repo}/{category['name']}" if category.get("name") else repo
    thread = {"thread_id": f"{repo}#{root['number']}", "channel": channel}
    yield _item(
        root,
        source,
        f"/{subject}",
        root_id,
        {**thread, "title": root.get("title"), "kind": "question", "parent_id": None},
    )
    for key, accepted in (("comment", False), ("answer", True)):
        comment = payload.get(key)
        if not isinstance(comment, dict):
            continue
        if comment.get("id") is None:
            yield Reject(source, Reason.MISSING_FIELD, f"{key} has no id", field="post_id", pointer=f"/{key}")
            continue
        nested = comment.get("parent_id")
        parent = f"{subject}_comment:{nested}" if nested else root_id
        yield _item(
            comment,
            source,
            f"/{key}",
            f"{subject}_comment:{comment['id']}",
            {**thread, "parent_id": parent, "kind": "answer" if accepted else "reply", "accepted_answer": accepted},
        )


class GitHubAdapter:
    """Reads GitHub issue and discussion webhook payloads; see the module docstring."""

    name = "github"

    def sniff(self, path: Path) -> bool:
        """True for a JSON payload with ``action``, ``repository`` and an issue, discussion or
        comment, or a folder holding one (at any depth)."""
        if path.is_dir():
            return any(self.sniff(p) for p in sorted(path.rglob("*.json")))
        return path.suffix.lower() == ".json" and is_payload(load_json(path))

    def read(self, path: Path) -> Iterator[RawRow | Reject]:
        """Yield the posts of one payload file or of every payload file in a folder."""
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*.json") if p.is_file())
        for file in files:
            content = load_json(file)
            if isinstance(content, Reject):
                yield content
            elif not is_payload(content):
                yield Reject(str(file), Reason.UNSUPPORTED, "not a GitHub issues or discussions webhook payload")
            else:
                try:
                    yield from _rows(content, str(file))
                except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:  # an unexpected type
                    yield Reject(str(file), Reason.MALFORMED, f"unreadable payload: {exc!r}")

"""Discord adapter: DiscordChatExporter JSON (``guild``, ``channel``, ``messages[]``) to canonical rows.

Reads one export file, or every export file in a folder (recursively). Mapping of a
message:

- ``post_id`` = message ``id`` (Discord snowflakes are globally unique).
- ``thread_id`` = the channel ``id``: a chat channel is one running conversation, and a
  Discord thread is exported as its own channel, so it gets its own ``thread_id`` too.
- ``parent_id`` = ``reference.messageId`` when the message replies to another (``kind``
  "reply"), else none (``kind`` "message").
- ``author_id`` = ``author.id``; ``created_at`` = ``timestamp``; ``text`` = ``content``;
  ``channel`` = channel ``name``; ``reactions`` = sum of reaction counts; ``url`` the
  message link (``@me`` for direct messages, whose guild id is 0).

Rejected: messages whose ``type`` is not ``Default`` or ``Reply`` (calls, pins, renames,
joins: system events) and messages by bots (``author.isBot``) as UNSUPPORTED; a message
without content (attachments or stickers only) as EMPTY_TEXT; a message id seen before in
the same read as DUPLICATE_IN_INPUT (exporters can repeat a message across overlapping
exports). The export has no member list, so no member rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import load_json

PLATFORM = "discord"
_TEXT_TYPES = {"Default", "Reply"}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_export(content: Any) -> bool:
    return (
        isinstance(content, dict)
        and isinstance(content.get("messages"), list)
        and isinstance(content.get("channel"), dict)
        and isinstance(content.get("guild"), dict)
    )


def _message(msg: Any, export: dict[str, Any], source: str, pointer: str, seen: set[str]) -> RawRow | Reject:
    reject = partial(Reject, source, pointer=pointer)
    if not isinstance(msg, dict):
        return reject(Reason.MALFORMED, f"expected a message object, got {type(msg).__name__}")
    mid = str(msg["id"]) if msg.get("id") is not None else None
    if mid is None:
        return reject(Reason.MISSING_FIELD, "message has no id", field="post_id")
    if mid in seen:
        return reject(Reason.DUPLICATE_IN_INPUT, f"message {mid} appears twice", field="post_id", row_id=mid)
    seen.add(mid)
    kind = msg.get("type", "Default")
    if kind not in _TEXT_TYPES:
        detail = f"'{kind}' message (a system event, not member text)"
        return reject(Reason.UNSUPPORTED, detail, field="type", row_id=mid)
    author = _dict(msg.get("author"))
    if author.get("isBot"):
        return reject(Reason.UNSUPPORTED, "bot message", field="author", row_id=mid)
    if not isinstance(msg.get("content"), str | None):
        return reject(Reason.BAD_TYPE, "'content' is not text", field="text", row_id=mid)
    text = (msg.get("content") or "").strip()
    if not text:
        return reject(Reason.EMPTY_TEXT, "message has no text (attachments or stickers only)", field="text", row_id=mid)
    channel, guild = export["channel"], export["guild"]
    reference = _dict(msg.get("reference"))
    parent = str(reference["messageId"]) if reference.get("messageId") else None
    counts = [r.get("count") for r in msg.get("reactions") or [] if isinstance(r, dict)]
    guild_id = guild.get("id") if guild.get("id") not in (None, "0") else "@me"
    data = {
        "post_id": mid,
        "thread_id": None if channel.get("id") is None else str(channel["id"]),
        "platform": PLATFORM,
        "channel": channel.get("name"),
        "author_id": None if author.get("id") is None else str(author["id"]),
        "created_at": msg.get("timestamp"),
        "text": text,
        "parent_id": parent,
        "kind": "reply" if parent else "message",
        "reactions": sum(c for c in counts if isinstance(c, int)),
        "url": f"https://discord.com/channels/{guild_id}/{channel.get('id')}/{mid}",
    }
    return RawRow(kind="post", data=data, source=source, pointer=pointer)


class DiscordAdapter:
    """Reads DiscordChatExporter JSON; see the module docstring for the mapping."""

    name = "discord"

    def sniff(self, path: Path) -> bool:
        """True for a JSON file with ``guild``, ``channel`` and ``messages``, or a folder of them."""
        if path.is_dir():
            return any(self.sniff(p) for p in sorted(path.glob("*.json")))
        return path.suffix.lower() == ".json" and is_export(load_json(path))

    def read(self, path: Path) -> Iterator[RawRow | Reject]:
        """Yield the posts of one export file or of every export file in a folder."""
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*.json") if p.is_file())
        seen: set[str] = set()
        for file in files:
            content = load_json(file)
            if isinstance(content, Reject):
                yield content
            elif not is_export(content):
                yield Reject(str(file), Reason.UNSUPPORTED, "not a DiscordChatExporter JSON export")
            else:
                for i, msg in enumerate(content["messages"]):
                    pointer = f"/messages/{i}"
                    try:
                        yield _message(msg, content, str(file), pointer, seen)
                    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:  # odd type
                        yield Reject(str(file), Reason.MALFORMED, f"unreadable message: {exc!r}", pointer=pointer)

"""Slack adapter: workspace export folders (and single Events API message payloads) to canonical rows.

An export folder holds ``channels.json``, ``users.json`` (and ``groups.json``, ``dms.json``,
``mpims.json`` for private channels and direct messages) and one folder per conversation
with one JSON array of messages per day. Public and private channel folders are named by
channel name, direct-message folders by conversation id; a folder no metadata file lists is
read with its name as both id and name. ``read`` also takes one channel folder or one day
file inside an export (channel metadata is then read from the export root), ``users.json``
alone, or an Events API ``event_callback`` carrying a ``message`` event. Messages read
outside an export must name their ``channel`` (events do: its id, which then also serves as
the channel name, as the payload carries no name).

Mapping of a message:

- ``post_id`` = ``"<channel id>:<ts>"`` (a ``ts`` is unique only within its channel).
- ``thread_id`` = ``"<channel id>:<thread_ts>"``, or the message's own ``post_id`` when it is
  not in a thread, so a thread root's ``thread_id`` equals its ``post_id``.
- ``parent_id``: for a reply (``thread_ts`` differs from ``ts``) the root's ``post_id``;
  ``kind`` is "reply" then, else "message".
- ``author_id`` = ``user``; ``created_at`` = ``ts`` (epoch seconds) as ISO-8601 UTC;
  ``channel`` = channel name; ``reactions`` = sum of the reaction counts.
- ``text`` with Slack's markup resolved: ``<url|label>`` -> label, ``<@U1>`` -> ``@U1``,
  ``<#C1|general>`` -> ``#general``, ``<!here>`` -> ``@here``, ``&amp;`` -> ``&``.

Rejected as UNSUPPORTED (listed in the reject report, not ingested): bot messages (a
``bot_id``, subtype ``bot_message``, or a user marked ``is_bot``) since they are not member
voices, and every subtype other than ``thread_broadcast``, ``file_share`` and
``me_message`` (``channel_join``, ``tombstone`` placeholders of deleted messages, edits...),
which are system events, not text a member wrote. A message without text (a bare file) is
EMPTY_TEXT; the same ``post_id`` twice in one read is DUPLICATE_IN_INPUT.

Members come from ``users.json``: every user that is not a bot (deleted users included, as
their messages remain). The export carries no join date and no consent, so only
``author_id`` and ``platform`` are set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any, TypeGuard

from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import load_json

PLATFORM = "slack"
_METADATA = ("channels.json", "groups.json", "mpims.json", "dms.json", "users.json")
_TEXT_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}
_SLACKBOT = "USLACKBOT"
_MARKUP = re.compile(r"<([^<>\n]+)>")


def slack_time(ts: Any) -> str | None:
    """``"1736478514.897649"`` -> ``"2025-01-10T03:08:34.897649Z"``; None when it is no epoch."""
    seconds, _, fraction = str(ts).partition(".")
    if not seconds.isdigit() or (fraction and not fraction.isdigit()):
        return None
    moment = datetime.fromtimestamp(int(seconds), UTC) + timedelta(microseconds=int((fraction + "000000")[:6]))
    return moment.isoformat().replace("+00:00", "Z")


def _resolve(match: re.Match[str]) -> str:
    target, _, label = match.group(1).partition("|")
    if target.startswith("@"):
        return f"@{label or target[1:]}"
    if target.startswith("#"):
        return f"#{label or target[1:]}"
    if target.startswith("!"):
        return label or f"@{target[1:].split('^')[0]}"
    return label or target


def slack_text(text: str) -> str:
    """Plain text of a Slack ``text`` field (links, mentions and entities resolved)."""
    return unescape(_MARKUP.sub(_resolve, text)).strip()


def is_export(path: Path) -> bool:
    return path.is_dir() and (path / "channels.json").is_file() and (path / "users.json").is_file()


def _list(path: Path) -> list[Any]:
    content = load_json(path) if path.is_file() else []
    return content if isinstance(content, list) else []


def _conversations(root: Path) -> dict[str, tuple[str, str]]:
    """Folder name -> (conversation id, display name) from the export's metadata files."""
    folders: dict[str, tuple[str, str]] = {}
    for name in ("channels.json", "groups.json", "mpims.json", "dms.json"):
        for conv in _list(root / name):
            if isinstance(conv, dict) and conv.get("id"):
                folder = conv["id"] if name == "dms.json" else conv.get("name") or conv["id"]
                folders[folder] = (conv["id"], conv.get("name") or conv["id"])
    return folders


def _bots(root: Path | None) -> set[str]:
    users = _list(root / "users.json") if root else []
    return {_SLACKBOT} | {u["id"] for u in users if isinstance(u, dict) and u.get("is_bot") and u.get("id")}


class _Reader:
    """One read: remembers ids already yielded, so duplicates are reported."""

    def __init__(self, bots: set[str]) -> None:
        self.bots = bots
        self.seen: set[str] = set()

    def message(self, msg: Any, channel: tuple[str, str] | None, source: str, pointer: str) -> RawRow | Reject:
        try:
            return self._message(msg, channel, source, pointer)
        except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:  # an unexpected type
            return Reject(source, Reason.MALFORMED, f"unreadable message: {exc!r}", pointer=pointer)

    def _message(self, msg: Any, channel: tuple[str, str] | None, source: str, pointer: str) -> RawRow | Reject:
        reject = partial(Reject, source, pointer=pointer)
        if not isinstance(msg, dict):
            return reject(Reason.MALFORMED, f"expected a message object, got {type(msg).__name__}")
        ts, subtype, user = msg.get("ts"), msg.get("subtype"), msg.get("user")
        if msg.get("channel"):
            channel = (msg["channel"], msg["channel"])
        for name, value in (("ts", ts), ("channel", channel and channel[0])):
            if value is not None and not isinstance(value, str):
                return reject(Reason.BAD_TYPE, f"'{name}' must be a string", field=name)
        post_id = f"{channel[0]}:{ts}" if channel and ts else None
        if msg.get("bot_id") or subtype == "bot_message" or user in self.bots:
            return reject(Reason.UNSUPPORTED, "bot message", field="bot_id", row_id=post_id)
        if subtype not in _TEXT_SUBTYPES:
            detail = f"'{subtype}' message (a system event, not member text)"
            return reject(Reason.UNSUPPORTED, detail, field="subtype", row_id=post_id)
        if channel is None:
            return reject(Reason.MISSING_FIELD, "cannot tell the message's channel", field="channel")
        if post_id is None:
            return reject(Reason.MISSING_FIELD, "message has no 'ts'", field="post_id")
        if post_id in self.seen:
            return reject(
                Reason.DUPLICATE_IN_INPUT, f"message {post_id} appears twice", field="post_id", row_id=post_id
            )
        self.seen.add(post_id)
        created_at = slack_time(ts)
        if created_at is None:
            return reject(Reason.BAD_TIMESTAMP, f"'ts' {ts!r} is not epoch seconds", field="created_at", row_id=post_id)
        text = slack_text(msg.get("text") or "")
        if not text:
            detail = "message has no text (a file or attachment only)"
            return reject(Reason.EMPTY_TEXT, detail, field="text", row_id=post_id)
        thread_ts = msg.get("thread_ts")
        reply = bool(thread_ts) and thread_ts != ts
        root = f"{channel[0]}:{thread_ts}" if thread_ts else post_id
        reactions = [r.get("count", 0) for r in msg.get("reactions") or [] if isinstance(r, dict)]
        data = {
            "post_id": post_id,
            "thread_id": root,
            "platform": PLATFORM,
            "channel": channel[1],
            "author_id": user,
            "created_at": created_at,
            "text": text,
            "parent_id": root if reply else None,
            "kind": "reply" if reply else "message",
            "reactions": sum(c for c in reactions if isinstance(c, int)),
        }
        return RawRow(kind="post", data=data, source=source, pointer=pointer)

    def day_file(self, path: Path, channel: tuple[str, str] | None) -> Iterator[RawRow | Reject]:
        content = load_json(path)
        if isinstance(content, Reject):
            yield content
        elif isinstance(content, dict):
            yield self.message(content, channel, str(path), "")
        elif isinstance(content, list):
            for i, msg in enumerate(content):
                yield self.message(msg, channel, str(path), f"/{i}")
        else:
            yield Reject(str(path), Reason.MALFORMED, "expected a JSON array of messages")

    def channel_folder(self, folder: Path, channel: tuple[str, str]) -> Iterator[RawRow | Reject]:
        for day in sorted(folder.glob("*.json")):
            yield from self.day_file(day, channel)


def _members(path: Path) -> Iterator[RawRow | Reject]:
    content = load_json(path)
    if isinstance(content, Reject):
        yield content
        return
    for i, user in enumerate(content if isinstance(content, list) else []):
        if not isinstance(user, dict) or not user.get("id") or user.get("is_bot") or user["id"] == _SLACKBOT:
            continue
        data = {"author_id": user["id"], "platform": PLATFORM, **_identity(user)}
        yield RawRow(kind="member", data=data, source=str(path), pointer=f"/{i}")


def _identity(user: dict[str, Any]) -> dict[str, str]:
    """What the user list says about who the account is: ingest keeps only keyed hashes of it (merge
    suggestions across platforms, issue 19)."""
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    found = {"email": profile.get("email"), "username": user.get("name"),
             "display_name": user.get("real_name") or profile.get("real_name") or profile.get("display_name")}
    return {k: v for k, v in found.items() if isinstance(v, str) and v.strip()}


def _is_event(content: Any) -> TypeGuard[dict[str, Any]]:
    return (
        isinstance(content, dict) and content.get("type") == "event_callback" and isinstance(content.get("event"), dict)
    )


def _is_message(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "message" and "ts" in value


class SlackAdapter:
    """Reads Slack exports; see the module docstring for the mapping."""

    name = "slack"

    def sniff(self, path: Path) -> bool:
        """True for an export folder (channels.json + users.json), a folder or file inside one,
        a day file of messages, or an Events API message payload."""
        if path.is_dir():
            return is_export(path) or is_export(path.parent)
        if path.suffix.lower() != ".json":
            return False
        if path.name in _METADATA and is_export(path.parent):
            return True
        content = load_json(path)
        if _is_event(content):
            return bool(content["event"].get("type") == "message")
        return _is_message(content) or (
            isinstance(content, list) and bool(content) and all(_is_message(m) for m in content)
        )

    def read(self, path: Path) -> Iterator[RawRow | Reject]:
        """Yield posts and members; rejects for bot, system and unreadable messages."""
        if path.is_dir():
            root = path if is_export(path) else path.parent
            reader = _Reader(_bots(root))
            folders = _conversations(root)
            if path == root:
                yield from _members(root / "users.json")
                for folder in sorted(p for p in root.iterdir() if p.is_dir()):
                    yield from reader.channel_folder(folder, folders.get(folder.name, (folder.name, folder.name)))
            else:
                yield from reader.channel_folder(path, folders.get(path.name, (path.name, path.name)))
            return
        if path.name == "users.json":
            yield from _members(path)
        elif path.name in _METADATA:
            return  # channel lists: read through the folder they describe
        elif is_export(path.parent.parent):
            root, name = path.parent.parent, path.parent.name
            yield from _Reader(_bots(root)).day_file(path, _conversations(root).get(name, (name, name)))
        else:
            content = load_json(path)
            if _is_event(content):
                yield from self._event(content, str(path))
            else:
                yield from _Reader(_bots(None)).day_file(path, None)

    @staticmethod
    def _event(content: dict[str, Any], source: str) -> Iterator[RawRow | Reject]:
        event = content["event"]
        if event.get("type") != "message":
            yield Reject(
                source,
                Reason.UNSUPPORTED,
                f"'{event.get('type')}' event carries no post",
                field="type",
                pointer="/event",
            )
            return
        yield _Reader(_bots(None)).message(event, None, source, "/event")

"""Discourse adapter: API JSON responses (posts, topics, topic lists, user lists) to canonical rows.

Reads one file or a folder of files (``*.json``, recursively). Post-bearing shapes:
``GET /posts.json`` (``latest_posts``), ``GET /t/{id}/posts.json`` and ``GET /t/{id}.json``
(``post_stream.posts``), a single post (``GET /posts/{id}.json``, ``POST /posts.json``), a
post webhook body (``{"post": {...}}``), search results (``posts``) and user activity
(``user_actions``, kinds 4 "new topic" and 5 "reply", whose text is only the excerpt).
Topic lists (``latest.json``, ``top.json``...) carry no post text: they only lend titles
and categories to posts of the same read. User lists (``user_list.json``, ``user.json``,
group ``members``) give member rows (``joined_at`` from ``created_at``; consent unknown, so
left out). Other Discourse files (categories, badges, groups, notifications, poll voters)
are recognised and yield nothing; an unrecognised JSON file yields one UNSUPPORTED reject.

Mapping of a post:

- ``post_id`` = ``id``; ``thread_id`` = ``topic_id``; ``author_id`` = ``user_id``.
- ``text``: ``raw`` (markdown; also the newer structured ``raw`` trees), else ``cooked``
  with HTML removed, else ``excerpt``/``blurb``. Quotes of other posts (``[quote]`` blocks,
  ``<aside>`` quotes and link previews) are dropped: they are someone else's words.
- ``parent_id``: post 1 is the thread root (no parent). Any other post replies to
  ``reply_to_post_number``, or to post 1 when that is null (Discourse's "reply to topic").
  The parent is given as its post ``id`` when it is anywhere in the same read (file or
  folder, so reading a whole folder resolves across pages), else as ``"<topic_id>#<n>"``.
- ``kind``: post 1 is a "question"; a post with the Solved plugin's ``accepted_answer`` (or
  the topic's ``accepted_answer.post_number``) is an "answer"; everything else a "reply".
- ``channel`` = ``"category:<category_id>"``: ids are stable and in every payload, while
  names change and are absent from post payloads, so names are left to reports.
- ``title`` from ``topic_title`` or the topic; ``views`` from ``reads``; ``url`` from
  ``post_url`` (relative to the forum); ``reactions`` from ``reaction_users_count``
  (reactions plugin), else ``like_count``, else the like entry (id 2) of ``actions_summary``.

Rejected as UNSUPPORTED (reported, not ingested): moderator-action and small-action posts
(``post_type`` 2, 3: system notices), whispers (4: staff-only), deleted posts, posts of the
system users (``user_id`` <= 0) and of private-message topics. A post id seen twice in one
read (overlapping pages) is yielded once, with fields missing from the first copy filled
from the later ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.canonical import load_json

PLATFORM = "discourse"
_LIKE_ACTION = 2
_UNSUPPORTED_POST_TYPES = {2: "moderator action notice", 3: "small action notice", 4: "staff whisper"}
_USER_ACTION_POSTS = {4, 5}  # new topic, reply
_QUOTE = re.compile(r"\[quote(?:=[^\]]*)?\](?:(?!\[quote).)*?\[/quote\]", re.DOTALL | re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


class _HtmlText(HTMLParser):
    """Text of cooked HTML, one line per block, leaving out asides (quotes, link previews)."""

    _BLOCKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_tag: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag:
            self._depth += tag == self._skip_tag
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "aside" or (tag == "div" and "meta" in classes):  # div.meta: image file name and size
            self._skip_tag, self._depth = tag, 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag:
            if tag == self._skip_tag:
                self._depth -= 1
                if self._depth == 0:
                    self._skip_tag = None
            return
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_tag:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of a Discourse ``cooked`` HTML fragment."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _tree_text(node: Any) -> str:
    """Text leaves of the structured ``raw`` some API versions return (paragraph trees)."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "\n".join(filter(None, (_tree_text(child) for child in node)))
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            return str(node["text"])
        return _tree_text(node.get("children", []))
    return ""


def post_text(post: dict[str, Any]) -> str:
    """The author's own words: raw before cooked before excerpt, quotes removed."""
    raw = post.get("raw")
    if isinstance(raw, str) and raw.strip():
        previous = None
        while previous != raw:
            previous, raw = raw, _QUOTE.sub("", raw)
        return _tidy(raw)
    if isinstance(raw, list | dict):
        text = _tidy(_tree_text(raw))
        if text:
            return text
    for name in ("cooked", "excerpt", "blurb"):
        value = post.get(name)
        if isinstance(value, str) and value.strip():
            return html_to_text(value) if name == "cooked" else _tidy(unescape(re.sub(r"<[^>]+>", "", value)))
    return ""


@dataclass
class _Seen:
    """Everything one read has collected before rows are emitted."""

    posts: dict[Any, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)  # id -> source, pointer, post
    anonymous: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # posts without an id
    topics: dict[Any, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, RawRow] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)

    def add_post(self, source: str, pointer: str, post: Any) -> None:
        if not isinstance(post, dict) or not isinstance(post.get("id"), int | str | None):
            detail = f"expected a post object with a numeric id, got {str(post)[:80]!r}"
            self.rejects.append(Reject(source, Reason.MALFORMED, detail, pointer=pointer))
            return
        # topic fields on a post (latest_posts has them) also serve its thread's other posts
        self.add_topic(
            {
                "id": post.get("topic_id"),
                "title": post.get("topic_title"),
                "category_id": post.get("category_id"),
                "slug": post.get("topic_slug"),
            }
        )
        if post.get("id") is None:
            self.anonymous.append((source, pointer, post))
        elif post["id"] in self.posts:
            first = self.posts[post["id"]][2]
            for key, value in post.items():
                if first.get(key) is None:
                    first[key] = value
        else:
            self.posts[post["id"]] = (source, pointer, dict(post))

    def add_topic(self, topic: Any) -> None:
        if not isinstance(topic, dict) or not isinstance(topic.get("id"), int | str):
            return
        known = self.topics.setdefault(topic["id"], {})
        for key in ("title", "category_id", "archetype", "accepted_answer", "slug"):
            if known.get(key) is None and topic.get(key) is not None:
                known[key] = topic[key]

    def add_user(self, source: str, pointer: str, user: Any) -> None:
        uid = user.get("id") if isinstance(user, dict) else None
        if not isinstance(uid, int) or uid <= 0 or str(uid) in self.members:
            return
        data: dict[str, Any] = {"author_id": str(uid), "platform": PLATFORM}
        if user.get("created_at"):
            data["joined_at"] = user["created_at"]
        self.members[str(uid)] = RawRow(kind="member", data=data, source=source, pointer=pointer)


def _user_action_post(action: dict[str, Any]) -> dict[str, Any]:
    """A user_actions entry in post field names (its text is the excerpt)."""
    return {
        "id": action.get("post_id"),
        "topic_id": action.get("topic_id"),
        "post_number": action.get("post_number"),
        "reply_to_post_number": action.get("reply_to_post_number"),
        "user_id": action.get("acting_user_id", action.get("user_id")),
        "created_at": action.get("created_at"),
        "excerpt": action.get("excerpt"),
        "topic_title": action.get("title"),
        "topic_slug": action.get("slug"),
        "category_id": action.get("category_id"),
        "post_type": action.get("post_type"),
        "user_deleted": action.get("deleted"),
    }


def _is_post(value: Any) -> bool:
    return isinstance(value, dict) and "topic_id" in value and "post_number" in value


def _list_of(value: Any, key: str) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and key in v for v in value)


def _collect(content: Any, source: str, seen: _Seen) -> str | None:
    """Add what ``content`` carries to ``seen``; return its shape, or None if unrecognised."""
    if isinstance(content, dict):
        if isinstance(content.get("latest_posts"), list):
            for i, post in enumerate(content["latest_posts"]):
                seen.add_post(source, f"/latest_posts/{i}", post)
            return "posts"
        stream = content.get("post_stream")
        if isinstance(stream, dict) and isinstance(stream.get("posts"), list):
            seen.add_topic(content)
            for i, post in enumerate(stream["posts"]):
                seen.add_post(source, f"/post_stream/posts/{i}", post)
            return "posts"
        if _is_post(content) and "id" in content:
            seen.add_post(source, "", content)
            return "posts"
        if _is_post(content.get("post")):
            seen.add_post(source, "/post", content["post"])
            return "posts"
        if isinstance(content.get("posts"), list) and all(_is_post(p) for p in content["posts"]):
            for i, post in enumerate(content["posts"]):
                seen.add_post(source, f"/posts/{i}", post)
            for topic in content.get("topics") or []:
                seen.add_topic(topic)
            return "posts"
        if _list_of(content.get("user_actions"), "action_type"):
            for i, action in enumerate(content["user_actions"]):
                if action.get("action_type") in _USER_ACTION_POSTS:
                    seen.add_post(source, f"/user_actions/{i}", _user_action_post(action))
            return "posts"
        topic_list = content.get("topic_list")
        if isinstance(topic_list, dict) and isinstance(topic_list.get("topics"), list):
            for topic in topic_list["topics"]:
                seen.add_topic(topic)
            return "topics"
        if isinstance(content.get("topic"), dict) and "id" in content["topic"]:
            seen.add_topic(content["topic"])
            return "topics"
        if isinstance(content.get("user"), dict) and "username" in content["user"]:
            seen.add_user(source, "/user", content["user"])
            return "users"
        if _list_of(content.get("members"), "username"):
            for i, user in enumerate(content["members"]):
                seen.add_user(source, f"/members/{i}", user)
            return "users"
        known = ("category_list", "badges", "user_badges", "basic_group", "post_action_users", "voters")
        if any(key in content for key in known) or "grouped_search_result" in content:
            return "other"
        return None
    if _list_of(content, "username") and all("trust_level" in u or "created_at" in u for u in content):
        for i, user in enumerate(content):
            seen.add_user(source, f"/{i}", user)
        return "users"
    if _list_of(content, "notification_type") or _list_of(content, "alias_level"):
        return "other"
    if _list_of(content, "results") and all("type" in group for group in content):
        return "other"  # old search: topic titles only
    return None


def _reactions(post: dict[str, Any]) -> int:
    for name in ("reaction_users_count", "like_count"):
        if isinstance(post.get(name), int):
            return int(post[name])
    likes = [
        a.get("count") for a in post.get("actions_summary") or [] if isinstance(a, dict) and a.get("id") == _LIKE_ACTION
    ]
    return sum(c for c in likes if isinstance(c, int))


def _skip_reason(post: dict[str, Any], topic: dict[str, Any]) -> str | None:
    if post.get("post_type") in _UNSUPPORTED_POST_TYPES:
        return _UNSUPPORTED_POST_TYPES[post["post_type"]]
    if post.get("deleted_at") or post.get("user_deleted"):
        return "deleted post"
    if isinstance(post.get("user_id"), int) and post["user_id"] <= 0:
        return "post by a Discourse system user (automated text)"
    if topic.get("archetype") == "private_message" or post.get("archetype") == "private_message":
        return "private message"
    return None


def _row(
    post: dict[str, Any], source: str, pointer: str, seen: _Seen, index: dict[tuple[Any, Any], Any]
) -> RawRow | Reject:
    reject = partial(Reject, source, pointer=pointer)
    pid, tid, number = post.get("id"), post.get("topic_id"), post.get("post_number")
    for name, value in (("post_id", pid), ("thread_id", tid)):
        if value is None:
            return reject(Reason.MISSING_FIELD, f"Discourse post has no {name}", field=name)
    row_id = str(pid)
    topic = seen.topics.get(tid, {})
    why = _skip_reason(post, topic)
    if why:
        return reject(Reason.UNSUPPORTED, why, field="post_type", row_id=row_id)
    text = post_text(post)
    if not text:
        detail = "post has no text of its own (only a quote, image, embed or nothing)"
        return reject(Reason.EMPTY_TEXT, detail, field="text", row_id=row_id)
    solved = topic.get("accepted_answer")
    accepted = post.get("accepted_answer") is True or (
        isinstance(solved, dict) and number is not None and solved.get("post_number") == number
    )
    parent = None
    if number != 1:
        target = post.get("reply_to_post_number") or 1
        parent = index.get((tid, target))
        parent = str(parent) if parent is not None else f"{tid}#{target}"
    category = post["category_id"] if post.get("category_id") is not None else topic.get("category_id")
    slug = post.get("topic_slug") or topic.get("slug")
    url = post.get("post_url") or (f"/t/{slug}/{tid}/{number}" if slug and number else None)
    data = {
        "post_id": row_id,
        "thread_id": str(tid),
        "platform": PLATFORM,
        "channel": f"category:{category}" if category is not None else None,
        "author_id": None if post.get("user_id") is None else str(post["user_id"]),
        "created_at": post.get("created_at"),
        "text": text,
        "parent_id": parent,
        "title": post.get("topic_title") or topic.get("title"),
        "kind": "question" if number == 1 else "answer" if accepted else "reply",
        "accepted_answer": accepted,
        "reactions": _reactions(post),
        "views": post.get("reads") if isinstance(post.get("reads"), int) else None,
        "url": url,
    }
    return RawRow(kind="post", data=data, source=source, pointer=pointer)


def _json_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*.json") if p.is_file())


class DiscourseAdapter:
    """Reads Discourse API JSON; see the module docstring for the mapping."""

    name = "discourse"

    def sniff(self, path: Path) -> bool:
        """True for a file recognised as Discourse API output, or a folder holding one with posts."""
        if path.is_dir():
            return any(self._shape(p) == "posts" for p in sorted(path.glob("*.json")))
        return self._shape(path) is not None

    @staticmethod
    def _shape(path: Path) -> str | None:
        if path.suffix.lower() != ".json":
            return None
        content = load_json(path)
        return None if isinstance(content, Reject) else _collect(content, str(path), _Seen())

    def read(self, path: Path) -> Iterator[RawRow | Reject]:
        """Yield posts and members of a file or folder; rejects for what cannot be ingested."""
        seen = _Seen()
        for file in _json_files(path):
            content = load_json(file)
            if isinstance(content, Reject):
                yield content
            elif _collect(content, str(file), seen) is None:
                yield Reject(str(file), Reason.UNSUPPORTED, "not a Discourse API response this adapter knows")
        index = {
            (p.get("topic_id"), p.get("post_number")): pid
            for pid, (_, _, p) in seen.posts.items()
            if isinstance(p.get("topic_id"), int | str) and isinstance(p.get("post_number"), int)
        }
        yield from seen.rejects
        for source, pointer, post in [*seen.posts.values(), *seen.anonymous]:
            try:
                yield _row(post, source, pointer, seen, index)
            except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:  # an unexpected type
                yield Reject(source, Reason.MALFORMED, f"unreadable post: {exc!r}", pointer=pointer)
        yield from seen.members.values()

"""Platform adapters against the real export samples in ../shared/data/platform_formats.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from insight.ingest.adapters.discord import DiscordAdapter
from insight.ingest.adapters.discourse import DiscourseAdapter, html_to_text
from insight.ingest.adapters.github import GitHubAdapter
from insight.ingest.adapters.slack import SlackAdapter, slack_text
from insight.ingest.base import RawRow, Reason, Reject
from insight.ingest.validate import to_member, to_post

FORMATS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "platform_formats"
FIXTURES = Path(__file__).resolve().parents[1] / "data"
LIVE = FORMATS / "discourse_live_api_examples"
CLIENT = FORMATS / "discourse_api_client_fixtures"
SLACK = FORMATS / "slack_export_slackdump_fixture" / "export_dir"
DISCORD = FORMATS / "discord_chat_exporter_json"
GITHUB = FORMATS / "github_webhooks"

ADAPTERS = {a.name: a for a in (DiscourseAdapter(), SlackAdapter(), DiscordAdapter(), GitHubAdapter())}

needs_samples = pytest.mark.skipif(not FORMATS.is_dir(), reason="../shared/data/platform_formats is not here")


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file()) if folder.is_dir() else []


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(FORMATS)) for p in paths]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _resolve(doc: Any, pointer: str) -> Any:
    for part in filter(None, pointer.split("/")):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def _posts(rows: list[RawRow | Reject]) -> list[RawRow]:
    return [r for r in rows if isinstance(r, RawRow) and r.kind == "post"]


def _members(rows: list[RawRow | Reject]) -> list[RawRow]:
    return [r for r in rows if isinstance(r, RawRow) and r.kind == "member"]


def _rejects(rows: list[RawRow | Reject]) -> list[Reject]:
    return [r for r in rows if isinstance(r, Reject)]


def _assert_valid(rows: list[RawRow | Reject], platform: str) -> None:
    """Every row validates into a record; every reject says where and why."""
    for row in rows:
        if isinstance(row, Reject):
            assert isinstance(row.reason, Reason) and row.detail and row.source
            continue
        assert row.data["platform"] == platform
        assert row.pointer is not None or row.line is not None
        if row.kind == "post":
            post, _ = to_post(row.data, 20000)
            assert post.platform == platform and post.text
        else:
            assert to_member(row.data).platform == platform


# --- every sample is recognised by exactly the right adapter ---------------------------------


def _expected_format(path: Path) -> set[str]:
    top = path.relative_to(FORMATS).parts[0]
    if top.startswith("discourse_"):
        return set() if path.suffix != ".json" else {"discourse"}
    return {
        "slack_export_slackdump_fixture": {"slack"},
        "discord_chat_exporter_json": {"discord"},
        "github_webhooks": {"github"},
    }.get(top, set())


SNIFFED = [
    p for p in _files(FORMATS) if not p.relative_to(FORMATS).parts[0].startswith("slack_api") and p.name != "SOURCE.md"
]


@needs_samples
@pytest.mark.parametrize("path", SNIFFED, ids=_ids(SNIFFED))
def test_adapters_sniff_each_sample_as_its_own_format(path: Path) -> None:
    assert {name for name, adapter in ADAPTERS.items() if adapter.sniff(path)} == _expected_format(path)


@needs_samples
@pytest.mark.parametrize(
    ("folder", "name"), [(LIVE, "discourse"), (SLACK, "slack"), (DISCORD, "discord"), (GITHUB, "github")]
)
def test_adapters_sniff_export_folders(folder: Path, name: str) -> None:
    assert {n for n, adapter in ADAPTERS.items() if adapter.sniff(folder)} == {name}


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_adapters_malformed_json_is_one_reject(tmp_path: Path, name: str) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"latest_posts": [{"id": 1,', encoding="utf-8")
    rows = list(ADAPTERS[name].read(bad))
    assert len(rows) == 1 and isinstance(rows[0], Reject)
    assert rows[0].reason is Reason.MALFORMED and rows[0].source == str(bad)
    assert not ADAPTERS[name].sniff(bad)


# --- Discourse -------------------------------------------------------------------------------


def _raw_discourse_posts(content: Any) -> list[dict[str, Any]]:
    """The post objects of a Discourse response, read straight from the API shapes."""
    if not isinstance(content, dict):
        return []
    if "latest_posts" in content:
        return content["latest_posts"]
    if "post_stream" in content:
        return content["post_stream"]["posts"]
    if "topic_id" in content and "post_number" in content:
        return [content]
    if "user_actions" in content:
        return [
            {**a, "id": a["post_id"], "user_id": a["acting_user_id"]}
            for a in content["user_actions"]
            if a["action_type"] in (4, 5)
        ]
    return []


def _regular(post: dict[str, Any]) -> bool:
    return post.get("post_type", 1) == 1 and post.get("user_id", 1) > 0 and not post.get("deleted_at")


DISCOURSE_FILES = _files(LIVE, "*.json") + _files(CLIENT, "*.json")


@needs_samples
@pytest.mark.parametrize("path", DISCOURSE_FILES, ids=_ids(DISCOURSE_FILES))
def test_discourse_every_file_accounts_for_its_posts(path: Path) -> None:
    content = _load(path)
    raw = _raw_discourse_posts(content)
    rows = list(DiscourseAdapter().read(path))
    _assert_valid(rows, "discourse")
    posts, rejects = _posts(rows), _rejects(rows)
    assert len(posts) + len(rejects) == len(raw)  # each post object: one row or one reject
    if any(_regular(p) for p in raw):
        assert posts
    for row in posts:
        source_post = _resolve(content, row.pointer or "")
        assert str(source_post.get("id", source_post.get("post_id"))) == row.data["post_id"]
        assert row.data["thread_id"] == str(source_post["topic_id"])
        assert "[quote" not in row.data["text"] and "<p>" not in row.data["text"]
    if not raw:  # categories, badges, topic lists, user lists...: no posts, no noise
        assert not rejects


@needs_samples
def test_discourse_latest_posts_map_fields_and_parents() -> None:
    raw = _load(LIVE / "posts.json")["latest_posts"]
    by_number = {(p["topic_id"], p["post_number"]): p["id"] for p in raw}
    rows = {r.data["post_id"]: r.data for r in _posts(list(DiscourseAdapter().read(LIVE / "posts.json")))}
    assert len(rows) == len(raw)
    for post in raw:
        row = rows[str(post["id"])]
        assert row["accepted_answer"] is post["accepted_answer"]
        assert row["author_id"] == str(post["user_id"]) and row["views"] == post["reads"]
        assert row["title"] == post["topic_title"] and row["channel"] == f"category:{post['category_id']}"
        assert row["url"] == post["post_url"]
        if post["post_number"] == 1:
            assert row["parent_id"] is None and row["kind"] == "question"
            continue
        target = post["reply_to_post_number"] or 1
        parent = by_number.get((post["topic_id"], target))
        assert row["parent_id"] == (str(parent) if parent else f"{post['topic_id']}#{target}")
        assert row["kind"] == ("answer" if post["accepted_answer"] else "reply")


T2144 = sorted(LIVE.glob("t_2144_posts*.json")) if LIVE.is_dir() else []


@needs_samples
@pytest.mark.parametrize("path", T2144, ids=_ids(T2144))
def test_discourse_topic_pages_in_any_order_link_the_same_thread(path: Path) -> None:
    raw = _load(path)["post_stream"]["posts"]
    in_page = {p["post_number"]: p["id"] for p in raw}
    rows = {r.data["post_id"]: r.data for r in _posts(list(DiscourseAdapter().read(path)))}
    assert {row["thread_id"] for row in rows.values()} == {"2144"}
    for post in raw:
        row = rows[str(post["id"])]
        if post["post_number"] == 1:
            assert row["parent_id"] is None
            continue
        target = post["reply_to_post_number"] or 1
        assert row["parent_id"] == (str(in_page[target]) if target in in_page else f"2144#{target}")


@needs_samples
def test_discourse_descending_page_matches_ascending_page() -> None:
    ascending = {r.data["post_id"]: r.data for r in _posts(list(DiscourseAdapter().read(LIVE / "t_2144_posts.json")))}
    descending = {
        r.data["post_id"]: r.data for r in _posts(list(DiscourseAdapter().read(LIVE / "t_2144_posts_pn_21.json")))
    }
    shared = ascending.keys() & descending.keys()
    assert len(shared) >= 15
    for post_id in shared:
        assert ascending[post_id] == descending[post_id]


@needs_samples
def test_discourse_folder_read_dedupes_pages_and_resolves_across_files() -> None:
    pages = [p for p in DISCOURSE_FILES if p.parent == LIVE]
    raw = [p for path in pages for p in _raw_discourse_posts(_load(path))]
    unique = {p["id"]: p for p in raw}
    known = {(p["topic_id"], p["post_number"]): p["id"] for p in raw}
    rows = list(DiscourseAdapter().read(LIVE))
    posts = _posts(rows)
    ids = [r.data["post_id"] for r in posts]
    assert len(ids) == len(set(ids))
    assert len(posts) + len(_rejects(rows)) == len(unique)
    for row in posts:
        post = unique[int(row.data["post_id"])]
        if post["post_number"] > 1:
            target = (post["topic_id"], post["reply_to_post_number"] or 1)
            expected = str(known[target]) if target in known else f"{target[0]}#{target[1]}"
            assert row.data["parent_id"] == expected
    # pages without topic fields borrow the title posts.json gives for the same topic
    titles = {p["topic_id"]: p["topic_title"] for p in raw if p.get("topic_title")}
    for row in posts:
        if int(row.data["thread_id"]) in titles:
            assert row.data["title"] == titles[int(row.data["thread_id"])]


def test_discourse_solved_topic_fixture() -> None:
    path = FIXTURES / "discourse" / "solved_topic.json"
    topic = _load(path)
    raw = {p["id"]: p for p in topic["post_stream"]["posts"]}
    rows = list(DiscourseAdapter().read(path))
    _assert_valid(rows, "discourse")
    posts = {r.data["post_id"]: r.data for r in _posts(rows)}
    root = next(str(i) for i, p in raw.items() if p["post_number"] == 1)
    answer = next(str(i) for i, p in raw.items() if p["accepted_answer"])
    thanks = next(str(i) for i, p in raw.items() if p["reply_to_post_number"] == raw[int(answer)]["post_number"])
    assert posts[root]["kind"] == "question" and posts[root]["parent_id"] is None
    assert posts[answer]["accepted_answer"] is True and posts[answer]["kind"] == "answer"
    assert posts[answer]["parent_id"] == root  # reply_to_post_number null: a reply to the topic
    assert posts[thanks]["parent_id"] == answer
    assert posts[answer]["reactions"] == 5  # likes only, not the spam flag
    assert "How do I rotate" not in posts[answer]["text"]  # the quoted question is not the mentor's text
    assert posts[thanks]["text"] == "That worked, thank you!"  # cooked only: HTML and quote removed
    assert {p["title"] for p in posts.values()} == {topic["title"]}
    assert {p["channel"] for p in posts.values()} == {f"category:{topic['category_id']}"}
    rejected = {r.row_id: r.reason for r in _rejects(rows)}
    skipped = {str(i) for i, p in raw.items() if p["post_type"] != 1 or p["user_deleted"]}
    assert rejected == dict.fromkeys(skipped, Reason.UNSUPPORTED)


@needs_samples
def test_discourse_user_list_gives_members() -> None:
    users = _load(CLIENT / "user_list.json")
    members = _members(list(DiscourseAdapter().read(CLIENT / "user_list.json")))
    assert [m.data["author_id"] for m in members] == [str(u["id"]) for u in users if u["id"] > 0]
    assert all(m.data["joined_at"] for m in members)
    assert all("consent_analytics" not in m.data for m in members)


@needs_samples
def test_discourse_structured_raw_is_flattened() -> None:
    rows = _posts(list(DiscourseAdapter().read(CLIENT / "topic_posts.json")))
    expected = _load(CLIENT / "topic_posts.json")["post_stream"]["posts"][0]["raw"][0]["children"][0]["text"]
    assert rows[0].data["text"] == expected.strip()


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two &amp; three<br>four</p>", "One\n\nTwo & three\nfour"),
        ('<aside class="quote"><blockquote><p>quoted</p></blockquote></aside><p>own</p>', "own"),
        ('<aside class="onebox"><aside class="x">in</aside>still in</aside><p>after</p>', "after"),
        ('<p>pic <div class="meta">image 690x388</div>done</p>', "pic done"),
    ],
)
def test_discourse_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


# --- Slack -----------------------------------------------------------------------------------


def _slack_channels() -> dict[str, str]:
    return {c["name"]: c["id"] for c in _load(SLACK / "channels.json")}


SLACK_FILES = _files(SLACK)


@needs_samples
@pytest.mark.parametrize("path", SLACK_FILES, ids=_ids(SLACK_FILES))
def test_slack_every_export_file(path: Path) -> None:
    rows = list(SlackAdapter().read(path))
    _assert_valid(rows, "slack")
    content = _load(path)
    if path.parent == SLACK:  # metadata: users become members, channel lists yield nothing
        users = [u for u in content if not u.get("is_bot")] if path.name == "users.json" else []
        assert [m.data["author_id"] for m in _members(rows)] == [u["id"] for u in users]
        assert not _posts(rows) and not _rejects(rows)
        return
    channel_id = _slack_channels()[path.parent.name]
    assert len(_posts(rows)) + len(_rejects(rows)) == len(content)
    for row in _posts(rows):
        msg = _resolve(content, row.pointer or "")
        assert row.data["post_id"] == f"{channel_id}:{msg['ts']}"
        assert row.data["channel"] == path.parent.name and row.data["author_id"] == msg["user"]
        stamp = datetime.fromisoformat(row.data["created_at"].replace("Z", "+00:00"))
        assert abs(stamp - datetime.fromtimestamp(float(msg["ts"]), UTC)).total_seconds() < 1e-3
        if msg.get("thread_ts") and msg["thread_ts"] != msg["ts"]:
            assert row.data["kind"] == "reply"
            assert row.data["parent_id"] == row.data["thread_id"] == f"{channel_id}:{msg['thread_ts']}"
        else:
            assert row.data["kind"] == "message" and row.data["parent_id"] is None
            assert row.data["thread_id"] == row.data["post_id"]
    for reject in _rejects(rows):
        msg = _resolve(content, reject.pointer or "")
        assert msg.get("subtype") or msg.get("bot_id") or not msg.get("text")


@needs_samples
def test_slack_export_folder_reads_every_channel_and_links_replies_to_roots() -> None:
    rows = list(SlackAdapter().read(SLACK))
    _assert_valid(rows, "slack")
    days = sorted(SLACK.glob("*/*.json"))
    messages = [m for day in days for m in _load(day)]
    assert len(_posts(rows)) + len(_rejects(rows)) == len(messages)
    posts = {r.data["post_id"]: r.data for r in _posts(rows)}
    replies = [p for p in posts.values() if p["kind"] == "reply"]
    assert replies
    rooted = [p for p in replies if p["parent_id"] in posts]
    assert rooted  # threads whose root is in the export resolve to a real post
    for reply in rooted:
        assert posts[reply["parent_id"]]["thread_id"] == reply["thread_id"]
    text_subtypes = {None, "thread_broadcast", "file_share", "me_message"}
    kinds = Counter(m.get("subtype") for m in messages if m.get("subtype") not in text_subtypes)
    unsupported = Counter(r.reason for r in _rejects(rows))[Reason.UNSUPPORTED]
    bots = sum(1 for m in messages if m.get("bot_id") and not m.get("subtype"))
    assert unsupported == sum(kinds.values()) + bots
    users = _load(SLACK / "users.json")
    assert {m.data["author_id"] for m in _members(rows)} == {u["id"] for u in users if not u["is_bot"]}


def _tiny_export(root: Path, messages: list[dict[str, Any]]) -> Path:
    (root / "general").mkdir(parents=True)
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]), encoding="utf-8")
    users = [{"id": "U1", "is_bot": False}, {"id": "B9", "is_bot": True}]
    (root / "users.json").write_text(json.dumps(users), encoding="utf-8")
    (root / "general" / "2026-03-01.json").write_text(json.dumps(messages), encoding="utf-8")
    return root


def test_slack_duplicates_bots_and_reactions(tmp_path: Path) -> None:
    base = {"type": "message", "user": "U1", "ts": "1772366400.000100"}
    messages = [
        {
            **base,
            "text": "Hi <@U2|ana>, see <https://x.example/doc|the doc> &amp; <#C7|help>",
            "reactions": [{"name": "tada", "count": 2}, {"name": "+1", "count": 3}],
        },
        {**base, "text": "the same message again"},
        {**base, "ts": "1772366401.000000", "user": "B9", "text": "beep"},
        {**base, "ts": "1772366402.000000", "subtype": "channel_join", "text": "joined"},
    ]
    rows = list(SlackAdapter().read(_tiny_export(tmp_path, messages)))
    _assert_valid(rows, "slack")
    (post,) = _posts(rows)
    assert post.data["text"] == "Hi @ana, see the doc & #help"
    assert post.data["reactions"] == 5
    assert [r.reason for r in _rejects(rows)] == [Reason.DUPLICATE_IN_INPUT, Reason.UNSUPPORTED, Reason.UNSUPPORTED]
    assert [m.data["author_id"] for m in _members(rows)] == ["U1"]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("<!here> deploy at 5", "@here deploy at 5"),
        ("<https://example.org>", "https://example.org"),
        ("a &lt;b&gt;", "a <b>"),
    ],
)
def test_slack_text_markup(raw: str, text: str) -> None:
    assert slack_text(raw) == text


def test_slack_events_api_message() -> None:
    path = FIXTURES / "slack" / "event_callback_message.json"
    event = _load(path)["event"]
    assert SlackAdapter().sniff(path)
    rows = list(SlackAdapter().read(path))
    _assert_valid(rows, "slack")
    (post,) = _posts(rows)
    assert post.data["post_id"] == f"{event['channel']}:{event['ts']}"
    assert post.data["text"] == event["text"] and post.data["author_id"] == event["user"]


@needs_samples
def test_slack_bot_message_sample_is_unsupported() -> None:
    rows = list(SlackAdapter().read(SLACK.parent / "bot_message.json"))
    assert [(r.reason, r.field) for r in _rejects(rows)] == [(Reason.UNSUPPORTED, "bot_id")]


# --- Discord ---------------------------------------------------------------------------------

DISCORD_FILES = _files(DISCORD, "*.json")


@needs_samples
@pytest.mark.parametrize("path", DISCORD_FILES, ids=_ids(DISCORD_FILES))
def test_discord_every_export(path: Path) -> None:
    export = _load(path)
    rows = list(DiscordAdapter().read(path))
    _assert_valid(rows, "discord")
    posts, rejects = _posts(rows), _rejects(rows)
    assert posts
    assert len(posts) + len(rejects) == len(export["messages"])
    ids = Counter(m["id"] for m in export["messages"])
    duplicates = sum(n - 1 for n in ids.values())
    assert [r.reason for r in rejects].count(Reason.DUPLICATE_IN_INPUT) == duplicates
    assert len({p.data["post_id"] for p in posts}) == len(posts)
    for row in posts:
        msg = _resolve(export, row.pointer or "")
        assert msg["type"] in ("Default", "Reply") and not msg["author"]["isBot"]
        assert row.data["thread_id"] == export["channel"]["id"]
        assert row.data["reactions"] == sum(r["count"] for r in msg["reactions"])
        reference = (msg.get("reference") or {}).get("messageId")
        assert row.data["parent_id"] == reference
        assert row.data["kind"] == ("reply" if reference else "message")
    for reject in rejects:
        msg = _resolve(export, reject.pointer or "")
        if reject.reason is Reason.UNSUPPORTED:
            assert msg["type"] not in ("Default", "Reply") or msg["author"]["isBot"]


@needs_samples
def test_discord_folder_read_reports_ids_repeated_across_files() -> None:
    messages = [m["id"] for path in DISCORD_FILES for m in _load(path)["messages"]]
    rows = list(DiscordAdapter().read(DISCORD))
    duplicates = [r for r in _rejects(rows) if r.reason is Reason.DUPLICATE_IN_INPUT]
    assert len(duplicates) == len(messages) - len(set(messages))


# --- GitHub ----------------------------------------------------------------------------------

GITHUB_FILES = _files(GITHUB, "*.json")


@needs_samples
@pytest.mark.parametrize("path", GITHUB_FILES, ids=_ids(GITHUB_FILES))
def test_github_every_payload(path: Path) -> None:
    payload = _load(path)
    rows = list(GitHubAdapter().read(path))
    _assert_valid(rows, "github")
    assert not _rejects(rows)
    subject = "issue" if "issue" in payload else "discussion"
    root_id = f"{subject}:{payload[subject]['id']}"
    thread = f"{payload['repository']['full_name']}#{payload[subject]['number']}"
    posts = {r.data["post_id"]: r.data for r in _posts(rows)}
    assert posts[root_id]["kind"] == "question" and posts[root_id]["parent_id"] is None
    assert posts[root_id]["title"] == payload[subject]["title"]
    assert posts[root_id]["text"] == (payload[subject]["body"] or payload[subject]["title"]).strip()
    assert {p["thread_id"] for p in posts.values()} == {thread}
    carried = [payload[k] for k in ("comment", "answer") if k in payload]
    assert len(posts) == 1 + len(carried)
    for comment in carried:
        row = posts[f"{subject}_comment:{comment['id']}"]
        assert row["parent_id"] == root_id and row["text"] == comment["body"]
        assert row["author_id"] == str(comment["user"]["id"])


@needs_samples
def test_github_answered_discussion_yields_accepted_answer() -> None:
    payload = _load(GITHUB / "discussion" / "answered.payload.json")
    posts = {r.data["post_id"]: r.data for r in _posts(list(GitHubAdapter().read(GITHUB / "discussion")))}
    answer = posts[f"discussion_comment:{payload['answer']['id']}"]
    assert answer["accepted_answer"] is True and answer["kind"] == "answer"
    assert answer["parent_id"] == f"discussion:{payload['discussion']['id']}"
    assert answer["channel"].endswith(payload["discussion"]["category"]["name"])


@needs_samples
@pytest.mark.parametrize(
    "path", _files(GITHUB / "issue_comment", "*.json"), ids=_ids(_files(GITHUB / "issue_comment", "*.json"))
)
def test_github_issue_comment_parent_is_the_issue(path: Path) -> None:
    payload = _load(path)
    rows = {r.data["post_id"]: r.data for r in _posts(list(GitHubAdapter().read(path)))}
    comment = rows[f"issue_comment:{payload['comment']['id']}"]
    assert comment["parent_id"] == f"issue:{payload['issue']['id']}" and comment["kind"] == "reply"


@needs_samples
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"action": "deleted"}, Reason.UNSUPPORTED),
        ({"issue": {"body": "", "title": " "}}, Reason.EMPTY_TEXT),
        ({"issue": {"user": {"id": 1, "type": "Bot"}}}, Reason.UNSUPPORTED),
    ],
)
def test_github_rejects(tmp_path: Path, change: dict[str, Any], reason: Reason) -> None:
    payload = _load(GITHUB / "issues" / "opened.payload.json")
    for key, value in change.items():
        payload[key] = {**payload[key], **value} if isinstance(value, dict) else value
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    rows = list(GitHubAdapter().read(path))
    assert [r.reason for r in rows if isinstance(r, Reject)] == [reason]
    assert not _posts(rows)


@needs_samples
def test_adapters_read_a_copied_export_the_same(tmp_path: Path) -> None:
    """Nothing depends on where an export lives."""
    copy = shutil.copytree(SLACK, tmp_path / "export")
    original = [(r.data if isinstance(r, RawRow) else r.reason) for r in SlackAdapter().read(SLACK)]
    moved = [(r.data if isinstance(r, RawRow) else r.reason) for r in SlackAdapter().read(Path(copy))]
    assert original == moved


JUNK = {
    "discourse": {
        "latest_posts": [
            "not a post",
            {"id": [1], "topic_id": 9, "post_number": 2},
            {"id": 2, "topic_id": {"x": 1}, "post_number": [2], "reply_to_post_number": [1], "raw": 5},
            {
                "id": 3,
                "topic_id": 9,
                "post_number": 2,
                "user_id": "u",
                "raw": "fine",
                "created_at": "2026-01-01T00:00:00Z",
            },
        ]
    },
    "slack": {"type": "event_callback", "event": {"type": "message", "channel": ["C1"], "ts": {"a": 1}}},
    "discord": {"guild": {}, "channel": {}, "messages": ["x", {"id": 5, "author": "me", "content": 7}, {"id": 6}]},
    "github": {"action": "opened", "repository": {}, "issue": {"id": 1, "number": 2, "title": 3, "user": "x"}},
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_adapters_never_raise_on_records_of_the_wrong_shape(tmp_path: Path, name: str) -> None:
    path = tmp_path / "junk.json"
    path.write_text(json.dumps(JUNK[name]), encoding="utf-8")
    rows = list(ADAPTERS[name].read(path))
    assert rows and any(isinstance(r, Reject) for r in rows)
    for row in rows:
        if isinstance(row, Reject):
            assert row.reason in Reason and row.source == str(path)

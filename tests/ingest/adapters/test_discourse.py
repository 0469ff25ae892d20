"""The Discourse adapter against the real API samples in ../shared/data/platform_formats.

Expected counts and ids are derived from the raw files in each test, never hard-coded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from insight.ingest.adapters.discourse import DiscourseAdapter, html_to_text
from insight.ingest.base import Reason
from tests.support.ingest import (
    CLIENT,
    FIXTURES,
    LIVE,
    assert_valid,
    load_json,
    member_rows,
    needs_samples,
    post_rows,
    reject_rows,
    resolve,
    sample_files,
    sample_ids,
)


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


DISCOURSE_FILES = sample_files(LIVE, "*.json") + sample_files(CLIENT, "*.json")


@needs_samples
@pytest.mark.parametrize("path", DISCOURSE_FILES, ids=sample_ids(DISCOURSE_FILES))
def test_discourse_every_file_accounts_for_its_posts(path: Path) -> None:
    content = load_json(path)
    raw = _raw_discourse_posts(content)
    rows = list(DiscourseAdapter().read(path))
    assert_valid(rows, "discourse")
    posts, rejects = post_rows(rows), reject_rows(rows)
    assert len(posts) + len(rejects) == len(raw)  # each post object: one row or one reject
    if any(_regular(p) for p in raw):
        assert posts
    for row in posts:
        source_post = resolve(content, row.pointer or "")
        assert str(source_post.get("id", source_post.get("post_id"))) == row.data["post_id"]
        assert row.data["thread_id"] == str(source_post["topic_id"])
        assert "[quote" not in row.data["text"] and "<p>" not in row.data["text"]
    if not raw:  # categories, badges, topic lists, user lists...: no posts, no noise
        assert not rejects


@needs_samples
def test_discourse_latest_posts_map_fields_and_parents() -> None:
    raw = load_json(LIVE / "posts.json")["latest_posts"]
    by_number = {(p["topic_id"], p["post_number"]): p["id"] for p in raw}
    rows = {r.data["post_id"]: r.data for r in post_rows(list(DiscourseAdapter().read(LIVE / "posts.json")))}
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
@pytest.mark.parametrize("path", T2144, ids=sample_ids(T2144))
def test_discourse_topic_pages_in_any_order_link_the_same_thread(path: Path) -> None:
    raw = load_json(path)["post_stream"]["posts"]
    in_page = {p["post_number"]: p["id"] for p in raw}
    rows = {r.data["post_id"]: r.data for r in post_rows(list(DiscourseAdapter().read(path)))}
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
    ascending = {
        r.data["post_id"]: r.data for r in post_rows(list(DiscourseAdapter().read(LIVE / "t_2144_posts.json")))
    }
    descending = {
        r.data["post_id"]: r.data for r in post_rows(list(DiscourseAdapter().read(LIVE / "t_2144_posts_pn_21.json")))
    }
    shared = ascending.keys() & descending.keys()
    assert len(shared) >= 15
    for post_id in shared:
        assert ascending[post_id] == descending[post_id]


@needs_samples
def test_discourse_folder_read_dedupes_pages_and_resolves_across_files() -> None:
    pages = [p for p in DISCOURSE_FILES if p.parent == LIVE]
    raw = [p for path in pages for p in _raw_discourse_posts(load_json(path))]
    unique = {p["id"]: p for p in raw}
    known = {(p["topic_id"], p["post_number"]): p["id"] for p in raw}
    rows = list(DiscourseAdapter().read(LIVE))
    posts = post_rows(rows)
    ids = [r.data["post_id"] for r in posts]
    assert len(ids) == len(set(ids))
    assert len(posts) + len(reject_rows(rows)) == len(unique)
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
    topic = load_json(path)
    raw = {p["id"]: p for p in topic["post_stream"]["posts"]}
    rows = list(DiscourseAdapter().read(path))
    assert_valid(rows, "discourse")
    posts = {r.data["post_id"]: r.data for r in post_rows(rows)}
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
    rejected = {r.row_id: r.reason for r in reject_rows(rows)}
    skipped = {str(i) for i, p in raw.items() if p["post_type"] != 1 or p["user_deleted"]}
    assert rejected == dict.fromkeys(skipped, Reason.UNSUPPORTED)


@needs_samples
def test_discourse_user_list_gives_members() -> None:
    users = load_json(CLIENT / "user_list.json")
    members = member_rows(list(DiscourseAdapter().read(CLIENT / "user_list.json")))
    assert [m.data["author_id"] for m in members] == [str(u["id"]) for u in users if u["id"] > 0]
    assert all(m.data["joined_at"] for m in members)
    assert all("consent_analytics" not in m.data for m in members)


@needs_samples
def test_discourse_structured_raw_is_flattened() -> None:
    rows = post_rows(list(DiscourseAdapter().read(CLIENT / "topic_posts.json")))
    expected = load_json(CLIENT / "topic_posts.json")["post_stream"]["posts"][0]["raw"][0]["children"][0]["text"]
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

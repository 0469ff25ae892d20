"""A small community for the privacy tests: Alice has a Slack and a Discourse account (same email,
both consented to linking), Bob two accounts with one username (no answer on linking), Carol one.

Alice's texts carry words found nowhere else (``MARKERS``), so an erasure can be checked by
searching every text column, and the SQLite file, for them.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, String, Text, inspect, select
from sqlalchemy.types import JSON

from insight.config import Settings
from insight.runtime.spec import AnalyseSpec
from insight.services import report_store, stories
from insight.services.analyse import analyse
from insight.services.ingest import ingest_paths
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.storage.schema import metadata
from insight.storage.tables import PostRow
from tests.support.analyse import CHEAP_SCORING
from tests.support.stories import PROVENANCE

MARKERS = ("quokkafrost", "zanzibarine", "plumbathorn")
ALICE_TEXTS = (
    "The quokkafrost deploy fails every night since the upgrade, please help.",
    "Still broken: zanzibarine logs show the same trace. Fix it by Friday or I will find you and hurt you.",
    "Thanks, the plumbathorn fix from the docs worked for me in the end.",
)
MEMBERS = [
    {"author_id": "alice-s", "platform": "slack", "joined_at": "2026-08-02T09:00:00Z", "motivation": "learn",
     "segment": "smb", "consent_analytics": "true", "consent_quotes": "true", "email": "Alice.Liddell@example.org",
     "username": "alice", "display_name": "Alice Liddell", "link_accounts": "true"},
    {"author_id": "alice-d", "platform": "discourse", "joined_at": "2026-08-03T09:00:00Z", "motivation": "learn",
     "segment": "smb", "consent_analytics": "true", "consent_quotes": "true", "email": "alice.liddell@example.org",
     "username": "aliddell", "display_name": "Alice L.", "link_accounts": "true"},
    {"author_id": "bob-s", "platform": "slack", "joined_at": "2026-08-04T09:00:00Z", "motivation": "build",
     "segment": "smb", "consent_analytics": "true", "consent_quotes": "false", "email": "", "username": "bobby",
     "display_name": "Bob Stone", "link_accounts": ""},
    {"author_id": "bob-d", "platform": "discourse", "joined_at": "2026-08-05T09:00:00Z", "motivation": "build",
     "segment": "smb", "consent_analytics": "true", "consent_quotes": "false", "email": "", "username": "Bobby",
     "display_name": "Bob Stone", "link_accounts": ""},
    {"author_id": "carol", "platform": "generic", "joined_at": "2026-08-06T09:00:00Z", "motivation": "learn",
     "segment": "enterprise", "consent_analytics": "true", "consent_quotes": "true", "email": "", "username": "",
     "display_name": "", "link_accounts": "false"},
]


def _post(post_id: str, thread: str, platform: str, author: str, when: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"post_id": post_id, "thread_id": thread, "platform": platform, "channel": "help", "author_id": author,
            "created_at": when, "text": text, "parent_id": extra.get("parent"), "title": extra.get("title"),
            "kind": extra.get("kind", "reply")}


POSTS = [
    _post("a1", "t-slack", "slack", "alice-s", "2026-08-05T10:00:00Z", ALICE_TEXTS[0],
          title="quokkafrost deploy broken", kind="question"),
    _post("c1", "t-slack", "slack", "carol", "2026-08-05T12:00:00Z", "Which version are you on? Check the logs."),
    _post("a2", "t-slack", "slack", "alice-s", "2026-08-12T10:00:00Z", ALICE_TEXTS[1], parent="a1"),
    _post("b1", "t-disc", "discourse", "bob-d", "2026-08-20T10:00:00Z", "How do I rotate the API token safely?",
          title="Rotating tokens", kind="question"),
    _post("b2", "t-slack2", "slack", "bob-s", "2026-09-02T10:00:00Z", "Search is slow again this morning.",
          title="Slow search", kind="question"),
    _post("a3", "t-disc", "discourse", "alice-d", "2026-09-03T10:00:00Z", ALICE_TEXTS[2], parent="b1"),
    _post("c2", "t-disc", "discourse", "carol", "2026-09-04T10:00:00Z", "Glad it works, closing the thread."),
]
FEEDBACK = [{"response_id": "fa1", "prompt_id": "after-solution", "moment": "solution_accepted",
             "author_id": "alice-d", "created_at": "2026-09-03T11:00:00Z",
             "text": "The quokkafrost answer saved my week.", "rating": "5"}]


def write_community(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    members, posts, feedback = folder / "members.csv", folder / "posts.jsonl", folder / "feedback.csv"
    for path, rows in ((members, MEMBERS), (feedback, FEEDBACK)):
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    posts.write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    return [members, posts, feedback]


def ingest_community(engine: Engine, settings: Settings, folder: Path) -> dict[str, Any]:
    return ingest_paths(write_community(folder), engine=engine, settings=settings).as_dict()


def text_hits(engine: Engine, needles: tuple[str, ...] = MARKERS) -> list[str]:
    """``table.column`` of every text, string and JSON column (of every table of the schema) holding one
    of ``needles``, case-insensitive."""
    found = []
    with session_scope(engine) as session:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for column in columns:
                for value in session.scalars(select(column)):
                    text = json.dumps(value) if not isinstance(value, str) else value
                    if text and any(n.lower() in text.lower() for n in needles):
                        found.append(f"{table.name}.{column.name}")
                        break
    return sorted(set(found))


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


AS_OF = datetime(2026, 9, 30, tzinfo=UTC)
SPEC = AnalyseSpec(stages=["score", "feedback", "triage", "kpis"])


def cheap(settings: Settings) -> Settings:
    """The settings with the cheap scoring pass (VADER, safety rules, the packaged embedder)."""
    return settings.model_copy(update={
        "models": settings.models.model_copy(update=CHEAP_SCORING["models"]),
        "pipeline": settings.pipeline.model_copy(update=CHEAP_SCORING["pipeline"])})


def analysed_community(engine: Engine, settings: Settings, folder: Path) -> list[str]:
    """The community ingested, scored, triaged and materialised, with one story (and its confirmed
    tag and links) on each of Alice's accounts. Returns the story ids."""
    ingest_community(engine, settings, folder)
    analyse(engine, settings, SPEC, as_of=AS_OF)
    stories.load_taxonomy_file(engine, resources.files("insight.demo") / "taxonomy.toml", actor="test")
    version = stories.taxonomy(engine)["version"]
    now, out = datetime.now(UTC), []
    with session_scope(engine) as session:
        for post in session.scalars(select(PostRow).where(PostRow.post_id.in_(["a1", "a3"])).order_by(PostRow.id)):
            story_id = f"st-privacy-{post.post_id}"
            st.add_stories(session, [{"story_id": story_id, "source": "post", "thread_key": post.thread_key,
                                      "source_ids": [post.post_id], "author_id": post.author_id,
                                      "told_at": post.created_at, "channel": post.channel,
                                      "text_redacted": post.text_redacted, "story_score": 0.9, "detected_at": now,
                                      **PROVENANCE}])
            out.append((story_id, st.add_suggestion(session, {
                "story_id": story_id, "tag": "mentor_guidance", "taxonomy_version": version, "score": 0.9,
                "threshold": 0.5, "highlights": [[0, 3]], "status": "pending", "origin": "model", "created_at": now,
                **PROVENANCE})))
    for _, suggestion in out:
        stories.review(engine, suggestion, "confirm", "test-researcher")
    for period in ("2026-08", "2026-09"):
        report_store.materialise(engine, settings, period, "test", formats=("json", "md", "kpis"))
    return [story for story, _ in out]

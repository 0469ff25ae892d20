"""The taxonomy editor's use-cases: one change to the current taxonomy (add, rename, merge, split,
retire a tag, or edit its name, description and KPIs), previewed, then saved as a new version
exactly as ``insight stories taxonomy load`` stores one (``story_taxonomy.register_taxonomy``:
past confirmed tags are re-applied through the mapping); and seed examples for a tag.

A change is a dict: ``{"op": "add", "id", "name", "description", "kpis"}``, ``{"op": "rename",
"tag", "new_id", "name"}``, ``{"op": "merge", "tags": [...], "into", "name", "description"}``,
``{"op": "split", "tag", "parts": [{"id", "name", "description"}, ...]}``, ``{"op": "retire",
"tag", "reason"}``, ``{"op": "edit", "tag", "name", "description", "kpis"}``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from insight.errors import InputError
from insight.privacy.shown import shown
from insight.services.story_links import current_taxonomy, person
from insight.services.story_taxonomy import register_taxonomy
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.stories.taxonomy import Tag, Taxonomy, parse_taxonomy, tag_mappings

OPS = ("add", "rename", "merge", "split", "retire", "edit")


def _bad(op: str, detail: str) -> InputError:
    return InputError("E629", op=op, detail=detail)


def _text(change: dict[str, Any], key: str, op: str, default: str | None = None) -> str:
    value = str(change.get(key) or default or "").strip()
    if not value:
        raise _bad(op, f"'{key}' is required")
    return value


def _kpis(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else str(value or "").replace(";", ",").split(",")
    return tuple(k.strip() for k in items if str(k).strip())


def _changed(tax: Taxonomy, change: dict[str, Any]) -> tuple[list[Tag], list[dict[str, str]]]:
    """The new tag list and retired list after ``change`` (each tag's ``replaces`` set for this change only)."""
    op = str(change.get("op", ""))
    if op not in OPS:
        raise _bad(op or "(none)", f"use one of {', '.join(OPS)}")
    tags = [dataclasses.replace(t, replaces=()) for t in tax.tags]
    retired = list(tax.retired)
    by_id = {t.id: t for t in tags}

    def existing(key: str) -> Tag:
        tag_id = _text(change, key, op)
        if tag_id not in by_id:
            raise _bad(op, f"there is no tag '{tag_id}' in version {tax.version}; tags: {', '.join(by_id)}")
        return by_id[tag_id]

    if op == "add":
        tags.append(Tag(_text(change, "id", op), _text(change, "name", op), _text(change, "description", op),
                        _kpis(change.get("kpis")), (), str(change.get("valence") or "mechanism")))
    elif op in ("rename", "edit"):
        old = existing("tag")
        new_id = str(change.get("new_id") or old.id).strip() if op == "rename" else old.id
        new = dataclasses.replace(old, id=new_id, name=str(change.get("name") or old.name).strip(),
                                  description=str(change.get("description") or old.description).strip(),
                                  kpis=_kpis(change["kpis"]) if change.get("kpis") else old.kpis,
                                  replaces=(old.id,) if new_id != old.id else ())
        tags[tags.index(old)] = new
    elif op == "merge":
        sources = list(dict.fromkeys(_kpis(change.get("tags"))))  # ids, comma separated or a list
        if len(sources) < 2:
            raise _bad(op, "name two or more tags to merge")
        unknown = [s for s in sources if s not in by_id]
        if unknown:
            raise _bad(op, f"there is no tag '{unknown[0]}' in version {tax.version}; tags: {', '.join(by_id)}")
        olds = [by_id[s] for s in sources]
        into = str(change.get("into") or olds[0].id).strip()
        if into in by_id and into not in sources:
            raise _bad(op, f"'{into}' is another tag; merge into one of the merged tags or a new id")
        merged = Tag(into, str(change.get("name") or olds[0].name).strip(),
                     str(change.get("description") or olds[0].description).strip(),
                     tuple(dict.fromkeys(k for o in olds for k in o.kpis)), tuple(sources), olds[0].valence)
        tags = [t for t in tags if t.id not in sources and t.id != into]
        tags.insert(min(tax.ids.index(s) for s in sources), merged)
    elif op == "split":
        old = existing("tag")
        parts = change.get("parts") or []
        if len(parts) < 2:
            raise _bad(op, "a split needs two or more new tags (id, name, description each)")
        new = [Tag(_text(p, "id", op), _text(p, "name", op), _text(p, "description", op),
                   _kpis(p.get("kpis")) or old.kpis, (old.id,), old.valence) for p in parts]
        at = tags.index(old)
        tags[at:at + 1] = new
    else:  # retire
        old = existing("tag")
        tags.remove(old)
        retired.append({"id": old.id, "reason": _text(change, "reason", op)})
    twice = [t for t, n in Counter(t.id for t in tags).items() if n > 1]
    if twice:
        raise _bad(op, f"'{twice[0]}' would name two tags; pick an id no other tag has")
    return tags, retired


def _next_version(engine: Engine) -> tuple[Taxonomy, str]:
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        count = len(st.taxonomy_rows(session))
    return tax, f"{datetime.now(UTC):%Y-%m-%d}.{count + 1}"


def build(engine: Engine, change: dict[str, Any]) -> tuple[Taxonomy, Taxonomy]:
    """(current taxonomy, the version ``change`` makes), checked as a taxonomy file is (E631, E632)."""
    tax, version = _next_version(engine)
    tags, retired = _changed(tax, change)
    data = {"version": version, "tags": [t.as_dict() for t in tags], "retired": retired}
    new = parse_taxonomy(data, "the taxonomy editor")
    tag_mappings(tax, new)  # E632 when a tag would be orphaned
    return tax, new


def preview(engine: Engine, change: dict[str, Any]) -> dict[str, Any]:
    """What saving ``change`` would do: per mapping of a tag, how many confirmed stories it moves."""
    tax, new = build(engine, change)
    with session_scope(engine) as session:
        confirmed = Counter(s["tag"] for s in st.suggestions(session, version=tax.version, statuses=["confirmed"]))
        pending = len(st.suggestions(session, version=tax.version, statuses=["pending"]))
    rows = [{"from_tag": m.from_tag, "to_tag": m.to_tag, "kind": m.kind, "stories": confirmed.get(m.from_tag, 0)}
            for m in tag_mappings(tax, new)]
    moved = {r["from_tag"]: r["stories"] for r in rows if r["kind"] != "keep"}
    return {"from_version": tax.version, "version": new.version, "mappings": [r for r in rows if r["kind"] != "keep"],
            "retagged": sum(moved.values()), "kept": sum(r["stories"] for r in rows if r["kind"] == "keep"),
            "pending_superseded": pending, "tags": [t.as_dict() for t in new.tags]}


def save(engine: Engine, change: dict[str, Any], actor: str) -> dict[str, Any]:
    """Store the version ``change`` makes, as ``stories taxonomy load`` does; returns its summary and preview."""
    planned = preview(engine, change)
    _, new = build(engine, change)
    stored = register_taxonomy(engine, new, actor=actor)
    return {**stored, "preview": planned}


def add_seed_examples(engine: Engine, tag: str, texts: list[str], actor: str) -> dict[str, Any]:
    """Seed examples (redacted) for ``tag`` of the current version: the next tagging round trains on them."""
    kept = [shown(t.strip()) for t in texts if t.strip()]
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        if tax.tag(tag) is None:
            raise _bad("examples", f"there is no tag '{tag}' in version {tax.version}")
        if not kept:
            raise _bad("examples", "write one example story a line")
        added = st.add_examples(session, ({"text": t, "tags": [tag], "taxonomy_version": tax.version,
                                           "source": f"page:{person(actor)}"[:200], "added_at": datetime.now(UTC)}
                                          for t in kept))
    return {"tag": tag, "examples": added}


def seed_counts(engine: Engine) -> dict[str, int]:
    """tag id -> seed examples stored for it."""
    with session_scope(engine) as session:
        return dict(Counter(tag for e in st.examples(session) for tag in e["tags"]))


def confirmed_counts(engine: Engine) -> dict[str, int]:
    """tag id -> confirmed stories under the current version."""
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        return dict(Counter(s["tag"] for s in st.suggestions(session, version=tax.version, statuses=["confirmed"])))

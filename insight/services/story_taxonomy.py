"""Taxonomy versions (part of the member-story use-cases): store a version, re-apply past tags through its mapping.

Renaming, merging, splitting or retiring a tag never orphans a tagged story: every confirmed tag
of the previous version moves to its mapped tag (a split picks the target whose description is
nearest the story), old links are deactivated, and the new links name the links they continue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.errors import StorageError
from insight.services.story_links import create_links, now, person
from insight.signals.embedder import embed
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.stories.model import description_texts
from insight.stories.tagger import MODEL_ID
from insight.stories.taxonomy import Taxonomy, load_taxonomy, tag_mappings


def load_taxonomy_file(engine: Engine, path: Path, *, actor: str = "researcher") -> dict[str, Any]:
    """Store a taxonomy TOML as the current version (E631 invalid, E632 orphaned tags, E435 changed version)."""
    return register_taxonomy(engine, load_taxonomy(path), actor=actor)


def register_taxonomy(engine: Engine, taxonomy: Taxonomy, *, actor: str = "researcher") -> dict[str, Any]:
    """Store ``taxonomy`` as the current version; past tags are re-applied through the tag mapping."""
    with session_scope(engine) as session:
        rows = st.taxonomy_rows(session)
        same = next((r for r in rows if r["version"] == taxonomy.version), None)
        if same is not None:
            if same["content_hash"] != taxonomy.content_hash():
                raise StorageError("E435", version=taxonomy.version)
            return {"version": taxonomy.version, "stored": False, "remapped": 0}
        previous = Taxonomy.from_dict(rows[-1]) if rows else None
        maps = tag_mappings(previous, taxonomy) if previous else []
        st.add_taxonomy(session, {
            "version": taxonomy.version, "previous_version": previous.version if previous else None,
            "tags": [t.as_dict() for t in taxonomy.tags], "retired": list(taxonomy.retired),
            "content_hash": taxonomy.content_hash(), "actor": person(actor), "loaded_at": now(),
        }, [{"from_version": previous.version, "from_tag": m.from_tag, "to_version": taxonomy.version,  # type: ignore[union-attr]
             "to_tag": m.to_tag, "kind": m.kind} for m in maps])
        remapped = _remap(session, previous, taxonomy, maps) if previous else 0
    return {"version": taxonomy.version, "stored": True, "previous_version": previous.version if previous else None,
            "tags": len(taxonomy.tags), "mappings": [m.__dict__ for m in maps], "remapped": remapped}


def _remap(session: Session, previous: Taxonomy, new: Taxonomy, maps: Sequence[Any]) -> int:
    """Carry every confirmed tag of ``previous`` into ``new``; pending suggestions are superseded."""
    targets: dict[str, list[Any]] = {}
    for m in maps:
        targets.setdefault(m.from_tag, []).append(m)
    confirmed = st.suggestions(session, version=previous.version, statuses=["confirmed"])
    for s in st.suggestions(session, version=previous.version, statuses=["pending"]):
        st.update_suggestion(session, s["id"], status="superseded")
    stories = {s["story_id"]: s for s in st.stories(session, [c["story_id"] for c in confirmed])}
    split_choice = _split_choices(new, confirmed, stories, targets)
    at, count = now(), 0
    for sugg in confirmed:
        story = stories[sugg["story_id"]]
        old_links = st.links(session, suggestion_ids=[sugg["id"]])
        st.deactivate_links(session, [lk["link_id"] for lk in old_links])
        options = targets.get(sugg["tag"], [])
        mapping = split_choice.get(sugg["id"]) or (options[0] if options else None)
        base = {"story_id": story["story_id"], "taxonomy_version": new.version, "source_ids": story["source_ids"],
                "at": at, "model": sugg["model"], "model_revision": sugg["model_revision"]}
        if mapping is None or mapping.to_tag is None:
            for lk in old_links:
                st.add_audit(session, {**base, "event": "retired", "suggestion_id": sugg["id"],
                                       "link_id": lk["link_id"], "actor": lk["tagger"], "tag": sugg["tag"],
                                       "details": {"from_version": previous.version, "mapping": "retire"}})
            continue
        existing = st.suggestions(session, version=new.version, tag=mapping.to_tag, story_id=story["story_id"])
        tagger = old_links[0]["tagger"] if old_links else f"model:{sugg['model']}@{sugg['model_revision']}"
        if mapping.kind == "split":
            tagger = f"model:{MODEL_ID}@descriptions-{new.content_hash()[:12]}"  # the split target is the model's pick
        if existing:  # a merge met a story already carrying the target tag: its old links end here
            for lk in old_links:
                st.add_audit(session, {**base, "event": "remapped", "suggestion_id": existing[0]["id"],
                                       "link_id": lk["link_id"], "actor": tagger, "tag": mapping.to_tag,
                                       "details": {"from_version": previous.version, "from_tag": sugg["tag"],
                                                   "mapping": mapping.kind, "into_suggestion": existing[0]["id"]}})
        else:
            new_id = st.add_suggestion(session, {
                "story_id": story["story_id"], "tag": mapping.to_tag, "taxonomy_version": new.version,
                "score": sugg["score"], "threshold": sugg["threshold"], "highlights": sugg["highlights"],
                "status": "confirmed", "origin": "mapping", "created_at": at, "stage": "insight.stories.mapping.v1",
                "model": sugg["model"], "model_revision": sugg["model_revision"], "config_hash": sugg["config_hash"],
                "run_id": sugg["run_id"],
            })
            cohorts = [lk["target"] for lk in old_links if lk["kind"] == "cohort"]
            tag = new.tag(mapping.to_tag)
            assert tag is not None
            create_links(session, new_id, story, tag.id, tag.kpis, cohorts, new.version, tagger,
                  old_links[0]["tag_score"] if old_links else sugg["score"], at,
                  {"from_version": previous.version, "from_tag": sugg["tag"], "mapping": mapping.kind,
                   "from_links": {f"{lk['kind']}:{lk['target']}": lk["link_id"] for lk in old_links}},
                  event="remapped")
        count += 1
    return count


def _split_choices(new: Taxonomy, confirmed: Sequence[dict[str, Any]], stories: dict[str, dict[str, Any]],
                   targets: dict[str, list[Any]]) -> dict[int, Any]:
    """For tags split in two or more: the target whose description is closest to each story."""
    split = [s for s in confirmed if len(targets.get(s["tag"], [])) > 1]
    if not split:
        return {}
    index = {t.id: i for i, t in enumerate(new.tags)}
    tag_vecs = embed(description_texts(new))
    story_vecs = embed([stories[s["story_id"]]["text_redacted"] for s in split])
    out = {}
    for sugg, vector in zip(split, story_vecs, strict=True):
        options = targets[sugg["tag"]]
        sims = [float(vector @ tag_vecs[index[m.to_tag]]) for m in options]
        out[sugg["id"]] = options[int(np.argmax(sims))]
    return out


def has_taxonomy(engine: Engine) -> bool:
    """Whether a taxonomy is stored (story detection and tagging need one)."""
    with session_scope(engine) as session:
        return bool(st.taxonomy_rows(session))


def taxonomy(engine: Engine) -> dict[str, Any]:
    """The current taxonomy version and its tags (E434 when none is stored)."""
    with session_scope(engine) as session:
        rows = st.taxonomy_rows(session)
        if not rows:
            raise StorageError("E434")
        row = rows[-1]
    return {"version": row["version"], "previous_version": row["previous_version"], "tags": row["tags"],
            "retired": row["retired"], "loaded_at": row["loaded_at"].isoformat(), "actor": row["actor"]}


def taxonomy_versions(engine: Engine) -> list[dict[str, Any]]:
    """Every stored version, oldest first, with how its predecessor's tags map into it."""
    with session_scope(engine) as session:
        rows = st.taxonomy_rows(session)
        maps = st.mappings(session)
    return [{"version": r["version"], "previous_version": r["previous_version"], "tags": [t["id"] for t in r["tags"]],
             "retired": [x["id"] for x in r["retired"]], "loaded_at": r["loaded_at"].isoformat(), "actor": r["actor"],
             "mappings": [{"from_tag": m["from_tag"], "to_tag": m["to_tag"], "kind": m["kind"]} for m in maps
                          if m["to_version"] == r["version"]]} for r in rows]

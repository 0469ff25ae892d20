"""Member-story use-cases: taxonomy versions, seed examples, detect and tag, review, links, pairs, trace.

The loop: ``load_taxonomy`` and ``add_examples`` (the researcher's TOML and seeds), then
``tag_stored`` (find stories among stored, consented posts and feedback answers; suggest tags
with scores), then ``review`` (confirm, reject or retag; audited with who and when; a confirm
links the story to the KPIs its tag names and to its member's cohorts), and each later
``tag_stored`` trains on every decision so far. ``story_metric_pairs`` joins links with KPI
values; ``trace`` follows one link back to its source posts. Every function takes an Engine first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.config import Settings
from insight.errors import InputError, StorageError
from insight.metrics.kpis import compute_kpis, period_bounds
from insight.records import StoryMetricPair
from insight.services.analysis import BatchSummary, read_docs, write_jsonl
from insight.storage import repository as repo
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.stories.detect import DETECTOR_ID, MIN_WORDS, load_detector
from insight.stories.embed import embed
from insight.stories.examples import Example, read_examples
from insight.stories.highlight import highlights
from insight.stories.link import link_id, link_targets, member_cohorts
from insight.stories.model import description_texts, fit_tagger, tag_vectors
from insight.stories.tagger import MODEL_ID, StoryTagger
from insight.stories.taxonomy import Taxonomy, load_taxonomy, tag_mappings
from insight.stories.units import Candidate, feedback_candidates, post_candidates

TAG_STAGE = "insight.stories.tagger.v1"
DETECT_STAGE = "insight.stories.detect.v1"
DECISIONS = ("confirm", "reject", "retag")
ORDERS = ("uncertain", "score", "recent")
PERSON = "person:"


def _now() -> datetime:
    return datetime.now(UTC)


def _person(actor: str) -> str:
    return actor if actor.startswith(PERSON) else PERSON + actor


def _current(session: Session) -> Taxonomy:
    rows = st.taxonomy_rows(session)
    if not rows:
        raise StorageError("E434")
    return Taxonomy.from_dict(rows[-1])


# --- taxonomy -------------------------------------------------------------------------------


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
            "content_hash": taxonomy.content_hash(), "actor": _person(actor), "loaded_at": _now(),
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
    now, count = _now(), 0
    for sugg in confirmed:
        story = stories[sugg["story_id"]]
        old_links = st.links(session, suggestion_ids=[sugg["id"]])
        st.deactivate_links(session, [lk["link_id"] for lk in old_links])
        options = targets.get(sugg["tag"], [])
        mapping = split_choice.get(sugg["id"]) or (options[0] if options else None)
        base = {"story_id": story["story_id"], "taxonomy_version": new.version, "source_ids": story["source_ids"],
                "at": now, "model": sugg["model"], "model_revision": sugg["model_revision"]}
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
        if existing:
            new_id = existing[0]["id"]
        else:
            new_id = st.add_suggestion(session, {
                "story_id": story["story_id"], "tag": mapping.to_tag, "taxonomy_version": new.version,
                "score": sugg["score"], "threshold": sugg["threshold"], "highlights": sugg["highlights"],
                "status": "confirmed", "origin": "mapping", "created_at": now, "stage": "insight.stories.mapping.v1",
                "model": sugg["model"], "model_revision": sugg["model_revision"], "config_hash": sugg["config_hash"],
                "run_id": sugg["run_id"],
            })
            cohorts = [lk["target"] for lk in old_links if lk["kind"] == "cohort"]
            tag = new.tag(mapping.to_tag)
            assert tag is not None
            _link(session, new_id, story, tag.id, tag.kpis, cohorts, new.version, tagger,
                  old_links[0]["tag_score"] if old_links else sugg["score"], now,
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


# --- seed examples and tagging ------------------------------------------------------------


def add_examples(engine: Engine, path: Path) -> dict[str, Any]:
    """Store the researcher's seed examples for the current taxonomy; bad rows are reported."""
    with session_scope(engine) as session:
        tax = _current(session)
        examples, rejects = read_examples(path, tax.ids)
        added = st.add_examples(session, ({"text": e.text, "tags": list(e.tags), "taxonomy_version": tax.version,
                                           "source": str(path), "added_at": _now()} for e in examples))
    return {"examples": added, "rejected": len(rejects), "rejects": [r.as_dict() for r in rejects[:20]]}


def _training_examples(session: Session, tax: Taxonomy) -> list[Example]:
    """Seeds whose tags the taxonomy still has, plus every story a researcher decided on."""
    known = set(tax.ids)
    out = [Example(e["text"], tuple(e["tags"])) for e in st.examples(session) if set(e["tags"]) <= known]
    decided: dict[str, set[str]] = {}
    for s in st.suggestions(session, version=tax.version, statuses=["confirmed", "rejected", "retagged"]):
        tags = decided.setdefault(s["story_id"], set())
        if s["status"] == "confirmed":
            tags.add(s["tag"])
    stories = {s["story_id"]: s for s in st.stories(session, list(decided))}
    out += [Example(stories[sid]["text_redacted"], tuple(sorted(tags))) for sid, tags in decided.items()]
    return out


def _train(session: Session, tax: Taxonomy) -> tuple[StoryTagger, int]:
    examples = _training_examples(session, tax)
    return fit_tagger(tax, examples), len(examples)


def tag_stored(engine: Engine, settings: Settings, run_id: str, *, detector_path: Path | None = None) -> dict[str, Any]:
    """Detect stories among stored, consented posts and feedback; suggest tags (a new training round)."""
    detector = load_detector(detector_path)
    with session_scope(engine) as session:
        tax = _current(session)
        posts = repo.load_posts(session, unknown_members=settings.ingest.unknown_members)
        feedback = st.consented_feedback(session, settings.ingest.unknown_members)
        known_ids = {i for s in st.stories(session) for i in s["source_ids"]}
        tagger, n_examples = _train(session, tax)
    candidates = [c for c in post_candidates(posts) + feedback_candidates(feedback)
                  if len(c.text.split()) >= MIN_WORDS and not set(c.source_ids) & known_ids]
    vectors = embed([c.text for c in candidates])
    probs = detector.probabilities(vectors, [c.text for c in candidates])
    found = _non_overlapping([(c, p) for c, p in zip(candidates, probs, strict=True) if p >= detector.threshold])
    now = _now()
    detect_prov = {"stage": DETECT_STAGE, "model": DETECTOR_ID, "model_revision": detector.revision,
                   "config_hash": settings.config_hash(), "run_id": run_id}
    with session_scope(engine) as session:
        st.add_stories(session, ({"story_id": c.story_id, "source": c.source, "thread_key": c.thread_key,
                                  "source_ids": list(c.source_ids), "author_id": c.author_id, "told_at": c.told_at,
                                  "channel": c.channel, "text_redacted": c.text, "story_score": float(p),
                                  "detected_at": now, **detect_prov} for c, p in found))
        suggested = _suggest(session, tax, tagger, settings, run_id, now)
    return {"candidates": len(candidates), "stories_found": len(found), "examples": n_examples,
            "tagger": tagger.tagger_id, "detector": detector.detector_id, **suggested}


def _non_overlapping(found: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    """The likeliest reading of each post: a run or one of its posts, never both."""
    kept, used = [], set()
    for cand, p in sorted(found, key=lambda x: (-x[1], x[0].story_id)):
        if not set(cand.source_ids) & used:
            kept.append((cand, p))
            used.update(cand.source_ids)
    return sorted(kept, key=lambda x: (x[0].told_at, x[0].story_id))


def _suggest(session: Session, tax: Taxonomy, tagger: StoryTagger, settings: Settings, run_id: str,
             now: datetime) -> dict[str, int]:
    """Re-score pending suggestions and add new ones for every story of the current version."""
    stories = st.stories(session)
    if not stories:
        return {"suggested": 0, "rescored": 0}
    texts = [s["text_redacted"] for s in stories]
    vectors = embed(texts)
    scores = tagger.scores(vectors)
    decided = tag_vectors(vectors, texts, tagger, None)
    prov = {"stage": TAG_STAGE, "model": MODEL_ID, "model_revision": tagger.revision_,
            "config_hash": settings.config_hash(), "run_id": run_id}
    index = {t: j for j, t in enumerate(tax.ids)}
    existing: dict[str, dict[str, dict[str, Any]]] = {}
    for s in st.suggestions(session, version=tax.version):
        existing.setdefault(s["story_id"], {})[s["tag"]] = s
    rescored, new = 0, []
    for i, (story, result) in enumerate(zip(stories, decided, strict=True)):
        mine = existing.get(story["story_id"], {})
        for tag, sugg in mine.items():
            if sugg["status"] == "pending":
                st.update_suggestion(session, sugg["id"], score=float(scores[i, index[tag]]),
                                     threshold=tagger.params.threshold, **prov)
                rescored += 1
        new += [(i, tag, score) for tag, score in result.tags if tag not in mine]
    spans = highlights([texts[i] for i, _, _ in new], [[index[t]] for _, t, _ in new],
                       lambda sents: tagger.scores(embed(sents)))
    for (i, tag, score), span in zip(new, spans, strict=True):
        story = stories[i]
        sid = st.add_suggestion(session, {"story_id": story["story_id"], "tag": tag, "taxonomy_version": tax.version,
                                          "score": score, "threshold": tagger.params.threshold,
                                          "highlights": span[index[tag]], "status": "pending", "origin": "model",
                                          "created_at": now, **prov})
        st.add_audit(session, {"at": now, "event": "suggested", "story_id": story["story_id"], "suggestion_id": sid,
                               "link_id": None, "actor": tagger.tagger_id, "tag": tag, "taxonomy_version": tax.version,
                               "model": MODEL_ID, "model_revision": tagger.revision_,
                               "source_ids": story["source_ids"], "details": {"score": round(score, 4)}})
    return {"suggested": len(new), "rescored": rescored}


def suggestions(engine: Engine, *, status: str = "pending", order: str = "uncertain", limit: int = 50,
                tag: str | None = None) -> list[dict[str, Any]]:
    """Suggestions of the current taxonomy version; ``uncertain`` order puts scores nearest the threshold first.

    ``status`` is pending, confirmed, rejected, retagged or all.
    """
    if order not in ORDERS:
        raise InputError("E606", option="order", detail=f"'{order}'; use one of {', '.join(ORDERS)}")
    with session_scope(engine) as session:
        tax = _current(session)
        rows = st.suggestions(session, version=tax.version, statuses=None if status == "all" else [status], tag=tag)
        stories = {s["story_id"]: s for s in st.stories(session, list({r["story_id"] for r in rows}))}
    keys = {"uncertain": lambda r: (abs(r["score"] - r["threshold"]), r["id"]),
            "score": lambda r: (-r["score"], r["id"]), "recent": lambda r: (-r["created_at"].timestamp(), r["id"])}
    rows.sort(key=keys[order])
    names = {t.id: t.name for t in tax.tags}
    out = []
    for r in rows[:limit]:
        story = stories[r["story_id"]]
        out.append({"suggestion_id": r["id"], "story_id": r["story_id"], "tag": r["tag"],
                    "tag_name": names.get(r["tag"], r["tag"]), "score": round(r["score"], 4),
                    "threshold": r["threshold"], "text": story["text_redacted"], "highlights": r["highlights"],
                    "thread_id": story["thread_key"], "post_ids": story["source_ids"], "status": r["status"],
                    "source": story["source"], "told_at": story["told_at"].isoformat(),
                    "tagger": f"model:{r['model']}@{r['model_revision']}", "taxonomy_version": r["taxonomy_version"]})
    return out


# --- review and links -----------------------------------------------------------------------


def review(engine: Engine, suggestion_id: int, decision: str, actor: str, *, new_tag: str | None = None,
           at: datetime | None = None) -> dict[str, Any]:
    """Confirm, reject or retag a pending suggestion; stored with who and when, and audited.

    A confirm (or the retag's new tag) links the story to its tag's KPIs and its member's cohorts.

    Raises:
        InputError: E634 unknown decision, E636 retag without new_tag, E635 unknown tag.
        StorageError: E431 unknown suggestion, E432 already reviewed.
    """
    if decision not in DECISIONS:
        raise InputError("E634", decision=decision, options=", ".join(DECISIONS))
    person, when = _person(actor), at or _now()
    with session_scope(engine) as session:
        sugg = st.suggestion(session, suggestion_id)
        if sugg is None:
            raise StorageError("E431", suggestion_id=suggestion_id)
        if sugg["status"] != "pending":
            raise StorageError("E432", suggestion_id=suggestion_id, status=sugg["status"])
        tax = _current(session)
        if decision == "retag":
            if not new_tag:
                raise InputError("E636", options=", ".join(tax.ids))
            if tax.tag(new_tag) is None:
                raise InputError("E635", tag=new_tag, version=tax.version, options=", ".join(tax.ids))
        story = st.story(session, sugg["story_id"])
        assert story is not None
        st.add_decision(session, {"suggestion_id": suggestion_id, "story_id": sugg["story_id"], "tag": sugg["tag"],
                                  "decision": decision, "new_tag": new_tag if decision == "retag" else None,
                                  "taxonomy_version": sugg["taxonomy_version"], "score": sugg["score"],
                                  "actor": person, "at": when})
        status = {"confirm": "confirmed", "reject": "rejected", "retag": "retagged"}[decision]
        st.update_suggestion(session, suggestion_id, status=status)
        st.add_audit(session, {"at": when, "event": status, "story_id": story["story_id"],
                               "suggestion_id": suggestion_id, "link_id": None, "actor": person, "tag": sugg["tag"],
                               "taxonomy_version": sugg["taxonomy_version"], "model": sugg["model"],
                               "model_revision": sugg["model_revision"], "source_ids": story["source_ids"],
                               "details": {"score": sugg["score"],
                                           "new_tag": new_tag if decision == "retag" else None}})
        linked_id, links = None, []
        if decision == "confirm":
            linked_id = suggestion_id
        elif decision == "retag":
            linked_id = _retag_target(session, sugg, new_tag, when)  # type: ignore[arg-type]
        if linked_id is not None:
            target = st.suggestion(session, linked_id)
            assert target is not None
            tag = tax.tag(target["tag"])
            assert tag is not None
            member = repo.members_by_id(session, [story["author_id"]]).get(story["author_id"])
            links = _link(session, linked_id, story, tag.id, tag.kpis, member_cohorts(member), tax.version, person,
                          1.0, when, {"suggested_by": f"model:{sugg['model']}@{sugg['model_revision']}",
                                      "suggested_score": sugg["score"]})
    return {"suggestion_id": suggestion_id, "decision": decision, "status": status, "actor": person,
            "at": when.isoformat(), "new_tag": new_tag if decision == "retag" else None,
            "confirmed_suggestion_id": linked_id, "links": links}


def _retag_target(session: Session, sugg: dict[str, Any], new_tag: str, when: datetime) -> int | None:
    """The suggestion the retag confirms: the story's pending one for ``new_tag``, or a new one by the person."""
    same = st.suggestions(session, version=sugg["taxonomy_version"], tag=new_tag, story_id=sugg["story_id"])
    if same:
        if same[0]["status"] == "confirmed":
            return None  # already confirmed and linked
        st.update_suggestion(session, same[0]["id"], status="confirmed")
        return int(same[0]["id"])
    return st.add_suggestion(session, {
        "story_id": sugg["story_id"], "tag": new_tag, "taxonomy_version": sugg["taxonomy_version"], "score": 1.0,
        "threshold": sugg["threshold"], "highlights": [], "status": "confirmed", "origin": "person",
        "created_at": when, "stage": "insight.stories.review.v1", "model": None, "model_revision": None,
        "config_hash": sugg["config_hash"], "run_id": sugg["run_id"],
    })


def _link(session: Session, suggestion_id: int, story: dict[str, Any], tag: str, kpis: Sequence[str],
          cohorts: Sequence[str], version: str, tagger: str, score: float, when: datetime,
          details: dict[str, Any], event: str = "linked") -> list[str]:
    """One link per KPI and cohort, each with an audit event naming its sources, tagger and taxonomy version."""
    sugg = st.suggestion(session, suggestion_id) or {}
    ids = []
    for kind, target in link_targets(kpis, cohorts):
        lid = link_id(suggestion_id, kind, target)
        st.add_link(session, {"link_id": lid, "story_id": story["story_id"], "suggestion_id": suggestion_id,
                              "kind": kind, "target": target, "tag": tag, "taxonomy_version": version,
                              "tagger": tagger, "tag_score": score, "linked_at": when, "active": True})
        extra = {"kind": kind, "target": target}
        if "from_links" in details:  # a remapped link names the link it continues (same KPI or cohort)
            extra["from_link"] = details["from_links"].get(f"{kind}:{target}")
        st.add_audit(session, {"at": when, "event": event, "story_id": story["story_id"],
                               "suggestion_id": suggestion_id, "link_id": lid, "actor": tagger, "tag": tag,
                               "taxonomy_version": version, "model": sugg.get("model"),
                               "model_revision": sugg.get("model_revision"), "source_ids": story["source_ids"],
                               "details": {**{k: v for k, v in details.items() if k != "from_links"}, **extra}})
        ids.append(lid)
    return ids


# --- story-metric pairs and trace -----------------------------------------------------------


def story_metric_pairs(engine: Engine, period: str, *, cohort: str | None = None, kpi_id: str | None = None,
                       unknown_members: str = "include") -> list[StoryMetricPair]:
    """Confirmed stories told in ``period`` beside the KPI values their links name, per cohort.

    A pair's quote is the redacted story only when its member consented to quotes; a member
    who has since withdrawn analytics consent drops out entirely.
    """
    start, end = period_bounds(period)
    with session_scope(engine) as session:
        tax = _current(session)
        kpi_links = [lk for lk in st.links(session, kind="kpi") if lk["taxonomy_version"] == tax.version]
        if kpi_id is not None:
            kpi_links = [lk for lk in kpi_links if lk["target"] == kpi_id]
        stories = {s["story_id"]: s for s in st.stories(session, list({lk["story_id"] for lk in kpi_links}))}
        in_period = {sid for sid, s in stories.items() if start <= pd.Timestamp(s["told_at"]) < end}
        kpi_links = [lk for lk in kpi_links if lk["story_id"] in in_period]
        cohort_links: dict[int, list[str]] = {}
        for lk in st.links(session, kind="cohort", suggestion_ids=[lk["suggestion_id"] for lk in kpi_links]):
            cohort_links.setdefault(lk["suggestion_id"], []).append(lk["target"])
        members = repo.members_by_id(session, [s["author_id"] for s in stories.values()])
        values = _kpi_values(session, period, unknown_members) if kpi_links else {}
    pairs = []
    for lk in kpi_links:
        story = stories[lk["story_id"]]
        member = members.get(story["author_id"])
        # Consent is read now, not at link time: a withdrawal takes effect on the next report.
        unknown_excluded = member is None and unknown_members == "exclude"
        if unknown_excluded or (member is not None and member.consent_analytics is False):
            continue
        quote = story["text_redacted"] if member is not None and member.consent_quotes is True else None
        for c in cohort_links.get(lk["suggestion_id"], ["all"]):
            if cohort is not None and c != cohort:
                continue
            value, n = values.get((lk["target"], c), (None, 0))
            pairs.append(StoryMetricPair(
                kpi_id=lk["target"], cohort=c, period=period, value=value, n=n, story_id=story["story_id"],
                link_id=lk["link_id"], tag=lk["tag"], tag_score=lk["tag_score"], quote=quote,
                source_post_ids=tuple(story["source_ids"]), tagger=lk["tagger"],
                taxonomy_version=lk["taxonomy_version"],
                linked_at=lk["linked_at"], thread_id=story["thread_key"], channel=story["channel"]))
    return sorted(pairs, key=lambda p: (p.kpi_id, p.cohort, p.linked_at, p.story_id))


def _kpi_values(session: Session, period: str, unknown_members: str) -> dict[tuple[str, str], tuple[float | None, int]]:
    """KPI values for the period: computed from posts and members, and imported observations for the rest."""
    values = {(v.kpi_id, v.cohort): (v.value, v.n) for v in compute_kpis(
        repo.posts_frame(session), repo.members_frame(session, unknown_members), period)}
    for obs in repo.kpi_observations(session):
        if obs.period_start.strftime("%Y-%m") == period and (obs.kpi_id, obs.cohort) not in values:
            values[(obs.kpi_id, obs.cohort)] = (obs.value, obs.n or 0)
    return values


def trace(engine: Engine, link_id: str) -> dict[str, Any]:
    """One link's audit trail: its source posts (redacted; words only with quote consent), tagger,
    taxonomy version, the suggestion and decisions behind it, and the links it was remapped from.

    Raises:
        StorageError: E433 unknown link id.
    """
    with session_scope(engine) as session:
        lk = st.link(session, link_id)
        if lk is None:
            raise StorageError("E433", link_id=link_id)
        story = st.story(session, lk["story_id"])
        assert story is not None
        sources = st.source_texts(session, story["source_ids"])
        member = repo.members_by_id(session, [story["author_id"]]).get(story["author_id"])
        events = [e for e in st.audit(session, story_id=story["story_id"])
                  if e["link_id"] == link_id or (e["link_id"] is None and e["suggestion_id"] == lk["suggestion_id"])]
        sugg = st.suggestion(session, lk["suggestion_id"])
    quotes = member is not None and member.consent_quotes is True
    remapped_from = [e["details"]["from_link"] for e in events
                     if e["event"] == "remapped" and e["details"].get("from_link")]
    return {
        "link": {**lk, "linked_at": lk["linked_at"].isoformat()},
        "story": {"story_id": story["story_id"], "source": story["source"], "thread_id": story["thread_key"],
                  "channel": story["channel"], "told_at": story["told_at"].isoformat(),
                  "detector": f"model:{story['model']}@{story['model_revision']}", "story_score": story["story_score"]},
        "sources": [{"source_id": sid, "exists": sid in sources,
                     "created_at": sources[sid]["created_at"].isoformat() if sid in sources else None,
                     "thread_id": sources[sid]["thread_key"] if sid in sources else None,
                     "text": sources[sid]["text_redacted"] if sid in sources and quotes else None,
                     "quote_withheld": not quotes} for sid in story["source_ids"]],
        "tagger": lk["tagger"],
        "suggested_by": f"model:{sugg['model']}@{sugg['model_revision']}" if sugg and sugg["model"] else None,
        "taxonomy_version": lk["taxonomy_version"],
        "events": [{**e, "at": e["at"].isoformat()} for e in events],
        "remapped_from": [trace(engine, old) for old in remapped_from],
    }


# --- files: `insight stories tag` -------------------------------------------------------------


def tag_file(path: Path, taxonomy_path: Path, examples_path: Path, output: Path, *, run_id: str,
             detector_path: Path | None = None) -> BatchSummary:
    """PRODUCT.md's ``insight stories tag``: per row ``{"id", "is_story", "tags": [{"tag", "score"}]}``."""
    summary = BatchSummary(output=str(output), run_id=run_id)
    tax = load_taxonomy(taxonomy_path)
    examples, rejects = read_examples(examples_path, tax.ids)
    docs = read_docs(path, summary)
    tagger = fit_tagger(tax, examples)
    detector = load_detector(detector_path)
    texts = [d.text for d in docs]
    results = tag_vectors(embed(texts), texts, tagger, detector)
    summary.written = write_jsonl(output, ({"id": d.id, **r.as_dict()} for d, r in zip(docs, results, strict=True)))
    summary.extra = {"stories": sum(r.is_story for r in results), "taxonomy_version": tax.version,
                     "examples": len(examples), "rejected_examples": len(rejects), "tagger": tagger.tagger_id,
                     "detector": detector.detector_id}
    if rejects:
        summary.extra["example_rejects"] = [r.as_dict() for r in rejects[:20]]
    return summary

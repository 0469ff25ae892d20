"""Member-story use-cases: taxonomy versions, seed examples, detect and tag, review, links, pairs, trace.

The loop: ``load_taxonomy_file`` and ``add_examples`` (the researcher's TOML and seeds), then
``tag_stored`` (find stories among stored, consented posts and feedback answers; suggest tags
with scores), then ``review`` (confirm, reject or retag; audited with who and when; a confirm
links the story to the KPIs its tag names and to its member's cohorts), and each later
``tag_stored`` trains on every decision so far. ``story_metric_pairs`` joins links with KPI
values; ``trace`` follows one link back to its source posts. Every function takes an Engine first.
Taxonomy versions live in ``story_taxonomy``, links, pairs and the trace in ``story_links``; both
are re-exported here so callers need one import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.config import Settings
from insight.errors import InputError, StorageError
from insight.model_store import model_store
from insight.privacy import consent
from insight.services import consented
from insight.services.batch import BatchSummary, read_docs, write_jsonl
from insight.services.story_links import create_links, current_taxonomy, now, person, story_metric_pairs, trace
from insight.services.story_taxonomy import load_taxonomy_file, register_taxonomy, taxonomy, taxonomy_versions
from insight.signals.embedder import embed
from insight.storage import members, posts, signals
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.stories.detect import DETECTOR_ID, MIN_WORDS, default_path, load_detector
from insight.stories.examples import Example, read_examples
from insight.stories.highlight import highlights
from insight.stories.link import member_cohorts
from insight.stories.model import fit_tagger, story_scores, tag_vectors
from insight.stories.tagger import MODEL_ID, StoryTagger
from insight.stories.taxonomy import Taxonomy, load_taxonomy
from insight.stories.units import Candidate, feedback_candidates, post_candidates, story_id

# The service interface other areas code against (API, reports): these names, an Engine first.
__all__ = ["add_examples", "add_story", "load_taxonomy_file", "register_taxonomy", "review", "story_metric_pairs",
           "suggestions", "tag_file", "tag_stored", "taxonomy", "taxonomy_versions", "trace"]

TAG_STAGE = "insight.stories.tagger.v1"
DETECT_STAGE = "insight.stories.detect.v1"
DECISIONS = ("confirm", "reject", "retag")
ORDERS = ("uncertain", "score", "recent")


# --- seed examples and tagging ------------------------------------------------------------


def add_examples(engine: Engine, path: Path) -> dict[str, Any]:
    """Store the researcher's seed examples for the current taxonomy; bad rows are reported."""
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        examples, rejects = read_examples(path, tax.ids)
        added = st.add_examples(session, ({"text": e.text, "tags": list(e.tags), "taxonomy_version": tax.version,
                                           "source": str(path), "added_at": now()} for e in examples))
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


def tag_stored(engine: Engine, settings: Settings, run_id: str, *, detect: bool = True,
               detector_path: Path | None = None, new_in_run: str | None = None) -> dict[str, Any]:
    """Detect stories among stored, consented posts and feedback; suggest tags (a new training round).

    ``detect=False`` skips detection (no post is re-read or re-embedded): the tagger retrains on the
    decisions so far and re-scores the pending suggestions of the stories already found.
    ``new_in_run`` (an analyse run's id) looks only at what that run scored: candidates holding one
    of its posts (read with the rest of their threads) or feedback answers, so later runs never
    re-read or re-embed what an earlier one examined.
    """
    detector = load_detector(detector_path or default_path(model_store(settings)))
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        stored, feedback, new = _detection_input(session, settings, detect, new_in_run)
        known_ids = {i for s in st.stories(session) for i in s["source_ids"]}
        tagger, n_examples = _train(session, tax)
    candidates = [c for c in post_candidates(stored) + feedback_candidates(feedback)
                  if len(c.text.split()) >= MIN_WORDS and not set(c.source_ids) & known_ids
                  and (new is None or set(c.source_ids) & new)]
    vectors = embed([c.text for c in candidates])
    probs = detector.probabilities(vectors, [c.text for c in candidates])
    found = _non_overlapping([(c, p) for c, p in zip(candidates, probs, strict=True) if p >= detector.threshold])
    at = now()
    detect_prov = {"stage": DETECT_STAGE, "model": DETECTOR_ID, "model_revision": detector.revision,
                   "config_hash": settings.config_hash(), "run_id": run_id}
    with session_scope(engine) as session:
        st.add_stories(session, ({"story_id": c.story_id, "source": c.source, "thread_key": c.thread_key,
                                  "source_ids": list(c.source_ids), "author_id": c.author_id, "told_at": c.told_at,
                                  "channel": c.channel, "text_redacted": c.text, "story_score": float(p),
                                  "detected_at": at, **detect_prov} for c, p in found))
        suggested = _suggest(session, tax, tagger, settings, run_id, at)
    return {"candidates": len(candidates), "stories_found": len(found), "examples": n_examples,
            "tagger": tagger.tagger_id, "detector": detector.detector_id, **suggested}


def _detection_input(session: Session, settings: Settings, detect: bool, new_in_run: str | None
                     ) -> tuple[list[Any], list[dict[str, Any]], set[str] | None]:
    """(posts, feedback answers, source ids a candidate must hold or None for any) to detect among."""
    if not detect:
        return [], [], None
    unknown = settings.ingest.unknown_members
    if new_in_run is None:
        return consented.stored_posts(session, unknown), consented.feedback_answers(session, unknown), None
    threads, post_ids, answers = signals.scored_in_run(session, new_in_run)
    stored = consented.stored_posts(session, unknown, sorted(threads)) if threads else []
    feedback = [f for f in consented.feedback_answers(session, unknown) if f["response_id"] in answers]
    return stored, feedback, post_ids | {f"feedback:{a}" for a in answers}


def _non_overlapping(found: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    """The likeliest reading of each post: a run or one of its posts, never both."""
    kept, used = [], set()
    for cand, p in sorted(found, key=lambda x: (-x[1], x[0].story_id)):
        if not set(cand.source_ids) & used:
            kept.append((cand, p))
            used.update(cand.source_ids)
    return sorted(kept, key=lambda x: (x[0].told_at, x[0].story_id))


def _suggest(session: Session, tax: Taxonomy, tagger: StoryTagger, settings: Settings, run_id: str,
             at: datetime) -> dict[str, int]:
    """Re-score pending suggestions and add new ones for every story of the current version."""
    stories = st.stories(session)
    if not stories:
        return {"suggested": 0, "rescored": 0}
    texts = [s["text_redacted"] for s in stories]
    vectors = embed(texts)
    scores = story_scores(tagger, texts, vectors)
    decided = tag_vectors(vectors, texts, tagger, None)  # same scores: the sentences' embeddings are cached
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
                                          "created_at": at, **prov})
        st.add_audit(session, {"at": at, "event": "suggested", "story_id": story["story_id"], "suggestion_id": sid,
                               "link_id": None, "actor": tagger.tagger_id, "tag": tag, "taxonomy_version": tax.version,
                               "model": MODEL_ID, "model_revision": tagger.revision_,
                               "source_ids": story["source_ids"], "details": {"score": round(score, 4)}})
    return {"suggested": len(new), "rescored": rescored}


def suggestions(engine: Engine, *, status: str = "pending", order: str = "uncertain", limit: int | None = 50,
                tag: str | None = None, q: str | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Suggestions of the current taxonomy version; ``uncertain`` order puts scores nearest the threshold first.

    ``status`` is pending, confirmed, rejected, retagged or all; ``q`` keeps stories whose redacted
    text holds those words; ``offset``/``limit`` page (``limit`` None: all).
    """
    if order not in ORDERS:
        raise InputError("E606", option="order", detail=f"'{order}'; use one of {', '.join(ORDERS)}")
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        rows = st.suggestions(session, version=tax.version, statuses=None if status == "all" else [status], tag=tag)
        if q and q.strip():
            found = st.matching_story_ids(session, q.strip())
            rows = [r for r in rows if r["story_id"] in found]
        stories = {s["story_id"]: s for s in st.stories(session, list({r["story_id"] for r in rows}))}
    keys = {"uncertain": lambda r: (abs(r["score"] - r["threshold"]), r["id"]),
            "score": lambda r: (-r["score"], r["id"]), "recent": lambda r: (-r["created_at"].timestamp(), r["id"])}
    rows.sort(key=keys[order])
    names = {t.id: t.name for t in tax.tags}
    out = []
    for r in rows[offset:None if limit is None else offset + limit]:
        story = stories[r["story_id"]]
        out.append({"suggestion_id": r["id"], "story_id": r["story_id"], "tag": r["tag"],
                    "tag_name": names.get(r["tag"], r["tag"]), "score": round(r["score"], 4),
                    "threshold": r["threshold"], "text": story["text_redacted"], "highlights": r["highlights"],
                    "thread_id": story["thread_key"], "post_ids": story["source_ids"], "status": r["status"],
                    "source": story["source"], "told_at": story["told_at"].isoformat(),
                    "tagger": f"model:{r['model']}@{r['model_revision']}", "taxonomy_version": r["taxonomy_version"],
                    "origin": r["origin"]})
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
    who, when = person(actor), at or now()
    with session_scope(engine) as session:
        sugg = st.suggestion(session, suggestion_id)
        if sugg is None:
            raise StorageError("E431", suggestion_id=suggestion_id)
        if sugg["status"] != "pending":
            raise StorageError("E432", suggestion_id=suggestion_id, status=sugg["status"])
        tax = current_taxonomy(session)
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
                                  "actor": who, "at": when})
        status = {"confirm": "confirmed", "reject": "rejected", "retag": "retagged"}[decision]
        st.update_suggestion(session, suggestion_id, status=status)
        st.add_audit(session, {"at": when, "event": status, "story_id": story["story_id"],
                               "suggestion_id": suggestion_id, "link_id": None, "actor": who, "tag": sugg["tag"],
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
            member = members.members_by_id(session, [story["author_id"]]).get(story["author_id"])
            links = create_links(session, linked_id, story, tag.id, tag.kpis, member_cohorts(member), tax.version,
                                 who, 1.0, when, {"suggested_by": f"model:{sugg['model']}@{sugg['model_revision']}",
                                                  "suggested_score": sugg["score"]})
    return {"suggestion_id": suggestion_id, "decision": decision, "status": status, "actor": who,
            "at": when.isoformat(), "new_tag": new_tag if decision == "retag" else None,
            "confirmed_suggestion_id": linked_id, "links": links}


def add_story(engine: Engine, source_ids: Sequence[str], tag: str, actor: str, *,
              at: datetime | None = None) -> dict[str, Any]:
    """A researcher marks posts (or a feedback answer) the detector missed as a story with ``tag``.

    The story is stored with the person as its finder, the tag confirmed and linked like a confirmed
    suggestion, and the decision (``add``) feeds the next training round.

    Raises:
        InputError: E635 unknown tag. StorageError: E437 unknown or unconsented sources.
    """
    who, when = person(actor), at or now()
    ids = list(dict.fromkeys(source_ids))
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        chosen = tax.tag(tag)
        if chosen is None:
            raise InputError("E635", tag=tag, version=tax.version, options=", ".join(tax.ids))
        sources = posts.source_texts(session, ids)
        authors = {sources[i]["author_id"] for i in ids if i in sources}
        member = members.members_by_id(session, authors).get(next(iter(authors), ""))
        if len(sources) != len(ids) or len(authors) != 1 or consent.withdrawn(member):
            raise StorageError("E437", ids=", ".join(ids))
        sid = story_id(ids)
        story = st.story(session, sid)
        if story is None:
            first = sources[ids[0]]
            story = {"story_id": sid, "source": "feedback" if ids[0].startswith("feedback:") else
                     ("post" if len(ids) == 1 else "thread_run"), "thread_key": first["thread_key"],
                     "source_ids": ids, "author_id": first["author_id"],
                     "told_at": max(sources[i]["created_at"] for i in ids), "channel": first.get("channel"),
                     "text_redacted": "\n".join(sources[i]["text_redacted"] for i in ids), "story_score": 1.0,
                     "detected_at": when, "stage": "insight.stories.review.v1", "model": None,
                     "model_revision": None, "config_hash": "", "run_id": ""}
            st.add_stories(session, [story])
        sugg_id = st.add_suggestion(session, {
            "story_id": sid, "tag": tag, "taxonomy_version": tax.version, "score": 1.0, "threshold": 0.0,
            "highlights": [], "status": "confirmed", "origin": "person", "created_at": when,
            "stage": "insight.stories.review.v1", "model": None, "model_revision": None, "config_hash": "",
            "run_id": ""})
        st.add_decision(session, {"suggestion_id": sugg_id, "story_id": sid, "tag": tag, "decision": "add",
                                  "new_tag": None, "taxonomy_version": tax.version, "score": 1.0, "actor": who,
                                  "at": when})
        st.add_audit(session, {"at": when, "event": "added", "story_id": sid, "suggestion_id": sugg_id,
                               "link_id": None, "actor": who, "tag": tag, "taxonomy_version": tax.version,
                               "model": None, "model_revision": None, "source_ids": ids, "details": {}})
        links = create_links(session, sugg_id, story, tag, chosen.kpis, member_cohorts(member), tax.version, who,
                             1.0, when, {"suggested_by": None})
    return {"story_id": sid, "suggestion_id": sugg_id, "tag": tag, "actor": who, "at": when.isoformat(),
            "links": links}


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


# --- files: `insight stories tag` -------------------------------------------------------------


def tag_file(path: Path, taxonomy_path: Path, examples_path: Path, output: Path, *, run_id: str,
             detector_path: Path | None = None, settings: Settings | None = None) -> BatchSummary:
    """PRODUCT.md's ``insight stories tag``: per row ``{"id", "is_story", "tags": [{"tag", "score"}]}``.

    The detector is ``detector_path``, else the one in the model store of ``settings`` (by default
    the store the defaults and ``INSIGHT_*`` variables name).
    """
    summary = BatchSummary(output=str(output), run_id=run_id)
    tax = load_taxonomy(taxonomy_path)
    examples, rejects = read_examples(examples_path, tax.ids)
    docs = read_docs(path, summary)
    tagger = fit_tagger(tax, examples)
    detector = load_detector(detector_path or default_path(model_store(settings)))
    texts = [d.text for d in docs]
    results = tag_vectors(embed(texts), texts, tagger, detector)
    summary.written = write_jsonl(output, ({"id": d.id, **r.as_dict()} for d, r in zip(docs, results, strict=True)))
    summary.extra = {"stories": sum(r.is_story for r in results), "taxonomy_version": tax.version,
                     "examples": len(examples), "rejected_examples": len(rejects), "tagger": tagger.tagger_id,
                     "detector": detector.detector_id}
    if rejects:
        summary.extra["example_rejects"] = [r.as_dict() for r in rejects[:20]]
    return summary

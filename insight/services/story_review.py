"""Story review as a researcher works through it: a page of suggestions with the reason for each
score, search and pagination; undo of a decision (audited); batch reject below a score; the CSV
export of confirmed stories with their tags, KPIs and cohorts.

Decisions stay append-only: an undo is a new ``undo`` decision and an ``undone`` audit event; the
links the decision made are deactivated (a later confirm makes them active again).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.errors import InputError, StorageError
from insight.privacy import consent
from insight.services import stories
from insight.services.story_links import current_taxonomy, now, person
from insight.storage import members, posts
from insight.storage import stories as st
from insight.storage.db import session_scope

DECIDED = ("confirmed", "rejected", "retagged")
MAX_BATCH = 1000


def score_reason(score: float, threshold: float, tag_name: str, origin: str) -> str:
    """Why the suggestion has this score, in words."""
    if origin != "model":
        return f"Tagged by a person ({origin}), not scored by the tagger."
    if score >= threshold:
        return (f"{score:.2f} is at or above the tagger's threshold {threshold:.2f}: it reads this story as "
                f"“{tag_name}”; the marked sentences are what it responds to most.")
    return (f"{score:.2f} is below the threshold {threshold:.2f}: no tag cleared it, so “{tag_name}” is the "
            "tagger's nearest guess (marked: the sentences most like the tag). Reject it if the story is not one.")


def review_page(engine: Engine, *, status: str = "pending", order: str = "uncertain", limit: int = 50,
                offset: int = 0, tag: str | None = None, q: str | None = None) -> dict[str, Any]:
    """A page of suggestions (``stories.suggestions``) with the total, the threshold, and per item the
    reason for its score, the latest decision (who, when, new tag), its source posts' links and its
    active KPI and cohort links (each with its trace)."""
    every = stories.suggestions(engine, status=status, order=order, limit=None, tag=tag, q=q)
    items = every[offset:offset + limit]
    ids = [s["suggestion_id"] for s in items]
    with session_scope(engine) as session:
        decisions = st.latest_decisions(session, ids)
        links = st.links(session, active=True, suggestion_ids=ids)
        targets = _retag_links(session, items, decisions)
        sources = posts.source_texts(session, [p for s in items for p in s["post_ids"]])
    by_sugg: dict[int, list[dict[str, Any]]] = {}
    for lk in links:
        by_sugg.setdefault(lk["suggestion_id"], []).append(lk)
    for s in items:
        decision = decisions.get(s["suggestion_id"])
        shown_links = by_sugg.get(s["suggestion_id"], []) + targets.get(s["suggestion_id"], [])
        s.update({
            "score_reason": score_reason(s["score"], s["threshold"], s["tag_name"], s["origin"]),
            "decision": None if decision is None else {
                "decision": decision["decision"], "new_tag": decision["new_tag"], "actor": decision["actor"],
                "at": decision["at"].isoformat()},
            "sources": [{"source_id": p, "url": sources.get(p, {}).get("url")} for p in s["post_ids"]],
            "links": [{"link_id": lk["link_id"], "kind": lk["kind"], "target": lk["target"], "tag": lk["tag"],
                       "trace": f"/api/v1/stories/links/{lk['link_id']}/trace"} for lk in shown_links],
        })
    threshold = next((s["threshold"] for s in every if s["origin"] == "model"), None)
    return {"total": len(every), "offset": offset, "limit": limit, "threshold": threshold, "items": items}


def _retag_links(session: Session, items: list[dict[str, Any]], decisions: dict[int, dict[str, Any]]
                 ) -> dict[int, list[dict[str, Any]]]:
    """For retagged suggestions: the active links of the suggestion the retag confirmed."""
    out: dict[int, list[dict[str, Any]]] = {}
    for s in items:
        decision = decisions.get(s["suggestion_id"])
        if s["status"] != "retagged" or decision is None or not decision["new_tag"]:
            continue
        target = st.suggestions(session, version=s["taxonomy_version"], tag=decision["new_tag"],
                                story_id=s["story_id"], statuses=["confirmed"])
        if target:
            out[s["suggestion_id"]] = st.links(session, active=True, suggestion_ids=[target[0]["id"]])
    return out


def undo_review(engine: Engine, suggestion_id: int, actor: str, *, at: datetime | None = None) -> dict[str, Any]:
    """Put a confirmed, rejected or retagged suggestion back to pending, with the audit kept.

    The links its decision made go inactive (for a retag, those of the tag it confirmed, which goes
    back to pending, or is withdrawn when the retag created it).

    Raises:
        StorageError: E431 unknown suggestion; E440 a suggestion no researcher decided on.
    """
    who, when = person(actor), at or now()
    with session_scope(engine) as session:
        sugg = st.suggestion(session, suggestion_id)
        if sugg is None:
            raise StorageError("E431", suggestion_id=suggestion_id)
        decision = st.latest_decisions(session, [suggestion_id]).get(suggestion_id)
        if sugg["status"] not in DECIDED or decision is None or decision["decision"] == "undo":
            raise StorageError("E440", suggestion_id=suggestion_id, status=sugg["status"])
        story = st.story(session, sugg["story_id"])
        assert story is not None
        ended = [lk["link_id"] for lk in st.links(session, active=True, suggestion_ids=[suggestion_id])]
        if decision["decision"] == "retag":
            ended += _undo_retag_target(session, sugg, decision)
        st.deactivate_links(session, ended)
        st.update_suggestion(session, suggestion_id, status="pending")
        st.add_decision(session, {"suggestion_id": suggestion_id, "story_id": sugg["story_id"], "tag": sugg["tag"],
                                  "decision": "undo", "new_tag": None, "taxonomy_version": sugg["taxonomy_version"],
                                  "score": sugg["score"], "actor": who, "at": when})
        st.add_audit(session, {"at": when, "event": "undone", "story_id": sugg["story_id"],
                               "suggestion_id": suggestion_id, "link_id": None, "actor": who, "tag": sugg["tag"],
                               "taxonomy_version": sugg["taxonomy_version"], "model": sugg["model"],
                               "model_revision": sugg["model_revision"], "source_ids": story["source_ids"],
                               "details": {"undid": decision["decision"], "by": decision["actor"],
                                           "new_tag": decision["new_tag"], "links_ended": ended}})
    return {"suggestion_id": suggestion_id, "status": "pending", "undid": decision["decision"], "actor": who,
            "at": when.isoformat(), "links_ended": ended}


def _undo_retag_target(session: Session, sugg: dict[str, Any], decision: dict[str, Any]) -> list[str]:
    """The suggestion a retag confirmed: its links made by the retag end; it goes back to pending (a
    model's suggestion) or is withdrawn (one the retag created)."""
    target = st.suggestions(session, version=sugg["taxonomy_version"], tag=decision["new_tag"],
                            story_id=sugg["story_id"], statuses=["confirmed"])
    if not target:
        return []
    made = [lk for lk in st.links(session, active=True, suggestion_ids=[target[0]["id"]])
            if lk["linked_at"] == decision["at"]]
    if not made:
        return []  # it was confirmed before the retag: it stays
    st.update_suggestion(session, target[0]["id"], status="pending" if target[0]["origin"] == "model" else "withdrawn")
    return [lk["link_id"] for lk in made]


def reject_below(engine: Engine, below: float, actor: str, *, tag: str | None = None,
                 q: str | None = None) -> dict[str, Any]:
    """Reject every pending suggestion (of ``tag``, matching ``q``) scoring under ``below``.

    Raises:
        InputError: E628 ``below`` outside 0..1, or more than 1,000 suggestions at once.
    """
    if not 0.0 <= below <= 1.0:
        raise InputError("E628", below=below, detail="pick a score between 0 and 1")
    chosen = [s for s in stories.suggestions(engine, status="pending", limit=None, tag=tag, q=q)
              if s["score"] < below and s["origin"] == "model"]
    if len(chosen) > MAX_BATCH:
        raise InputError("E628", below=below, detail=f"{len(chosen)} suggestions; narrow it to {MAX_BATCH} or fewer")
    for s in chosen:
        stories.review(engine, s["suggestion_id"], "reject", actor)
    return {"rejected": len(chosen), "below": below, "suggestion_ids": [s["suggestion_id"] for s in chosen]}


EXPORT_COLUMNS = ("story_id", "tag", "tag_name", "taxonomy_version", "kpis", "cohorts", "told_at", "thread_id",
                  "channel", "source_ids", "confirmed_by", "confirmed_at", "quote")


def export_confirmed_csv(engine: Engine, unknown_members: str = "include") -> str:
    """Confirmed stories of the current taxonomy as CSV: tags, KPIs, cohorts, who confirmed them and when.

    Members without analytics consent are left out; the quote (redacted) only with quote consent.
    Cells that a spreadsheet would run as a formula are prefixed with a quote.
    """
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        confirmed = st.suggestions(session, version=tax.version, statuses=["confirmed"])
        stories_by_id = {s["story_id"]: s for s in st.stories(session, list({c["story_id"] for c in confirmed}))}
        authors = members.members_by_id(session, [s["author_id"] for s in stories_by_id.values()])
        links = st.links(session, active=True, suggestion_ids=[c["id"] for c in confirmed])
        decided = st.latest_decisions(session, [c["id"] for c in confirmed])
    by_sugg: dict[int, dict[str, list[str]]] = {}
    for lk in links:
        by_sugg.setdefault(lk["suggestion_id"], {"kpi": [], "cohort": []})[lk["kind"]].append(lk["target"])
    names = {t.id: t.name for t in tax.tags}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for c in sorted(confirmed, key=lambda x: (stories_by_id[x["story_id"]]["told_at"], x["id"])):
        story = stories_by_id[c["story_id"]]
        member = authors.get(story["author_id"])
        if not consent.may_show(member, unknown_members):
            continue
        linked, decision = by_sugg.get(c["id"], {"kpi": [], "cohort": []}), decided.get(c["id"], {})
        writer.writerow([_cell(v) for v in (
            story["story_id"], c["tag"], names.get(c["tag"], c["tag"]), c["taxonomy_version"],
            ";".join(linked["kpi"]), ";".join(linked["cohort"]), story["told_at"].isoformat(),
            story["thread_key"] or "", story["channel"] or "", ";".join(story["source_ids"]),
            decision.get("actor", c["origin"]),
            decision["at"].isoformat() if decision else c["created_at"].isoformat(),
            story["text_redacted"] if consent.may_quote(member) else "")])
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

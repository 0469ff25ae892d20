"""Story links, story-metric pairs and the audit trace (part of the member-story use-cases).

A confirmed tag links its story to the KPIs the tag names and to the member's cohorts at that
time (``create_links``); ``story_metric_pairs`` joins those links with the KPI values of a period;
``trace`` follows one link back through the append-only audit trail to its source posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from insight.errors import StorageError
from insight.metrics.kpis import months_ending, period_bounds
from insight.privacy import consent
from insight.records import StoryMetricPair
from insight.services import stored_kpis
from insight.storage import kpis, members, posts
from insight.storage import stories as st
from insight.storage.db import session_scope
from insight.stories.link import link_id, link_targets
from insight.stories.taxonomy import Taxonomy

PERSON = "person:"
STORY_MONTHS = 3  # a report's story window: its period and the two months before


def now() -> datetime:
    return datetime.now(UTC)


def person(actor: str) -> str:
    """``person:<actor>``: how the audit trail names a human decision."""
    return actor if actor.startswith(PERSON) else PERSON + actor


def current_taxonomy(session: Session) -> Taxonomy:
    """The newest stored taxonomy version (E434 when none is stored)."""
    rows = st.taxonomy_rows(session)
    if not rows:
        raise StorageError("E434")
    return Taxonomy.from_dict(rows[-1])


def create_links(session: Session, suggestion_id: int, story: dict[str, Any], tag: str, kpis: Sequence[str],
          cohorts: Sequence[str], version: str, tagger: str, score: float, when: datetime,
          details: dict[str, Any], event: str = "linked") -> list[str]:
    """One link per KPI and cohort, each with an audit event naming its sources, tagger and taxonomy version."""
    sugg = st.suggestion(session, suggestion_id) or {}
    ids = []
    for kind, target in link_targets(kpis, cohorts):
        lid = link_id(suggestion_id, kind, target)
        if st.link(session, lid) is not None:  # undone before (``story_review.undo_review``), linked again
            st.reactivate_link(session, lid, tagger=tagger, tag_score=score, linked_at=when)
        else:
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


def story_window(period: str, months: int = STORY_MONTHS) -> list[str]:
    """The months whose stories illustrate ``period``: the period and the ``months - 1`` before, oldest first.

    A story from last month still illustrates a KPI this month: one month alone often has no
    confirmed story for a KPI. Reports, the pairs API and ``insight stories pairs`` share it.
    """
    return months_ending(period, months)


def story_metric_pairs(engine: Engine, period: str, *, cohort: str | None = None, kpi_id: str | None = None,
                       unknown_members: str = "include", months: int = STORY_MONTHS) -> list[StoryMetricPair]:
    """Confirmed stories told in the story window of ``period`` (``story_window``) beside the KPI
    values their links name, per cohort; each pair's ``period`` is the month its story was told,
    and its value that month's.

    A pair's quote is the redacted story only when its member consented to quotes; a member
    who has since withdrawn analytics consent drops out entirely.
    """
    window = story_window(period, months)
    start, end = period_bounds(window[0])[0], period_bounds(period)[1]
    with session_scope(engine) as session:
        tax = current_taxonomy(session)
        kpi_links = [lk for lk in st.links(session, kind="kpi") if lk["taxonomy_version"] == tax.version]
        if kpi_id is not None:
            kpi_links = [lk for lk in kpi_links if lk["target"] == kpi_id]
        stories = {s["story_id"]: s for s in st.stories(session, list({lk["story_id"] for lk in kpi_links}))}
        in_period = {sid for sid, s in stories.items() if start <= pd.Timestamp(s["told_at"]) < end}
        kpi_links = [lk for lk in kpi_links if lk["story_id"] in in_period]
        cohort_links: dict[int, list[str]] = {}
        for lk in st.links(session, kind="cohort", suggestion_ids=[lk["suggestion_id"] for lk in kpi_links]):
            cohort_links.setdefault(lk["suggestion_id"], []).append(lk["target"])
        authors = members.members_by_id(session, [s["author_id"] for s in stories.values()])
        told = {sid: pd.Timestamp(stories[sid]["told_at"]).strftime("%Y-%m") for sid in in_period}
        values = _kpi_values(session, sorted(set(told.values())), unknown_members)
    pairs = []
    for lk in kpi_links:
        story = stories[lk["story_id"]]
        member = authors.get(story["author_id"])
        # Consent is read now, not at link time: a withdrawal takes effect on the next report.
        if not consent.may_show(member, unknown_members):
            continue
        quote = story["text_redacted"] if consent.may_quote(member) else None
        for c in cohort_links.get(lk["suggestion_id"], ["all"]):
            if cohort is not None and c != cohort:
                continue
            month = told[story["story_id"]]
            value, n = values[month].get((lk["target"], c), (None, 0))
            pairs.append(StoryMetricPair(
                kpi_id=lk["target"], cohort=c, period=month, value=value, n=n, story_id=story["story_id"],
                link_id=lk["link_id"], tag=lk["tag"], tag_score=lk["tag_score"], quote=quote,
                source_post_ids=tuple(story["source_ids"]), tagger=lk["tagger"],
                taxonomy_version=lk["taxonomy_version"],
                linked_at=lk["linked_at"], thread_id=story["thread_key"], channel=story["channel"]))
    return sorted(pairs, key=lambda p: (p.kpi_id, p.cohort, p.period, p.linked_at, p.story_id))


def _kpi_values(session: Session, months: Sequence[str],
                unknown_members: str) -> dict[str, dict[tuple[str, str], tuple[float | None, int]]]:
    """month -> KPI values: computed from posts and members, and imported observations for the rest."""
    if not months:
        return {}
    computed = stored_kpis.months_kpis(session, unknown_members, months)
    observations = kpis.kpi_observations(session)
    out = {}
    for month in months:
        values = {(v.kpi_id, v.cohort): (v.value, v.n) for v in computed[month]}
        for obs in observations:
            if obs.period_start.strftime("%Y-%m") == month and (obs.kpi_id, obs.cohort) not in values:
                values[(obs.kpi_id, obs.cohort)] = (obs.value, obs.n or 0)
        out[month] = values
    return out


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
        sources = posts.source_texts(session, story["source_ids"])
        member = members.members_by_id(session, [story["author_id"]]).get(story["author_id"])
        told = st.audit(session, story_id=story["story_id"])
        # A retag links a new suggestion: the model's suggestion a person retagged to this tag is its origin.
        origins = {lk["suggestion_id"]} | {e["suggestion_id"] for e in told if e["event"] == "retagged"
                                           and (e["details"] or {}).get("new_tag") == lk["tag"]}
        events = [e for e in told
                  if e["link_id"] == link_id or (e["link_id"] is None and e["suggestion_id"] in origins)]
        sugg = st.suggestion(session, lk["suggestion_id"])
    quotes = consent.may_quote(member)
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
        "suggested_by": _suggested_by(sugg, events, link_id),
        "taxonomy_version": lk["taxonomy_version"],
        "events": [{**e, "at": e["at"].isoformat()} for e in events],
        "remapped_from": [trace(engine, old) for old in remapped_from],
    }


def _suggested_by(sugg: dict[str, Any] | None, events: Sequence[dict[str, Any]], link_id: str) -> str | None:
    """The model that suggested the link's story and tag: its own suggestion's, or, for a person's retag,
    the one its link event names (the model's suggestion the person corrected); None for a story a
    person added."""
    if sugg and sugg["model"]:
        return f"model:{sugg['model']}@{sugg['model_revision']}"
    linked = [e for e in events if e["link_id"] == link_id and (e["details"] or {}).get("suggested_by")]
    return linked[0]["details"]["suggested_by"] if linked else None

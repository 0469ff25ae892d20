"""Community influence use-case: what the community did for the business in a period.

Attribution models side by side (credit of revenue and pipeline to community touchpoints), engaged
vs matched accounts (close, renewal, expansion rates with intervals) and support-deflection savings
with their range, plus one member story tied to an influenced account. The report's "community
influence" section, ``insight business influence`` and ``GET /api/v1/influence/{period}`` all come
from ``influence_section``.

Members without analytics consent are left out: their posts and touchpoints give no credit and
make no account engaged. Quotes only from members who consented to them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from insight.attribution import matching, models
from insight.attribution import touchpoints as tp
from insight.attribution.deflection import deflection_savings
from insight.config import ATTRIBUTION_MODELS, Settings
from insight.metrics.experiments import Experiment
from insight.records import StoryMetricPair
from insight.reports.story_choice import evidence_strength, shorten
from insight.services import consented
from insight.storage import business

REVENUE = ("closed_won", "expansion", "renewal")
PIPELINE = ("opportunity",)
ASSOCIATION = ("Association, not causation: engaged accounts may differ from their matches in ways segment, plan, "
               "size and tenure do not hold. No registered experiment tests these rates.")


def _bounds(period: str, months: int) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """(window start, period start, period end) as UTC timestamps."""
    month = pd.Period(period, freq="M")
    end = (month + 1).start_time.tz_localize("UTC")
    return (month - (months - 1)).start_time.tz_localize("UTC"), month.start_time.tz_localize("UTC"), end


def params(settings: Settings) -> models.Params:
    a = settings.attribution
    return models.Params(a.lookback_days, a.position_first, a.position_last, a.half_life_days, dict(a.blend_weights))


def _analysable(frame: pd.DataFrame, member_frame: pd.DataFrame, unknown_members: str) -> pd.DataFrame:
    """Rows whose author may be analysed (no author: an account touchpoint, kept)."""
    known = dict(zip(member_frame["author_id"], member_frame["consent_analytics"], strict=True))
    keep = [(not isinstance(a, str)) or (bool(known[a]) if a in known else unknown_members == "include")
            for a in frame["author_id"]]
    return frame[pd.Series(keep, index=frame.index, dtype=bool)]  # a list would select columns when empty


def account_touchpoints(session: Session, post_frame: pd.DataFrame, member_frame: pd.DataFrame,
                        unknown_members: str) -> pd.DataFrame:
    """Stored touchpoints and community posts, on accounts, of analysable members only."""
    stored, links = business.touchpoints_frame(session), business.links_frame(session)
    # The frames count a person with linked accounts once, under the person id (``consented.kpi_frames``):
    # member ids of stored touchpoints and account links follow them.
    person = consented.person_links(session, unknown_members)
    if person:
        stored = stored.assign(author_id=stored["author_id"].map(lambda a: person.get(a, a)))
        links = links.assign(author_id=links["author_id"].map(lambda a: person.get(a, a)))
    both = pd.concat([stored, tp.from_posts(post_frame)], ignore_index=True) if len(post_frame) else stored
    return tp.on_accounts(_analysable(both, member_frame, unknown_members), links)


def report_influence(session: Session, settings: Settings, period: str, pairs: Sequence[StoryMetricPair],
                     registered: dict[str, Experiment]) -> dict[str, Any] | None:
    """The report's ``community_influence``; every post is read only when business outcomes are stored
    (posts are touchpoints on the way to them)."""
    if not business.has_outcomes(session):
        return None
    post_frame, member_frame = consented.kpi_frames(session, settings.ingest.unknown_members)
    return influence_section(session, settings, period, post_frame, member_frame, pairs, registered)


def influence_section(session: Session, settings: Settings, period: str, post_frame: pd.DataFrame,
                      member_frame: pd.DataFrame, pairs: Sequence[StoryMetricPair] = (),
                      registered: dict[str, Experiment] | None = None) -> dict[str, Any] | None:
    """The report's ``community_influence`` for ``period``; None when no outcome is stored."""
    outcomes = business.outcomes_frame(session)
    if outcomes.empty:
        return None
    start, month_start, end = _bounds(period, settings.attribution.outcome_months)
    accounts = business.accounts_frame(session)
    touches = account_touchpoints(session, post_frame, member_frame, settings.ingest.unknown_members)
    window = outcomes[(outcomes["occurred_at"] >= start) & (outcomes["occurred_at"] < end)]
    cohorts = {a: f"segment={s}" for a, s in zip(accounts["account_id"], accounts["segment"], strict=True)
               if isinstance(s, str)}
    p = params(settings)
    revenue, pipeline = window[window["kind"].isin(REVENUE)], window[window["kind"].isin(PIPELINE)]
    rows, credit_by_model = [], {}
    for name in (*ATTRIBUTION_MODELS, models.BLENDED):
        credit = models.attribute(touches, revenue, name, p)
        credit_by_model[name] = credit
        summary = models.summarise(credit, revenue, name, cohorts)
        piped = models.summarise(models.attribute(touches, pipeline, name, p), pipeline, name, cohorts)
        rows.append({"model": name, "influenced_revenue": summary["influenced"],
                     "community_share": summary["community_share"], "attributed_revenue": summary["attributed"],
                     "total_revenue": summary["total"], "influenced_pipeline": piped["influenced"],
                     "pipeline_share": piped["community_share"], "total_pipeline": piped["total"],
                     "by_kind": summary["by_kind"], "by_channel": summary["by_channel"],
                     "by_cohort": summary["by_cohort"]})
    shares = [r["community_share"] for r in rows if r["community_share"] is not None]
    backing = _backing(registered or {})
    return {
        "period": period,
        "window": {"start": start.date().isoformat(), "end": end.date().isoformat(),
                   "lookback_days": p.lookback_days},
        "models": rows,
        "spread": {"min_share": min(shares, default=None), "max_share": max(shares, default=None)},
        "influenced_any_touch": models.any_touch(touches, revenue, p.lookback_days),
        "engaged_vs_matched": _engaged_vs_matched(settings, outcomes, accounts, touches, start, end),
        "claim": ASSOCIATION if not backing else
                 f"Backed by registered experiment(s) {', '.join(backing)}; the matched comparison alone "
                 "is an association.",
        "backed_by_experiments": backing,
        "deflection_savings": _deflection(session, settings, period, month_start, end),
        "story": _story(session, pairs, credit_by_model[models.BLENDED], accounts, revenue),
        "config": settings.attribution.model_dump() | {"deflection": settings.deflection.model_dump()},
        "inputs_sha256": hashlib.sha256(repr(business.fingerprint(session)).encode()).hexdigest(),
    }


def _engaged_vs_matched(settings: Settings, outcomes: pd.DataFrame, accounts: pd.DataFrame, touches: pd.DataFrame,
                        start: pd.Timestamp, end: pd.Timestamp) -> list[dict[str, Any]]:
    a = settings.attribution
    community = touches[touches["community"]]
    out = []
    for metric in matching.METRICS:
        units = matching.units(outcomes, metric, start, end)
        if units.empty:
            continue
        engaged = matching.engaged(units, community, a.lookback_days)
        stratum = matching.strata(units, accounts, a.size_bins, a.tenure_bins_days)
        out.append(matching.compare_matched(units, engaged, stratum, metric))
    return out


def _backing(registered: dict[str, Experiment]) -> list[str]:
    return sorted(e.name for e in registered.values() if e.kpi in matching.METRICS)


def _deflection(session: Session, settings: Settings, period: str, start: pd.Timestamp, end: pd.Timestamp
                ) -> dict[str, Any]:
    rows = _analysable(business.solved_thread_posts(session, start.to_pydatetime(), end.to_pydatetime()),
                       _consent_frame(session, settings), settings.ingest.unknown_members)
    solved = rows[rows["accepted_answer"].astype(bool)]["thread_key"].unique()
    views = int(rows[rows["thread_key"].isin(solved)].groupby("thread_key")["views"].max().sum()) if len(solved) else 0
    cost = business.support_cost(session, period)
    d = settings.deflection
    return deflection_savings(len(solved), views, cost.tickets if cost else None,
                              cost.cost_per_ticket if cost else None, d.share_of_solved_views, d.cost_factor)


def _consent_frame(session: Session, settings: Settings) -> pd.DataFrame:
    return consented.members_frame(session, settings.ingest.unknown_members)[["author_id", "consent_analytics"]]


def _story(session: Session, pairs: Sequence[StoryMetricPair], credit: pd.DataFrame, accounts: pd.DataFrame,
           revenue: pd.DataFrame) -> dict[str, Any]:
    """One consented member story whose member belongs to an account the community influenced."""
    influenced = credit[credit["community"].astype(bool) & (credit["credit"] > 0)].groupby("account_id")["credit"].sum()
    links = business.links_frame(session)
    accounts_of = links[links["account_id"].isin(influenced.index)].groupby("author_id")["account_id"].apply(sorted)
    authors = business.post_authors(session, [pid for p in pairs for pid in p.source_post_ids])
    tied = []
    for pair in pairs:
        members = {authors.get(pid) for pid in pair.source_post_ids} & set(accounts_of.index)
        if members:
            tied.append((pair, sorted(a for m in members for a in accounts_of[m])))
    consented_tied = [(p, a) for p, a in tied if p.quote and p.quote.strip()]
    stories, consenting = len({p.story_id for p, _ in tied}), len({p.story_id for p, _ in consented_tied})
    if not consented_tied:
        reason = (f"none of the {stories} stories tied to an influenced account has quote consent" if tied
                  else "no confirmed story is told by a member of an influenced account")
        return {"quote": None, "reason": reason, "candidates": stories}
    pair, account_ids = max(consented_tied, key=lambda pa: (evidence_strength(pa[0]), pa[0].period, pa[0].story_id))
    segment = accounts.set_index("account_id")["segment"].reindex(account_ids).dropna()
    won = revenue[revenue["account_id"].isin(account_ids)]
    return {"quote": shorten(pair.quote or ""), "tag": pair.tag, "story_id": pair.story_id, "link_id": pair.link_id,
            "kpi_id": pair.kpi_id, "account_segment": str(segment.iloc[0]) if len(segment) else None,
            "influenced_credit": round(float(influenced[account_ids].sum()), 2),
            "outcomes": sorted(set(won["kind"])), "candidates": stories,
            "reason": f"Told by a member of an account the community influenced (blended credit); chosen by "
                      f"evidence from {consenting} consented of {stories} such stories"}

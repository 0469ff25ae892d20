"""Which member story a report tells beside each KPI: chosen by evidence and representativeness.

A pure function over ``StoryMetricPair`` candidates, so the choice is reproducible and
testable with hand-built pairs. Nobody picks a story by hand, and a story whose member did
not consent to quotes (``quote is None``) is never shown: another one is chosen, or none.

Score of a candidate (each part in 0..1)::

    evidence          = 0.5 * tag_score + 0.25 * confirmed_by_a_person + 0.25 * min(source posts, 5) / 5
    representativeness = 0.4 * cohort_fit + 0.3 * tag_share + 0.3 * recency
    score             = 0.6 * evidence + 0.4 * representativeness

``cohort_fit`` is 1 for the KPI's focus cohort (the cohort the report talks about) and for
"all", else the cohort's share of the KPI's population; ``tag_share`` is the share of the
KPI's candidate stories carrying the same tag (the usual kind of story for that KPI, not the
odd one out); ``recency`` is 1 for a story told in the report's period and 1/(1 + months
earlier) otherwise. Ties break on more source posts, then earlier ``linked_at``, then ids.
Across KPIs a story already told is used again only when no other consented story is left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from insight.records import StoryMetricPair

EVIDENCE_WEIGHT = 0.6
SOURCE_POSTS_FULL = 5  # this many source posts count as full evidence
QUOTE_CHARS = 320  # a story is a vivid line, not a wall of text


@dataclass(frozen=True)
class KpiFocus:
    """What representativeness is measured against for one KPI.

    Attributes:
        kpi_id: the KPI.
        cohort: its focus cohort (e.g. the one that moved most); None when there is none.
        population: n per cohort for this KPI (``{"all": 153, "motivation=learn": 40}``).
        period: the report's month, YYYY-MM; stories told earlier count as less recent.
    """

    kpi_id: str
    cohort: str | None = None
    population: Mapping[str, int] | None = None
    period: str | None = None
    # "friction" for a worsening KPI, "mechanism" for an improving one, None: no preference;
    # ``valences`` maps each tag to its valence (the taxonomy's).
    prefer: str | None = None
    valences: Mapping[str, str] | None = None


@dataclass(frozen=True)
class StoryChoice:
    """The story chosen for a KPI, or why there is none (``pair`` None)."""

    kpi_id: str
    pair: StoryMetricPair | None
    candidates: int
    consented: int
    evidence: float = 0.0
    representativeness: float = 0.0
    score: float = 0.0
    valence: str | None = None  # the chosen story's tag's valence
    prefer: str | None = None  # what the KPI's move asked for

    @property
    def reason(self) -> str:
        if self.pair is not None:
            why = (f"chosen from {self.consented} consented of {self.candidates} candidate stories: "
                   f"evidence {self.evidence:.2f}, representativeness {self.representativeness:.2f}")
            if self.prefer and self.valence != self.prefer:
                why += f"; no consented {self.prefer} story for this KPI, so a {self.valence} story"
            elif self.prefer:
                why += f"; a {self.valence} story, as the KPI's move asks"
            return why
        if self.candidates:
            return f"none of the {self.candidates} candidate stories has quote consent"
        return "no confirmed story links to this KPI in the months the report looks at"

    def as_dict(self) -> dict[str, object]:
        pair = self.pair
        return {
            "kpi_id": self.kpi_id,
            "story_id": pair.story_id if pair else None,
            "link_id": pair.link_id if pair else None,
            "tag": pair.tag if pair else None,
            "cohort": pair.cohort if pair else None,
            "quote": shorten(pair.quote) if pair and pair.quote else None,
            "source_posts": len(pair.source_post_ids) if pair else 0,
            "tagger": pair.tagger if pair else None,
            "thread_id": pair.thread_id if pair else None,
            "channel": pair.channel if pair else None,
            "candidates": self.candidates,
            "consented": self.consented,
            "evidence": round(self.evidence, 4),
            "representativeness": round(self.representativeness, 4),
            "score": round(self.score, 4),
            "valence": self.valence,
            "reason": self.reason,
        }


def evidence_strength(pair: StoryMetricPair) -> float:
    """How well the story is established: tagger confidence, a person's confirmation, source posts."""
    confirmed = 1.0 if pair.tagger.startswith("person:") else 0.0
    sources = min(len(pair.source_post_ids), SOURCE_POSTS_FULL) / SOURCE_POSTS_FULL
    return 0.5 * _unit(pair.tag_score) + 0.25 * confirmed + 0.25 * sources


def representativeness(pair: StoryMetricPair, focus: KpiFocus, tag_counts: Mapping[str, int]) -> float:
    """How typical the story is of the KPI now: its cohort against the focus, its tag among the
    candidate stories, and how recently it was told."""
    total = sum(tag_counts.values()) or 1
    return (0.4 * _cohort_fit(pair.cohort, focus) + 0.3 * tag_counts.get(pair.tag, 0) / total
            + 0.3 * _recency(pair.period, focus.period))


def choose_story(candidates: Iterable[StoryMetricPair], focus: KpiFocus,
                 already_told: frozenset[str] = frozenset()) -> StoryChoice:
    """The best consented story for ``focus.kpi_id`` among ``candidates`` (pairs of other KPIs are ignored)."""
    pairs = [p for p in candidates if p.kpi_id == focus.kpi_id]
    consented = [p for p in pairs if p.quote and p.quote.strip()]
    # Counted in stories: one story links to several cohorts, one pair each.
    candidates, consenting = len({p.story_id for p in pairs}), len({p.story_id for p in consented})
    if not consented:
        return StoryChoice(focus.kpi_id, None, candidates, 0)
    # Representativeness is judged against every candidate, consented or not: the usual story
    # for a KPI does not change because some members keep their words private.
    tags = Counter(tag for _, tag in {(p.story_id, p.tag) for p in pairs})  # stories, not their cohort pairs
    valences = focus.valences or {}
    scored = []
    for pair in consented:
        ev, rep = evidence_strength(pair), representativeness(pair, focus, tags)
        score = EVIDENCE_WEIGHT * ev + (1 - EVIDENCE_WEIGHT) * rep
        # A worsening KPI is explained by what got in the way, an improving one by what worked.
        mismatch = focus.prefer is not None and valences.get(pair.tag, "mechanism") != focus.prefer
        key = (pair.story_id in already_told, mismatch, -round(score, 9), -len(pair.source_post_ids),
               pair.linked_at, pair.story_id, pair.link_id)
        scored.append((key, pair, ev, rep, score))
    _, best, ev, rep, score = min(scored, key=lambda row: row[0])
    return StoryChoice(focus.kpi_id, best, candidates, consenting, ev, rep, score,
                       valences.get(best.tag, "mechanism"), focus.prefer)


def choose_stories(candidates: Sequence[StoryMetricPair], focuses: Sequence[KpiFocus]) -> dict[str, StoryChoice]:
    """One choice per KPI, in the order given; a story told for one KPI is the last resort for the next."""
    told: set[str] = set()
    out: dict[str, StoryChoice] = {}
    for focus in focuses:
        choice = choose_story(candidates, focus, frozenset(told))
        if choice.pair is not None:
            told.add(choice.pair.story_id)
        out[focus.kpi_id] = choice
    return out


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """The quote, cut at a word boundary with an ellipsis when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _cohort_fit(cohort: str, focus: KpiFocus) -> float:
    if cohort == "all" or cohort == focus.cohort:
        return 1.0
    population = focus.population or {}
    total = population.get("all") or 0
    return min(1.0, population.get(cohort, 0) / total) if total else 0.0


def _recency(told: str, period: str | None) -> float:
    if period is None:
        return 1.0
    months = (int(period[:4]) * 12 + int(period[5:7])) - (int(told[:4]) * 12 + int(told[5:7]))
    return 1.0 / (1 + max(months, 0))


def _unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))

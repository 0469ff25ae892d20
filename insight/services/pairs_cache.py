"""Story-metric pairs for reporting jobs, memoised until the stored inputs change.

``stories.story_metric_pairs`` computes every KPI over all stored posts on each call (seconds
at 100,000 posts); reporting jobs ask for the same month again and again. The answer is kept
per (period, cohort, KPI) under a fingerprint of everything it reads: posts, members (count,
consent counts, newest run), KPI observations, stories, links and taxonomy versions, taken in
one query at most every ``fresh_seconds`` (so a KPI value may trail a change by that long).
Consent is privacy, not a number, so it is never served from the cache:
each answer re-reads the stories' members, drops those ``privacy.consent.may_show`` refuses
(withdrawn; no member record under "exclude") and withholds quotes ``may_quote`` refuses (the
stories service's rule, applied to the current rows); a story no longer stored (erased) is
never served. A page's JSON is kept too, under those
decisions: the next request for it re-reads consent and sends the same bytes only if every
decision is unchanged, so a page asked for again is not encoded again.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from insight.privacy import consent
from insight.records import Member, StoryMetricPair
from insight.storage import stories
from insight.storage.db import session_scope


def fingerprint(engine: Engine) -> tuple[Any, ...]:
    """What the pairs of any period depend on, as a handful of aggregates (one round trip)."""
    with session_scope(engine) as session:
        return stories.pairs_fingerprint(session)


def current_members(engine: Engine, story_ids: set[str]) -> dict[str, Member | None]:
    """story id -> its member as stored now; None without a member record."""
    with session_scope(engine) as session:
        return stories.story_members(session, story_ids)


class PairsCache:
    """Memoised ``story_metric_pairs`` (least recently used beyond ``size`` keys); thread-safe.

    Each entry keeps the records and their JSON-ready dicts (made once: ``as_dict`` of a
    thousand pairs costs more than the rest of a cached answer).
    """

    def __init__(self, compute: Callable[..., list[StoryMetricPair]] | None = None, size: int = 64,
                 fresh_seconds: float = 0.0) -> None:
        self._compute = compute
        self._size = size
        self._fresh = fresh_seconds
        self._fingerprints: dict[str, tuple[float, tuple[Any, ...]]] = {}
        self._entries: OrderedDict[tuple[Any, ...], list[tuple[StoryMetricPair, dict[str, Any]]]] = OrderedDict()
        self._pages: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def _entry(self, engine: Engine, period: str, cohort: str | None, kpi_id: str | None,
               unknown_members: str) -> tuple[tuple[Any, ...], list[tuple[StoryMetricPair, dict[str, Any]]]]:
        key = (str(engine.url), period, cohort, kpi_id, unknown_members, self._fingerprint(engine))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return key, found
        self.misses += 1
        pairs = self._story_metric_pairs()(engine, period, cohort=cohort, kpi_id=kpi_id,
                                           unknown_members=unknown_members)
        found = [(p, p.as_dict()) for p in pairs]
        with self._lock:
            _remember(self._entries, key, found, self._size)
        return key, found

    def clear(self) -> None:
        """Forget every entry and fingerprint at once (an erasure: nothing of it may be served again)."""
        with self._lock:
            self._entries.clear()
            self._pages.clear()
            self._fingerprints.clear()

    def _fingerprint(self, engine: Engine) -> tuple[Any, ...]:
        now = time.monotonic()
        url = str(engine.url)
        taken = self._fingerprints.get(url)
        if taken is None or now - taken[0] >= self._fresh:
            taken = (now, fingerprint(engine))
            self._fingerprints[url] = taken
        return taken[1]

    def _current(self, engine: Engine, period: str, cohort: str | None, kpi_id: str | None,
                 unknown_members: str) -> tuple[tuple[Any, ...], list[tuple[StoryMetricPair, dict[str, Any], bool]]]:
        """The entry's key and its pairs still allowed under current consent, each with whether its
        quote is."""
        key, entry = self._entry(engine, period, cohort, kpi_id, unknown_members)
        members = current_members(engine, {p.story_id for p, _ in entry})
        out = []
        for pair, data in entry:
            if pair.story_id not in members:
                # The story is gone (an erasure): never served again, even by a cache another HTTP
                # process of `insight serve --processes N` filled before it (``clear`` reaches one).
                continue
            member = members[pair.story_id]
            if consent.may_show(member, unknown_members):
                out.append((pair, data, consent.may_quote(member)))
        return key, out

    def pairs(self, engine: Engine, period: str, *, cohort: str | None = None, kpi_id: str | None = None,
              unknown_members: str = "include") -> list[StoryMetricPair]:
        return [p if quoted or p.quote is None else dataclasses.replace(p, quote=None)
                for p, _, quoted in self._current(engine, period, cohort, kpi_id, unknown_members)[1]]

    def page_json(self, engine: Engine, period: str, *, cohort: str | None = None, kpi_id: str | None = None,
                  unknown_members: str = "include", offset: int = 0, limit: int = 500) -> tuple[bytes, int]:
        """A page of ``pairs`` as ``StoryMetricPair.as_dict`` gives them, JSON-encoded, and how many
        pairs there are in all."""
        key, allowed = self._current(engine, period, cohort, kpi_id, unknown_members)
        decisions = tuple((p.story_id, quoted) for p, _, quoted in allowed)
        page_key = (key, decisions, offset, limit)
        with self._lock:
            body = self._pages.get(page_key)
            if body is not None:
                self._pages.move_to_end(page_key)
                return body, len(allowed)
        page = [d if quoted or d["quote"] is None else {**d, "quote": None}
                for _, d, quoted in allowed[offset:offset + limit]]
        body = json.dumps(page, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
        with self._lock:
            _remember(self._pages, page_key, body, self._size)
        return body, len(allowed)

    def _story_metric_pairs(self) -> Callable[..., list[StoryMetricPair]]:
        if self._compute is None:
            from insight.services.stories import story_metric_pairs

            self._compute = story_metric_pairs
        return self._compute


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    """Put ``value`` under ``key``, forgetting the least recently used beyond ``size`` keys."""
    cache[key] = value
    while len(cache) > size:
        cache.popitem(last=False)

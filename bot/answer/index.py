"""An in-memory index of the current facts, rebuilt whenever the facts change.

Answering reads only this index (no SQL on the answer path but one cheap check), which
keeps one question well under a millisecond. Before answering, the index compares the
store's 'facts' change counter (bumped by triggers on every fact, citation or source
write, by any process) with the one it was built from, and rebuilds if it moved: an edit
made anywhere, even by `tradebot facts` in another process, is in the very next answer,
while bookkeeping writes (answer and miss records) never cost a rebuild.
"""

from __future__ import annotations

import bisect
import logging
import sqlite3
import threading
from collections import defaultdict
from datetime import date, timedelta

from bot.answer.combined import chargeable, step_series
from bot.answer.measure_match import covers_origin
from bot.answer.retrieval import FactSearch
from bot.answer.stacking_rules import load_stacking_rules
from bot.store import Fact, FactStore, Source
from bot.vocabulary import load_vocabulary

HEADLINE_PAIRS = 4
log = logging.getLogger("tradebot.index")


ANNOUNCED_WITHIN = timedelta(days=90)  # a source this long before a fact may announce it


class FactIndex:
    def __init__(self, store: FactStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._dirty = True
        self._built_for: int | None = None
        """The store's 'facts' counter when the index was built."""
        self.facts: list[Fact] = []
        self.sources: dict[str, Source] = {}
        self.by_kind: dict[str, list[Fact]] = {}
        self.by_pair: dict[tuple[str | None, str | None], list[Fact]] = {}
        self.by_id: dict[str, Fact] = {}
        self._recorded_days: list[date] = []
        self._following: dict[str | tuple[str, date], list[Fact]] = {}
        self.newest_recorded: date | None = None
        self._rate_pairs: list[tuple[str, str]] = []
        self.importers_of: dict[str, list[str]] = {}
        self.recent_pairs: list[tuple[str, str]] = []
        self.pairs_by_rate: dict[float, list[tuple[str, str]]] = {}
        self.first_reported: dict[str, date] = {}
        self.generation = 0
        """Counts rebuilds: a reader can tell whether the facts changed since it looked."""
        self.exporters_of: dict[str, list[str]] = {}
        self._all_goods_of: dict[str | None, list[Fact]] = {}
        self._series: dict[tuple[str, str], list[Fact]] = {}
        self._search: FactSearch | None = None
        self._search_generation = 0
        """Series built on first use since the last rebuild (one per pair asked)."""

    def invalidate(self) -> None:
        """Rebuild on the next refresh whatever the counter says (e.g. new rules)."""
        self._dirty = True

    def stale(self) -> bool:
        """Did the facts change since the index was built? One `PRAGMA data_version`
        when nothing was committed anywhere; one tiny SELECT when something was."""
        return self._dirty or self.store.generations().get("facts") != self._built_for

    def refresh(self) -> None:
        """Rebuild if the facts changed. If the file cannot be read right now (locked
        beyond the reader's short timeout, outside WAL mode), keep answering from the
        index as it is and try again on the next question."""
        try:
            if not self.stale():
                return
            with self._lock:
                generation = self.store.generations().get("facts")
                if not self._dirty and generation == self._built_for:
                    return
                facts, sources = self.store.snapshot()
                self._dirty, self._built_for = False, generation
                self._build(facts, sources)
        except sqlite3.OperationalError as exc:
            if self.generation == 0:
                raise  # never built: there is nothing to answer from
            log.warning("facts not re-read (%s); answering from the current index", exc)

    def _ensure_built(self) -> None:
        """Lookups build the index once; later changes are picked up by `refresh`, which
        the answer's entry points call once per question (not once per lookup)."""
        if self.generation == 0:
            self.refresh()

    def _build(self, facts: list[Fact], sources: dict[str, Source]) -> None:
        self.generation += 1
        by_kind: dict[str, list[Fact]] = defaultdict(list)
        by_pair: dict[tuple[str | None, str | None], list[Fact]] = defaultdict(list)
        for fact in facts:
            by_kind[fact.kind].append(fact)
            if fact.kind == "tariff_rate":
                by_pair[(fact.importer, fact.exporter)].append(fact)
        self.facts = facts
        self.sources = sources
        self.by_kind = dict(by_kind)
        self.by_pair = dict(by_pair)
        all_goods: dict[str | None, list[Fact]] = defaultdict(list)
        for fact in by_kind.get("tariff_rate", []):
            if chargeable(fact) and not fact.retracted:
                all_goods[fact.importer].append(fact)
        self._all_goods_of = dict(all_goods)
        self._series = {}
        # The full-text index is built here, with the rest, so no question pays for it.
        self._search = FactSearch(facts, sources)
        self._search_generation = self.generation
        self.by_id = {f.id: f for f in facts}
        self.newest_recorded = max((f.recorded for f in facts), default=None)
        self._recorded_days = sorted(f.recorded for f in facts)
        # What may follow a fact (bot/answer/ends.py): the facts naming it as succeeded,
        # and those of its kind that begin on a given day.
        following: dict[str | tuple[str, date], list[Fact]] = defaultdict(list)
        for fact in facts:
            following[(fact.kind, fact.valid_from)].append(fact)
            if fact.supersedes:
                following[fact.supersedes].append(fact)
        self._following = dict(following)
        # The by_pair keys themselves (not copies): one tuple per pair, ~10,000 at scale.
        self._rate_pairs = sorted(pair for pair in self.by_pair if pair[0] and pair[1])
        importers: dict[str, list[str]] = defaultdict(list)
        exporters: dict[str, list[str]] = defaultdict(list)
        for i, e in self._rate_pairs:
            importers[e].append(i)
            exporters[i].append(e)
        self.importers_of, self.exporters_of = dict(importers), dict(exporters)
        # For questions naming no country: the pairs with the newest rates, and the
        # pairs that ever had a given rate ("is 145% still a thing?").
        newest = {p: max(f.valid_from for f in by_pair[p]) for p in self._rate_pairs}
        self.recent_pairs = sorted(
            (p for p in self._rate_pairs if p[1] != "WORLD"),
            key=lambda p: (newest[p], p),
            reverse=True,
        )[:HEADLINE_PAIRS]
        by_rate: dict[float, list[tuple[str, str]]] = defaultdict(list)
        for pair in self._rate_pairs:
            if pair[1] == "WORLD":
                continue
            for rate in {f.rate for f in by_pair[pair] if f.rate is not None and f.all_goods}:
                by_rate[rate].append(pair)
        self.pairs_by_rate = dict(by_rate)
        # When a fact was first reported: its earliest cited source from the weeks before
        # it took effect (an announcement), else when we recorded it. A rate announced
        # for a later date is known from then; `recorded` is when we last confirmed it.
        self.first_reported = {}
        for f in facts:
            announced = [
                published
                for c in f.citations
                if c.source_id in sources
                and f.valid_from - ANNOUNCED_WITHIN
                <= (published := sources[c.source_id].published)
                <= f.recorded
            ]
            self.first_reported[f.id] = min(announced, default=f.recorded)

    def fact_search(self) -> FactSearch:
        """The full-text index of the facts, built with the index (never on a question)."""
        self._ensure_built()
        with self._lock:
            if self._search is None or self._search_generation != self.generation:
                self._search = FactSearch(self.facts, self.sources)
                self._search_generation = self.generation
            return self._search

    def following(self, fact: Fact) -> list[Fact]:
        """Facts that may take `fact`'s place: those that name it as succeeded, and those
        of its kind beginning the day it ends (bot/answer/ends.py decides which do)."""
        self._ensure_built()
        after = self._following.get((fact.kind, fact.valid_to), []) if fact.valid_to else []
        return [*self._following.get(fact.id, []), *after]

    def cutoff(self, as_of: date) -> date | None:
        """The data cut-off as known on `as_of`: the newest day a fact was recorded, not
        counting facts recorded after `as_of`."""
        self._ensure_built()
        at = bisect.bisect_right(self._recorded_days, as_of)
        return self._recorded_days[at - 1] if at else None

    def kind(self, kind: str) -> list[Fact]:
        self._ensure_built()
        return self.by_kind.get(kind, [])

    def pair(self, importer: str | None, exporter: str | None) -> list[Fact]:
        self._ensure_built()
        return self.by_pair.get((importer, exporter), [])

    def series(self, importer: str | None, exporter: str | None) -> list[Fact]:
        """The pair's rate on all goods over time, oldest first (bot/answer/combined.py):
        the importer's all-goods measures that cover the exporter — named, through a
        bloc, or on all partners — as steps, several measures charged together as one
        combined fact. After the Supreme Court's ruling the US-China rate ended and the
        Section 122 surcharge on every partner applied to Chinese goods too, so "the US
        tariff on Chinese goods after the ruling" is that surcharge. Product measures (a
        steel duty) are never part of the series: a steel duty recorded beside the
        all-goods rate is not "the rate went from 30% to 50%"; the layers show them.
        Measures announced, threatened, paused or suspended are never steps.
        """
        self._ensure_built()
        if exporter == "WORLD" or importer is None or exporter is None:
            return [f for f in self.pair(importer, exporter) if f.all_goods]
        key = (importer, exporter)
        if key not in self._series:
            vocab = load_vocabulary()
            covering = [
                f for f in self._all_goods_of.get(importer, []) if covers_origin(f, exporter, vocab)
            ]
            self._series[key] = step_series(covering, exporter, load_stacking_rules().label)
        return self._series[key]

    def rate_pairs(self) -> list[tuple[str, str]]:
        self._ensure_built()
        return self._rate_pairs

"""The question-answering service every door shares (CLI, Discord, tests).

Kept apart from bot/service.py (the moderation calls) so the path from a question to an
answer is one module: understanding, the fact index and the composer, rebuilt only when
the store's change counters move.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from typing import Any

from bot.followup import Previous, continue_from
from bot.query import Query
from bot.store import FactStore, StoreError
from bot.understand.text import clean_for_display


class Assistant:
    """The question-answering service: one per process, shared by every door.

    Built once (rules and entities indexed, facts indexed). Before each question the
    store's change counters are checked (cheap): if the facts changed, in this process or
    any other, the fact index is rebuilt and event anchors ("before the truce") are
    re-read from the facts they name; if learned phrasings changed, the matcher is
    rebuilt with them. Bookkeeping writes (answer and miss records) rebuild nothing.
    """

    def __init__(self, store: FactStore, *, stale_after_days: int = 60, rules: Any = None) -> None:
        from bot.answer.compose import Composer
        from bot.answer.index import FactIndex
        from bot.understand.engine import Engine
        from bot.understand.rules import load_rules

        self.store = store
        self.rules = rules or load_rules()
        self.index = FactIndex(store)
        self.composer = Composer(
            self.index,
            store.vocab,
            {name: i.suggestion for name, i in self.rules.intents.items()},
            stale_after_days=stale_after_days,
            routes=routes_of(self.rules),
        )
        self._engine_cls = Engine
        self._anchor_facts: tuple[Any, ...] | None = None
        self._engine_generation = -1
        self._phrasings_generation: int | None = None
        self.engine = self._build_engine()

    def _anchors(self) -> dict[str, date]:
        self.index.refresh()
        return {
            phrase: self.index.by_id[fact_id].valid_from
            for phrase, fact_id in self.rules.anchors.items()
            if fact_id in self.index.by_id
        }

    def _events(self) -> list[tuple[tuple[str, ...], tuple[str, ...], date]]:
        """Event clauses with the dates their facts give (an event whose fact is gone or
        is not a deadline when `at = "due"` is skipped: no date, no reading)."""
        out = []
        for event in self.rules.events:
            fact = self.index.by_id.get(event.fact)
            day = fact and (fact.due if event.at == "due" else fact.valid_from)
            if day:
                out.append((event.who, event.did, day))
        return out

    def _dating_facts(self) -> tuple[Any, ...]:
        ids = [*self.rules.anchors.values(), *(e.fact for e in self.rules.events)]
        return tuple(self.index.by_id.get(i) for i in ids)

    def _build_engine(self) -> Any:
        from bot.review import learned_phrasings

        self.index.refresh()  # before reading the dating facts, or they read as missing
        self._anchor_facts = self._dating_facts()
        self._engine_generation = self.index.generation
        self._phrasings_generation = self._phrasings_now()
        return self._engine_cls(
            self.rules,
            self.store.vocab,
            self._anchors(),
            learned=learned_phrasings(self.store),
            events=self._events(),
            event_topics=self._event_topics(),
        )

    def _event_topics(self) -> dict[str, str]:
        """Anchored facts whose kind is one intent's topic: talks, court rulings, leaders."""
        topic_of_kind = {
            "negotiation_status": "negotiation_status",
            "court_ruling": "court_ruling",
            "leader_contact": "leaders",
        }
        return {
            fid: topic_of_kind[fact.kind]
            for fid in self.rules.anchors.values()
            if (fact := self.index.by_id.get(fid)) is not None and fact.kind in topic_of_kind
        }

    def reindex(self, rules: Any = None) -> None:
        """Rebuild the matcher, e.g. after new phrasings were added to the rules."""
        if rules is not None:
            self.composer.set_routes(routes_of(rules))  # an unknown strategy fails here
            self.rules = rules
            self.composer.suggestions = {n: i.suggestion for n, i in rules.intents.items()}
        self.engine = self._build_engine()

    def _phrasings_now(self) -> int | None:
        """The learned phrasings' change counter (None if the file cannot be read now)."""
        try:
            return self.store.generations().get("phrasings")
        except sqlite3.OperationalError:
            return self._phrasings_generation

    def understand(self, question: str, as_of: date) -> Any:
        """The Understanding of `question` (its `query` is what gets answered)."""
        self.index.refresh()
        phrasings = self._phrasings_now()
        if phrasings != self._phrasings_generation:
            self.engine = self._build_engine()  # taught by a moderator, here or elsewhere
        elif self.index.generation != self._engine_generation:
            self._engine_generation = self.index.generation
            if self._dating_facts() != self._anchor_facts:
                self.engine = self._build_engine()
        return self.engine.understand(question, as_of)

    # ---- structured questions (slash commands) ------------------------------------------

    def _structured(self, intent: str, label: str, as_of: date | None, **kwargs: Any) -> Any:
        """Answer a slash command: its options become a Query directly (no words)."""
        day = as_of or date.today()
        query = Query.structured(intent, label=label, today=day, **kwargs)
        return self.composer.compose(query, day)

    def rate(
        self, importer: str, exporter: str, *, as_of: date | None = None, day: date | None = None
    ) -> Any:
        """The rate `importer` puts on `exporter`'s goods on `day` (default: as_of)."""
        return self._structured(
            "tariff_rate",
            f"/rate {importer} {exporter}",
            as_of,
            importer=importer,
            exporter=exporter,
            day=day,
        )

    def status(self, parties: list[str], *, as_of: date | None = None) -> Any:
        return self._structured(
            "negotiation_status", f"/status {' '.join(parties)}", as_of, parties=parties
        )

    def rulings(self, *, as_of: date | None = None) -> Any:
        return self._structured("court_ruling", "/rulings", as_of)

    def deadlines(self, *, as_of: date | None = None) -> Any:
        self.index.refresh()
        return self.composer.deadlines(as_of or date.today())

    def timeline(self, importer: str, exporter: str, *, as_of: date | None = None) -> Any:
        self.index.refresh()
        return self.composer.timeline(importer, exporter, as_of or date.today())

    def fact_card(self, fact_id: str, *, as_of: date | None = None) -> Any:
        self.index.refresh()
        return self.composer.fact_card(fact_id, as_of or date.today())

    def chart(self, importer: str, exporter: str, *, as_of: date | None = None) -> Any:
        """A PNG step chart of the pair's rate over time (see `bot.chart`)."""
        from bot.chart import rate_chart

        self.index.refresh()
        series = list(self.index.series(importer, exporter))
        return rate_chart(
            series,
            dict(self.index.sources),
            self.store.vocab,
            importer,
            exporter,
            as_of or date.today(),
        )

    def about(self, *, as_of: date | None = None) -> Any:
        return self._structured("help", "/about", as_of)

    def ask_as(self, question: str, intent: str, as_of: date | None = None) -> Any:
        """Answer `question` as `intent` (a clicked interpretation of an ambiguous one)."""
        day = as_of or date.today()
        query = self.understand(question, day).query
        return self.composer.compose(replace(query, intent=intent, ambiguous=False), day)

    def learn(self, group_id: int, intent: str, by: str) -> str:
        """Teach the review group's question as a phrasing of `intent`; the matcher is
        re-indexed at once, so the same question is answered from now on."""
        from bot import review

        group = next((g for g in review.groups(self.store, limit=10_000) if g.id == group_id), None)
        if group is None:
            raise StoreError(
                f"there is no open review group {group_id}; `tradebot review` lists them"
            )
        phrasing = review.phrasing_from(self.understand(group.question, date.today()).matchable)
        review.learn(self.store, group_id, intent, phrasing, by)
        self.reindex()
        return phrasing

    def ask(
        self, question: str, as_of: date | None = None, previous: Previous | None = None
    ) -> Any:
        """Answer one question as of a date (default today). `previous`: what the last
        answer in the same conversation answered, so "and Japan?" continues it."""
        from bot.answer.answer import empty_question_answer

        day = as_of or date.today()
        if not clean_for_display(question):
            return empty_question_answer(question, day)
        query = continue_from(self.understand(question, day).query, previous)
        return self.composer.compose(query, day)

    def previous_of(self, answer: Any) -> Previous | None:
        """What a follow-up to `answer` continues: its Query and its record's dates."""
        query = getattr(answer, "query", None)
        if query is None or query.intent is None:
            return None
        day = query.date_asked.end if query.date_asked else answer.as_of
        context = set(getattr(answer, "context", ()) or ())  # cited, not the answer itself
        facts = [
            self.index.by_id[i] for i in answer.facts if i in self.index.by_id and i not in context
        ]
        # The record in force on the day answered: "before that" is the day before the
        # latest of them began, "after that" the day the first of them ended.
        held = [f for f in facts if f.is_valid_on(day)] or facts
        began = max((f.valid_from for f in held), default=None)
        ended = min((f.valid_to for f in held if f.valid_to), default=None)
        return Previous(query, began, ended)


def routes_of(rules: Any) -> dict[str, tuple[str, str | None]]:
    """Each intent's strategy and fact kind, as intents.toml names them."""
    return {name: (i.strategy or name, i.kind) for name, i in rules.intents.items()}

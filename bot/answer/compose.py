"""Answers composed only from facts valid at the question's date, each with its sources.

Rules that keep answers honest:
- a number appears only if a fact valid on the asked date carries it;
- "now" questions whose facts have ended get "no record", with the date the last record
  ended, and no number (a May-2025 rate is never presented as today's);
- the date and the source of every fact used are in the answer; low confidence,
  disagreement between sources and staleness are said in words.

The composer reads a `Query` (bot/query.py) and the facts, nothing else: it settles the
dates, then hands the question to the strategy its intent names in intents.toml
(bot/answer/strategies). The strategies share a `Kit` (bot/answer/kit.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from bot.answer import views
from bot.answer.answer import Answer, empty_question_answer, too_long_answer
from bot.answer.index import FactIndex
from bot.answer.kit import Asked, Kit, load_templates
from bot.answer.names import Names, range_label
from bot.answer.strategies import FUTURE_AWARE, STRATEGIES, Strategy
from bot.answer.strategies.retrieved import retrieved
from bot.dates import DateRange
from bot.due import lapsed
from bot.present import human_date
from bot.query import Query
from bot.vocabulary import Vocabulary

__all__ = [
    "Answer",
    "Composer",
    "Names",
    "StrategyError",
    "empty_question_answer",
    "load_templates",
    "range_label",
    "too_long_answer",
]

EVENT_EFFECT_WINDOW = timedelta(days=30)
# Strategies whose "no record" for a question naming no one means "which tariff?": a
# fact retrieved by the question's own words may answer it instead. The others' "no
# record" (no ruling yet, no truce then) is precise and stands.
RETRIEVAL_AFTER = frozenset({"tariff_rate", "rate_change"})
Route = tuple[str, str | None]
"""An intent's strategy name and the fact kind it names (or None)."""


class StrategyError(ValueError):
    """An intent names a strategy that does not exist (raised when the composer is built)."""


class Composer(Kit):
    def __init__(
        self,
        index: FactIndex,
        vocab: Vocabulary,
        suggestions: dict[str, str],
        stale_after_days: int = 60,
        routes: Mapping[str, Route] | None = None,
    ) -> None:
        super().__init__(index, vocab, suggestions, stale_after_days)
        self.routes: dict[str, tuple[Strategy, str, str | None]] = {}
        self.set_routes(routes or {name: (name, None) for name in suggestions})

    def set_routes(self, routes: Mapping[str, Route]) -> None:
        """Map intents to strategies; an unknown strategy name fails here, naming it."""
        resolved = {}
        for intent, (name, kind) in routes.items():
            if name not in STRATEGIES:
                raise StrategyError(
                    f"intents.toml: intent {intent!r} names strategy {name!r}, which does not "
                    f"exist; use one of {', '.join(sorted(STRATEGIES))}"
                )
            if name == "status" and not kind:
                raise StrategyError(
                    f"intents.toml: intent {intent!r} uses strategy 'status' and must name "
                    'the fact kind it answers (kind = "...")'
                )
            resolved[intent] = (STRATEGIES[name], name, kind)
        self.routes = resolved

    # ---- entry point --------------------------------------------------------------------

    def compose(self, q: Query, as_of: date) -> Answer:
        self.index.refresh()
        rng = q.date_asked or self._event_day(q, as_of) or DateRange(as_of, as_of, "today")
        # A future date is answered with what is recorded today (the store cannot know
        # later facts), with a note; a rate recorded to end before that date is no record.
        future = rng if rng.start > as_of else None
        if future:
            rng = DateRange(as_of, as_of, "today")
        elif rng.end > as_of:  # "this summer", asked in June: what is known by today
            rng = DateRange(rng.start, as_of, rng.text, rng.event)
        base = {
            "question": q.question,
            "intent": q.intent,
            "confidence": q.confidence,
            "as_of": as_of,
            "product": q.product,
            "query": q,
        }
        if q.too_long:
            answer = too_long_answer(q.question, as_of)
            answer.query = q
            return answer
        if q.intent is None or q.intent not in self.routes:
            found = retrieved(self, Asked(q, rng, as_of, base))
            if found is not None:  # in the topic, in no intent's words: the facts say it
                return self.one_message(self.finish(self._lapsed(found, rng, future), rng, future))
            return self.fixed(
                "out_of_scope",
                {**base, "intent": None},
                outcome="out_of_scope",
                suggestions=self.default_suggestions(),
            )
        if q.ambiguous:
            close = [intent for intent, _ in q.candidates[:3]]
            answer = self.fixed(
                "clarify",
                base,
                outcome="clarify",
                suggestions=[self.suggestion(i) for i in close],
            )
            answer.interpretations = close
            return answer
        strategy, name, kind = self.routes[q.intent]
        until = future if name in FUTURE_AWARE else None
        asked = Asked(q, rng, as_of, base, until=until, kind=kind)
        result = strategy(self, asked)
        if result.outcome == "no_record" and result.last_day and rng.end == as_of and not future:
            result = self._latest_record(strategy, asked, result)
        if result.outcome == "no_record" and not q.parties and name in RETRIEVAL_AFTER:
            # "When did CBP stop collecting IEEPA duties?" read as a rate question naming
            # no one: a fact whose own words answer it beats "no record". With parties
            # named, the strategy's "no record" is precise and stands.
            result = retrieved(self, asked) or result
        return self.one_message(self.finish(self._lapsed(result, rng, future), rng, future))

    def _lapsed(self, answer: Answer, rng: DateRange, future: DateRange | None) -> Answer:
        """A question about now answered only by facts whose scheduled end or deadline has
        passed with nothing recorded after them (a truce past its term, a 150-day
        surcharge, a deadline nobody settled) is a "no record": the lines say it was
        scheduled to end (or was due) and nothing is said to hold today."""
        if answer.outcome != "answer" or future or rng.end != answer.as_of:
            return answer
        stated = [
            self.index.by_id[i]
            for i in answer.facts
            if i in self.index.by_id and i not in answer.context
        ]
        if stated and all(lapsed(f, self.index.following(f), rng.end) for f in stated):
            answer.outcome = "no_record"
        return answer

    def _latest_record(self, strategy: Strategy, asked: Asked, missing: Answer) -> Answer:
        """A question about now, asked after the records end: "no record" first, then the
        latest record as it stood on its last day (value, since when, its end and its
        sources), then what the user can do. Still a "no record": nothing is said to hold
        today. A scheduled end passed with nothing after it says it may have been extended."""
        day = missing.last_day
        assert day is not None
        # No yes/no verdict on the last day: "is it still 10%?" is not answered "Yes" by a
        # record that lapsed; the record is shown, the verdict is the "no record" line.
        query = replace(asked.query, aspect="value") if asked.query.aspect == "yes_no" else None
        then = Asked(
            query or asked.query, DateRange(day, day, human_date(day)), asked.as_of,
            asked.base, kind=asked.kind,
        )  # fmt: skip
        record = strategy(self, then)
        if record.outcome != "answer" or not record.sources:
            return missing
        t = self.t["no_record"]
        cutoff = self.cutoff_line(asked.as_of)
        record.lines = [
            missing.lines[0],
            t["last_record"].format(day=human_date(day)),
            *record.lines,
            t["what_to_do"].format(day=human_date(day)),
            *([cutoff] if cutoff else []),
        ]
        record.outcome, record.last_day = "no_record", day
        record.suggestions = missing.suggestions
        return record

    def _event_day(self, q: Query, as_of: date) -> DateRange | None:
        """ "What did the tariff go from and to in the Geneva truce?": a change question
        naming an event and no date asks about the weeks after it began (a meeting's cut
        takes effect days later)."""
        if (
            q.date_role != "event"
            or self.routes.get(q.intent or "", (None, ""))[1] != "rate_change"
        ):
            return None
        for fid in q.named_events:
            fact = self.index.by_id.get(fid)
            if fact is not None and fact.valid_from <= as_of:
                end = min(fact.valid_from + EVENT_EFFECT_WINDOW, as_of)
                return DateRange(fact.valid_from, end, fact.subject or fid)
        return None

    # ---- structured views (slash commands) -----------------------------------------------

    def deadlines(self, as_of: date, recent_days: int = 120) -> Answer:
        return views.deadlines(self, as_of, recent_days)

    def timeline(self, importer: str, exporter: str, as_of: date) -> Answer:
        return views.timeline(self, importer, exporter, as_of)

    def fact_card(self, fact_id: str, as_of: date) -> Answer:
        return views.fact_card(self, fact_id, as_of)

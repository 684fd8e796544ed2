"""What every answer strategy shares: the fact index, names, templates, and the steps
that turn chosen facts into an `Answer` (sources, quotes, notes, footer).

A strategy is a function `(kit, asked) -> Answer` (bot/answer/strategies); `Asked`
holds the Query and the dates the dispatcher settled.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta

from bot import datafiles
from bot.answer import ends
from bot.answer.answer import Answer
from bot.answer.combined import layer_ids
from bot.answer.index import FactIndex
from bot.answer.names import Names, on_range, overlaps, range_label, relative
from bot.answer.stacking_rules import load_stacking_rules
from bot.dates import DateRange
from bot.present import human_date, percent
from bot.query import Query
from bot.store import Fact, Source
from bot.vocabulary import Vocabulary

MAX_LISTED_PAIRS = 6
MAX_EXTRA_SOURCES = 3
MAX_ANSWER_CHARS = 2000  # one Discord message


def load_templates() -> dict[str, dict[str, str]]:
    text = datafiles.read_text("templates.toml")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Asked:
    """One question as a strategy receives it: the Query, the dates settled for it (a
    future date is answered with what is recorded today, `until` being that date), and
    the fact kind its intent names in intents.toml (for strategies declared in data)."""

    query: Query
    rng: DateRange
    as_of: date
    base: dict
    until: DateRange | None = None
    kind: str | None = None


class Kit:
    def __init__(
        self,
        index: FactIndex,
        vocab: Vocabulary,
        suggestions: dict[str, str],
        stale_after_days: int = 60,
    ) -> None:
        self.index = index
        self.suggestions = suggestions
        self.vocab = vocab
        self.names = Names(vocab)
        self.t = load_templates()
        self.stale_after = timedelta(days=stale_after_days)

    # ---- values and lines -----------------------------------------------------------

    def value(self, fact: Fact) -> str:
        if fact.rate is not None:
            return percent(fact.rate)
        return " or ".join(percent(r) for r in fact.rate_candidates) + " (sources disagree)"

    def components(self, fact: Fact) -> str:
        return " + ".join(f"{percent(c.rate)} {c.name}" for c in fact.components)

    def deadline_line(self, fact: Fact, as_of: date) -> str:
        assert fact.due is not None
        key = "future" if fact.due >= as_of else "past"
        subject = fact.subject or "deadline"
        if fact.status == "extended":  # when it was extended is half of the news
            subject += f" (extended on {human_date(fact.valid_from)})"
        elif fact.status and fact.status != "scheduled":
            subject += f" ({fact.status})"
        return self.t["deadline"][key].format(
            subject_lower=subject[:1].lower() + subject[1:],
            due=human_date(fact.due),
            relative=relative(fact.due, as_of),
        )

    def status_line(self, fact: Fact, as_of: date | None = None) -> str:
        """A status, with its end when it no longer held on `as_of` (a named past event).
        A scheduled end passed with nothing recorded after it is said as such, never as
        "ended" or as the status; a status recorded longer ago than the staleness limit
        says so before the status itself."""
        subject = fact.subject or self.names.parties(list(fact.parties))
        ended = as_of is not None and fact.valid_to is not None and fact.valid_to <= as_of
        key = "ended" if ended else "line"
        if ended and fact.scheduled_end and not ends.has_successor(self.index, fact):
            key = "lapsed"
        line = self.t["status"][key].format(
            subject=subject,
            status=fact.status,
            since=human_date(fact.valid_from),
            until=human_date(fact.valid_to) if fact.valid_to else "",
            statement=fact.statement,
        )
        if as_of is not None and not ended and as_of - fact.recorded > self.stale_after:
            line = self.t["status"]["stale"].format(
                recorded=human_date(fact.recorded),
                relative=relative(fact.recorded, as_of),
                line=line,
            )
        return line

    # ---- choosing facts ---------------------------------------------------------------

    def topic_parties(self, q: Query, default: list[str] | None = None) -> list[str]:
        named = [p for p in q.parties if p not in q.excluded]
        if len(set(named) - q.venues) >= 1:  # "a meeting in Switzerland between X and Y"
            named = [p for p in named if p not in q.venues]
        parties = [p for p in named if p != "US"] or (["US"] if "US" in named else [])
        return parties or list(default or [])

    def valid(
        self, kind: str, parties: list[str], rng: DateRange, q: Query | None = None
    ) -> list[Fact]:
        """Facts of `kind` overlapping the dates and involving all `parties`.

        A capital can name a venue rather than a party ("the London talks", "the Kuala
        Lumpur arrangement", "the suspension after Kuala Lumpur"): when nothing matches,
        parties named only by a capital followed by a venue word, or by a capital next to
        other named parties, are dropped and the search repeated. A capital alone is never
        dropped: "talks with Seoul?" must not become "any talks".
        """
        facts = [f for f in self.index.kind(kind) if overlaps(f, rng)]
        if q is not None and q.excluded:  # "deals besides China"
            facts = [f for f in facts if not q.excluded & set(f.parties)]
        matching = [f for f in facts if all(p in f.parties for p in parties)]
        if not matching and parties and q is not None:
            named = set(q.named_outright)
            venues = set(q.capital_venues)
            fewer = [p for p in parties if p not in venues] or parties  # never "any"
            if fewer == parties and named:
                capitals = {code for code, _ in q.capitals} - named
                fewer = [p for p in parties if p not in capitals] or parties
            if fewer != parties:
                matching = [f for f in facts if all(p in f.parties for p in fewer)]
        if not matching and parties and q is not None:
            # A capital that the facts themselves name as a place ("some Kuala Lumpur
            # thing"): the facts that name it, among those involving the other parties.
            places = {code: text for code, text in q.capitals if code in parties}
            others = [p for p in parties if p not in places]
            matching = [
                f
                for f in facts
                if all(p in f.parties for p in others)
                and any(
                    text in f"{f.subject or ''} {f.statement}".lower() for text in places.values()
                )
            ]
        return sorted(matching, key=lambda f: (f.valid_from, f.id))

    def named_events(self, q: Query, kind: str, day: DateRange | date) -> list[Fact]:
        """Facts of `kind` the question names as its topic, begun by `day` (or the end of a
        range of days)."""
        last = day.end if isinstance(day, DateRange) else day
        named = (self.index.by_id.get(fid) for fid in q.named_events)
        return [f for f in named if f is not None and f.kind == kind and f.valid_from <= last]

    # ---- answers ------------------------------------------------------------------------

    def topic_missing(
        self,
        base: dict,
        kind: str,
        topic: str,
        rng: DateRange,
        candidates: list[Fact] | None = None,
    ) -> Answer:
        """`candidates`: the facts that would have answered on another date; when they all
        ended before the date asked, the answer carries their last day (`last_day`), so a
        "now" question can be given the latest record, framed as past."""
        line = self.t["no_record"]["topic"].format(topic=topic, day=on_range(rng))
        ended = ends.records_ended(self.index, candidates or [], rng.start)
        if ended:
            line += " " + self.latest_end_text(*ended)
        answer = self.no_record_text(base, [line], rng, suggestions=self.default_suggestions())
        answer.last_day = ended[0] - timedelta(days=1) if ended else None
        return answer

    def latest_end_text(self, end: date, scheduled: bool) -> str:
        """ "The latest record for that ended on D." or, a scheduled end with nothing
        after it, "My latest record was scheduled to end on D; …"."""
        key = "latest_scheduled" if scheduled else "latest_ended"
        return self.t["no_record"][key].format(until=human_date(end))

    def cutoff_line(self, as_of: date) -> str | None:
        """ "My records run to …": the newest day a fact known on `as_of` was recorded."""
        cutoff = self.index.cutoff(as_of)
        if cutoff is None:
            return None
        return self.t["no_record"]["cutoff"].format(cutoff=human_date(cutoff))

    def no_record_text(
        self, base: dict, lines: list[str], rng: DateRange, suggestions: list[str]
    ) -> Answer:
        known = self.index.rate_pairs()
        pairs = ", ".join(self.names.rate_subject(i, e) for i, e in known[:MAX_LISTED_PAIRS])
        if len(known) > MAX_LISTED_PAIRS:
            pairs += f" and {len(known) - MAX_LISTED_PAIRS} more"
        if any("tariffs" in line for line in lines):
            lines = [*lines, self.t["no_record"]["tracked"].format(pairs=pairs)]
        cutoff = self.cutoff_line(base["as_of"])
        if cutoff:
            lines = [*lines, cutoff]
        text = "\n".join(lines)
        return Answer(
            **base,
            text=text,
            facts=[],
            sources=[],
            outcome="no_record",
            suggestions=suggestions,
            lines=lines,
        )

    def answer(
        self,
        base: dict,
        lines: list[str],
        used: list[Fact],
        suggestions: list[str],
        context: list[Fact] | None = None,
    ) -> Answer:
        """`used` are the facts the answer states; `context` facts (a replaced rate) are
        cited with their sources but do not set the staleness or confidence notes."""
        unique: list[Fact] = list({f.id: f for f in [*used, *(context or [])]}.values())
        sources: list[Source] = []
        cited: set[str] = set()  # by id: comparing whole sources costs more than it says
        quotes: dict[str, str] = {}
        for fact in unique:
            for citation in fact.citations:
                source = self.index.sources.get(citation.source_id)
                if source and source.id not in cited:
                    cited.add(source.id)
                    sources.append(source)
                if source and citation.quote and source.id not in quotes:
                    quotes[source.id] = citation.quote
        stored = [i for f in unique for i in layer_ids(f)]  # a combined step: its measures
        stated = {i for f in used for i in layer_ids(f)}
        return Answer(
            **base,
            text="",
            facts=list(dict.fromkeys(stored)),
            sources=sources,
            suggestions=suggestions,
            outcome="answer",
            lines=lines,
            quotes=quotes,
            context=list(
                dict.fromkeys(i for f in context or [] for i in layer_ids(f) if i not in stated)
            ),
        )

    def finish(self, answer: Answer, rng: DateRange, future: DateRange | None = None) -> Answer:
        """Notes (future date, staleness, confidence) and the source footer (also of a
        "no record" that gives the latest record)."""
        if answer.outcome != "answer" and not answer.sources:
            return answer
        facts = [
            self.index.by_id[i]
            for i in answer.facts
            if i in self.index.by_id and i not in answer.context
        ]
        notes = []
        if future:
            notes.append(
                self.t["footer"]["future"].format(
                    day=range_label(future), today=human_date(answer.as_of)
                )
            )
        newest = max((f.recorded for f in facts), default=None)
        if newest and rng.end - newest > self.stale_after:
            answer.stale = True
            notes.append(self.t["footer"]["stale"].format(recorded=human_date(newest)))
        for fact in facts:
            if fact.confidence != "high":
                notes.append(
                    self.t["footer"]["confidence"]
                    .format(confidence=fact.confidence, basis=fact.basis or "")
                    .strip()
                )
                break
        answer.notes = notes
        answer.text = "\n".join([*answer.lines, *notes, *self._footer(answer)])
        return answer

    def one_message(self, answer: Answer) -> Answer:
        """A free-text answer within one Discord message (the views — /deadlines, the
        timeline — stay whole: their doors page them)."""
        if (answer.outcome == "answer" or answer.sources) and len(answer.text) > MAX_ANSWER_CHARS:
            answer.text = self._fit(answer.lines, answer.notes, self._footer(answer))
        return answer

    def _fit(self, lines: list[str], notes: list[str], footer: list[str]) -> str:
        """The answer's text within one Discord message: past MAX_ANSWER_CHARS the other
        sources go first, then the "Also:" lines of product duties, then the last lines
        (readings of further pairs), said in a line of their own; the first source and
        its quote always stay."""
        text = "\n".join([*lines, *notes, *footer])
        if len(text) <= MAX_ANSWER_CHARS:
            return text
        footer = footer[:2]
        also = load_stacking_rules().phrases["also"].split("{", 1)[0]
        kept = list(lines)
        while len("\n".join([*kept, *notes, *footer])) > MAX_ANSWER_CHARS:
            also_lines = [i for i, line in enumerate(kept) if line.startswith(also)]
            if not also_lines:
                break
            del kept[also_lines[-1]]
        dropped = 0
        while kept:
            cut = [self.t["footer"]["shortened"].format(count=dropped)] if dropped else []
            text = "\n".join([*kept, *cut, *notes, *footer])
            if len(text) <= MAX_ANSWER_CHARS:
                return text
            kept.pop()
            dropped += 1
        return text[: MAX_ANSWER_CHARS - 1] + "…"

    def _footer(self, answer: Answer) -> list[str]:
        if not answer.sources:
            return []
        first = answer.sources[0]
        footer = [
            self.t["footer"]["source"].format(
                title=first.title,
                publisher=first.publisher,
                published=human_date(first.published),
                url=first.url,
            )
        ]
        if first.id in answer.quotes:
            footer.append(self.t["footer"]["quote"].format(quote=answer.quotes[first.id]))
        more = answer.sources[1 : 1 + MAX_EXTRA_SOURCES]
        if more:
            titles = "; ".join(f"{s.publisher}, {human_date(s.published)} <{s.url}>" for s in more)
            extra = len(answer.sources) - 1 - len(more)
            footer.append(
                self.t["footer"]["more"].format(
                    titles=titles + (f" (+{extra} more)" if extra > 0 else "")
                )
            )
        return footer

    def text_answer(self, base: dict, text: str, outcome: str) -> Answer:
        """An answer about Tradebot itself: no facts, the usual suggestions."""
        return Answer(
            **base,
            text=text,
            facts=[],
            sources=[],
            outcome=outcome,
            suggestions=self.default_suggestions(),
            lines=[text],
        )

    def fixed(self, key: str, base: dict, outcome: str, suggestions: list[str]) -> Answer:
        text = self.t["fixed"][key]
        return Answer(
            **base,
            text=text,
            facts=[],
            sources=[],
            outcome=outcome,
            suggestions=suggestions,
            lines=[text],
        )

    # ---- suggestions --------------------------------------------------------------------

    def suggestion(self, intent: str) -> str:
        return self.suggestions.get(intent, intent)

    def default_suggestions(self) -> list[str]:
        return [
            "What is the US tariff on Chinese goods?",
            "When does the truce end?",
            "Is the court case against the tariffs over?",
        ]

    def pair_suggestions(self) -> list[str]:
        return [
            f"What are {self.names.rate_subject(i, e)}?" for i, e in self.index.rate_pairs()[:3]
        ]

    def rate_follow_ups(self, used: list[Fact]) -> list[str]:
        return ["What was the rate before, and what changed?", "When does the truce end?"]

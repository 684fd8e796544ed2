"""Answers composed only from facts valid at the question's date, each with its sources.

Rules that keep answers honest:
- a number appears only if a fact valid on the asked date carries it;
- "now" questions whose facts have ended get "no record", with the date the last record
  ended, and no number (a May-2025 rate is never presented as today's);
- the date and the source of every fact used are in the answer; low confidence,
  disagreement between sources and staleness are said in words.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot import datafiles
from bot.answer.index import FactIndex
from bot.answer.products import ProductNote
from bot.present import human_date, percent
from bot.safe_text import mentions_inert
from bot.store import Fact, Source
from bot.understand.dates import DateRange, plus_days
from bot.understand.direction import is_global
from bot.understand.engine import Understanding
from bot.understand.readings import compares_dates
from bot.understand.text import MAX_UNDERSTOOD_CHARS
from bot.vocabulary import Vocabulary

MAX_ANSWER_CHARS = 2000
MAX_READINGS = 4  # a lone country with more partners than this: list the first ones
MAX_LISTED_PAIRS = 6
PENDING_STATUSES = frozenset({"close", "near", "pending", "talks ongoing"})
VENUE_WORDS = frozenset(
    {
        "talks",
        "meeting",
        "summit",
        "arrangement",
        "agreement",
        "deal",
        "round",
        "framework",
        "consensus",
        "statement",
        "accord",
        "joint",
    }
)
CLOSE_WORDS = frozenset({"close", "closer", "near", "nearly", "almost", "imminent", "soon"})
MAX_EXTRA_SOURCES = 3
SHORT_NAMES = {"US": "US", "GB": "UK", "EU": "EU", "WORLD": "all trading partners"}
TOPIC_WORDS = {
    "negotiation_status": "trade talks",
    "leader_contact": "leaders' contacts",
    "deal_status": "trade deals",
    "court_ruling": "court rulings on the tariffs",
    "deadline": "truce deadlines",
}


def load_templates() -> dict[str, dict[str, str]]:
    text = datafiles.read_text("templates.toml")
    return tomllib.loads(text)


@dataclass
class Answer:
    question: str
    intent: str | None
    confidence: float
    text: str
    facts: list[str]
    sources: list[Source]
    suggestions: list[str]
    as_of: date
    outcome: str  # answer | no_record | out_of_scope | clarify | help | greeting | sources
    stale: bool = False
    lines: list[str] = field(default_factory=list)
    """The answer's own sentences, without the source footer (for embeds)."""
    notes: list[str] = field(default_factory=list)
    """Staleness, confidence and disagreement notes (for embed footers)."""
    quotes: dict[str, str] = field(default_factory=dict)
    """Source id -> supporting quote, for sources whose text we hold."""
    context: list[str] = field(default_factory=list)
    """Ids in `facts` cited only as context (the rate an answer's rate replaced)."""
    interpretations: list[str] = field(default_factory=list)
    """For an ambiguous question: the intents offered, in the order of `suggestions`."""
    product: str | None = None
    """The product group the question names (bot/data/products.toml), or None."""

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "intent": self.intent,
            "confidence": round(max(0.0, min(1.0, self.confidence)), 3),
            "answer": self.text,
            "facts": self.facts,
            "sources": [
                {
                    "title": s.title,
                    "url": s.url,
                    "publisher": s.publisher,
                    "published": s.published.isoformat(),
                }
                for s in self.sources
            ],
            "suggestions": self.suggestions,
            "as_of": self.as_of.isoformat(),
            "product": self.product,
        }


class Names:
    """How parties read in sentences: 'US tariffs on Chinese goods'."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def short(self, code: str | None) -> str:
        if code in SHORT_NAMES:
            return SHORT_NAMES[code]
        return self.vocab.party_name(code)

    def owner(self, code: str | None) -> str:
        """'US tariffs', "China's tariffs"."""
        if code in ("US", "EU", "GB"):
            return self.short(code)
        return f"{self.short(code)}'s"

    def goods(self, code: str | None) -> str:
        if code == "WORLD":
            return "goods from all trading partners"
        entity = self.vocab.parties.get(code or "")
        adjective = entity.demonyms[0] if entity and entity.demonyms else self.short(code)
        return f"{adjective} goods"

    def rate_subject(self, importer: str | None, exporter: str | None) -> str:
        if importer and exporter:
            return f"{self.owner(importer)} tariffs on {self.goods(exporter)}"
        if exporter:
            return f"tariffs on {self.goods(exporter)}"
        return f"{self.owner(importer)} tariffs"

    def parties(self, codes: list[str]) -> str:
        return "–".join(self.short(c) for c in codes)


def _overlaps(fact: Fact, rng: DateRange) -> bool:
    return fact.valid_from <= rng.end and (fact.valid_to is None or fact.valid_to > rng.start)


STATUS_WORDS = frozenset(
    "current currently latest news update updates situation stand stands standing going "
    "overview summary status still".split()
)
COMPONENT_WORDS = frozenset(
    "reciprocal fentanyl component components part parts breakdown ieepa baseline".split()
)
ORIGINAL_WORDS = frozenset({"originally", "original", "initially", "initial", "first"})
EVENT_EFFECT_WINDOW = timedelta(days=30)
RECENTLY_WORDS = frozenset({"recently", "recent", "lately", "just"})
RATE_QUOTING_WORDS = frozenset({"from", "to", "at", "still", "was", "is", "of"})
# Asking how or by what instrument something was done: the fact's statement says.
MEANS_WORDS = frozenset(
    {"order", "executive", "eo", "proclamation", "decree", "how", "who", "whom", "instrument"}
)
EXTENSION_WORDS = frozenset(
    {"extended", "extend", "extension", "prolonged", "renewed", "lengthened", "pushed"}
)


def _lasts(fact: Fact, until: DateRange | None) -> bool:
    """Is the fact recorded to hold until the (future) date asked about?"""
    return until is None or fact.valid_to is None or fact.valid_to > until.start


def _case_name(fact: Fact) -> str:
    """ " (Learning Resources v. Trump)" from a subject that names its case, else ""."""
    subject = fact.subject or ""
    if "(" in subject and subject.endswith(")"):
        return " (" + subject.rsplit("(", 1)[1]
    return ""


def _on(rng: DateRange) -> str:
    """ "on 15 Dec 2025" for a day, "in Apr 2025" for a month or year, "from 10 Jun 2025
    to 10 Jul 2025" for other spans."""
    label = range_label(rng)
    if rng.is_day:
        return f"on {label}"
    return f"from {label}" if " to " in label else f"in {label}"


def range_label(rng: DateRange) -> str:
    """A date range as people write it: "12 Aug 2025", "Dec 2026", "2025", "1–9 Jun 2025"."""
    start, end = rng.start, rng.end
    if start == end:
        return human_date(start)
    if start.day == 1 and plus_days(end, 1).day == 1:  # whole months
        if start.month == end.month and start.year == end.year:
            return start.strftime("%b %Y")
        if (start.month, end.month) == (1, 12) and start.year == end.year:
            return str(start.year)
    return f"{human_date(start)} to {human_date(end)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _relative(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta > 0:
        return "tomorrow" if delta == 1 else f"in {delta} days"
    return "yesterday" if delta == -1 else f"{-delta} days ago"


class Composer:
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

    # ---- entry point --------------------------------------------------------------------

    def compose(self, u: Understanding, as_of: date) -> Answer:
        self.index.refresh()
        rng = u.date_asked or self._event_day(u, as_of) or DateRange(as_of, as_of, "today")
        # A future date is answered with what is recorded today (the store cannot know
        # later facts), with a note; a rate recorded to end before that date is no record.
        future = rng if rng.start > as_of else None
        if future:
            rng = DateRange(as_of, as_of, "today")
        elif rng.end > as_of:  # "this summer", asked in June: what is known by today
            rng = DateRange(rng.start, as_of, rng.text, rng.event)
        base = {
            "question": u.question,
            "intent": u.intent,
            "confidence": u.confidence,
            "as_of": as_of,
            "product": u.product,
        }
        if u.too_long:
            return too_long_answer(u.question, as_of)
        if u.intent is None:
            return self._fixed(
                "out_of_scope",
                base,
                outcome="out_of_scope",
                suggestions=self._default_suggestions(),
            )
        if u.ambiguous:
            close = [c.intent for c in u.candidates[:3]]
            answer = self._fixed(
                "clarify",
                base,
                outcome="clarify",
                suggestions=[self._suggestion(i, u) for i in close],
            )
            answer.interpretations = close
            return answer
        handler = getattr(self, f"_{u.intent}")
        if future and u.intent in ("tariff_rate", "rate_change"):
            result: Answer = handler(u, rng, as_of, base, until=future)
        else:
            result = handler(u, rng, as_of, base)
        return self._finish(result, rng, future)

    # ---- intents ------------------------------------------------------------------------

    def _tariff_rate(
        self,
        u: Understanding,
        rng: DateRange,
        as_of: date,
        base: dict,
        until: DateRange | None = None,
    ) -> Answer:
        """`until`: a future date asked about; a rate recorded to end before it is left out."""
        pairs, lines = self._asked_pairs(u, rng)
        if not pairs:
            return self._which_tariff(base, rng)
        used: list[Fact] = []
        missing: list[str] = []
        context: list[Fact] = []  # the replaced rates: cited, not the answer
        # A named product: the all-goods rate is labelled so, never given as the product's.
        note = ProductNote.for_question(u.product, self.t)
        for n, (importer, exporter, reading) in enumerate(pairs):
            series = self.index.series(importer, exporter)
            facts = note.prefer(self._known_for(series, rng, until, as_of))
            # "usa vs china tariffs": the first-named side in full, the other way in a line
            other_way = u.direction.both_ways and n > 0 and not reading
            if not rng.is_day and rng.end == as_of:
                facts = facts[-1:]  # "since the truce", "after Busan": the rate now
            if not facts:
                missing.append(self._missing_line(importer, exporter, until or rng))
                continue
            if reading:
                lines.append(
                    self.t["rate"]["reading"].format(
                        subject=self.names.rate_subject(importer, exporter)
                    )
                )
            for fact in facts:
                if fact.exporter == "WORLD" and exporter != "WORLD":
                    lines.append(
                        self.t["rate"]["world"].format(
                            subject=note.subject(
                                _capital(self.names.rate_subject(importer, "WORLD")), fact
                            ),
                            exporter=self.names.short(exporter),
                            value=self._value(fact),
                            since=human_date(fact.valid_from),
                        )
                    )
                    lines.extend(
                        self._rate_details(fact, rng, as_of, with_value=False, series=series)
                    )
                elif other_way:
                    lines.append(
                        self.t["rate"]["other_way"].format(
                            subject=note.subject(self.names.rate_subject(importer, exporter), fact),
                            value=self._value(fact),
                            since=human_date(fact.valid_from),
                        )
                    )
                else:
                    lines.extend(self._rate_lines(fact, rng, as_of, series, note))
                used.append(fact)
                if not other_way:
                    context.extend(self._previous(fact, series))
        if not used:
            return self._no_record_text(
                base, missing, rng, suggestions=self._dated_suggestions(pairs, rng)
            )
        lines.extend(note.caveats(used))
        return self._answer(
            base, lines + missing, used, self._rate_follow_ups(used), context=context
        )

    def _rate_change(
        self,
        u: Understanding,
        rng: DateRange,
        as_of: date,
        base: dict,
        until: DateRange | None = None,
    ) -> Answer:
        pairs, lines = self._asked_pairs(u, rng)
        if not pairs:
            return self._which_tariff(base, rng)
        if len(u.dates) >= 2 and until is None and compares_dates(u.matchable.split()):
            return self._compare_dates(pairs, u.dates[0], u.dates[1], as_of, base)
        used: list[Fact] = []
        missing: list[str] = []
        for importer, exporter, _ in pairs:
            series = [f for f in self.index.series(importer, exporter) if f.valid_from <= as_of]
            current = self._known_for(series, rng, until, as_of)
            if not current:
                missing.append(self._missing_line(importer, exporter, until or rng))
                continue
            fact = current[-1]
            subject = _capital(self.names.rate_subject(importer, exporter))
            # A date with no change inside it ("vs last summer", "before the truce") is a
            # point to compare with what came after; a date with a change inside ("the cut
            # in May 2025", "on 10 Nov 2025") asks about that change.
            # A new fact with the same rate (an extension) is not a change: changes are
            # between runs of equal rates.
            changed_inside = [
                f
                for f in current
                if f.valid_from >= rng.start
                and self._run_start(series, f) is f
                and series.index(f) > 0
            ]
            after = [
                f
                for f in series
                if f.valid_from > fact.valid_from and self._value(f) != self._value(fact)
            ]
            compare_with = None
            recently = bool(RECENTLY_WORDS & set(u.words))  # "had recently been cut": before
            dated = bool(u.dates) or rng.text != "today"  # a date, or an event's weeks
            if dated and not changed_inside and after and not recently:
                compare_with, fact = current[-1], after[-1]
            elif dated and not changed_inside and not recently:
                # "did it change when the truce was extended?": no, and since when it held.
                lines.append(
                    self.t["change"]["unchanged"].format(
                        subject=subject,
                        when=_on(rng),
                        value=self._value(fact),
                        since=human_date(self._run_start(series, fact).valid_from),
                    )
                )
            start = self._run_start(series, fact)
            earlier = [f for f in series if f.valid_from < start.valid_from]
            if compare_with is not None:
                earlier = [compare_with]
            if earlier:
                previous = earlier[-1]
                lines.append(
                    self.t["change"]["changed"].format(
                        subject=subject,
                        before=self._value(previous),
                        after=self._value(fact),
                        since=human_date(start.valid_from),
                    )
                )
                used += [previous, fact]
                if start is not fact:
                    lines.append(
                        self.t["change"]["continued"].format(
                            value=self._value(fact), since=human_date(fact.valid_from)
                        )
                    )
            else:
                lines.append(
                    self.t["change"]["first"].format(
                        subject=subject,
                        value=self._value(fact),
                        day=human_date(rng.end),
                        since=human_date(fact.valid_from),
                    )
                )
                used.append(fact)
            later = [
                f
                for f in series
                if f.valid_from > fact.valid_from and self._value(f) != self._value(fact)
            ]
            if later:
                lines.append(
                    self.t["change"]["later"].format(
                        value=self._value(later[0]), since=human_date(later[0].valid_from)
                    )
                )
                used.append(later[0])
            for part in {fact, *later[:1]}:
                if part.exporter == "WORLD" and exporter != "WORLD":
                    lines.append(
                        self.t["change"]["world"].format(
                            since=human_date(part.valid_from),
                            subject=part.subject or self.names.rate_subject(importer, "WORLD"),
                            exporter=self.names.short(exporter),
                        )
                    )
            # The parts of the rate now; the old rate's parts only when the question is
            # about a part ("the reciprocal tariff ... from what to what").
            about_parts = bool(COMPONENT_WORDS & set(u.words))
            for part in ([earlier[-1]] if earlier and about_parts else []) + [fact]:
                if part.components:
                    lines.append(
                        self.t["change"]["parts"].format(
                            when=f"From {human_date(part.valid_from)}",
                            components=self._components(part),
                        )
                    )
        if not used:
            return self._no_record_text(
                base, missing, rng, suggestions=self._dated_suggestions(pairs, rng)
            )
        return self._answer(base, lines + missing, used, self._rate_follow_ups(used))

    def _known_for(
        self, series: list[Fact], rng: DateRange, until: DateRange | None, as_of: date
    ) -> list[Fact]:
        """The rates for the dates asked about. For a future date (`until`): a rate already
        scheduled for it and reported by today (a cut announced for next week), else
        today's rate if it is recorded to last until then."""
        if until is None:
            return [f for f in series if _overlaps(f, rng)]
        reported = self.index.first_reported
        scheduled = [
            f for f in series if _overlaps(f, until) and reported.get(f.id, f.recorded) <= as_of
        ]
        return scheduled or [f for f in series if _overlaps(f, rng) and _lasts(f, until)]

    def _run_start(self, series: list[Fact], fact: Fact) -> Fact:
        """The first fact of the run of equal rates that `fact` belongs to (an extension
        continues a rate; it does not change it)."""
        start = fact
        while True:
            before = [f for f in series if f.valid_to == start.valid_from and f is not start]
            if not before or self._value(before[-1]) != self._value(start):
                return start
            start = before[-1]

    def _compare_dates(
        self,
        pairs: list[tuple[str | None, str | None, bool]],
        first: DateRange,
        second: DateRange,
        as_of: date,
        base: dict,
    ) -> Answer:
        """ "April 2025 compared with now": the rate at the end of each period."""
        if second.start > as_of:
            second = DateRange(as_of, as_of, "today")
        lines: list[str] = []
        used: list[Fact] = []
        missing: list[str] = []
        for importer, exporter, _ in pairs:
            series = self.index.series(importer, exporter)
            at = [
                next(
                    (f for f in reversed(series) if _overlaps(f, DateRange(d.end, d.end, ""))), None
                )
                for d in (first, second)
            ]
            if None in at:
                for d, fact in zip((first, second), at, strict=True):
                    if fact is None:
                        missing.append(self._missing_line(importer, exporter, d))
                continue
            then, now = at
            lines.append(
                self.t["change"]["compare"].format(
                    subject=_capital(self.names.rate_subject(importer, exporter)),
                    before=self._value(then),
                    then=_on(first),
                    after=self._value(now),
                    now=_on(second),
                    since=human_date(now.valid_from),
                )
            )
            used += [then, now] if then is not now else [then]
        if not used:
            return self._no_record_text(base, missing, first, suggestions=self._pair_suggestions())
        return self._answer(base, lines + missing, used, self._rate_follow_ups(used))

    def _truce(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        parties = self._topic_parties(u, default=["US", "CN"])
        deals = [
            f
            for f in self._valid("deal_status", parties, rng, u)
            if f.subject and ("truce" in f.subject.lower() or "arrangement" in f.subject.lower())
        ]
        deadlines = [
            f
            for f in self._valid("deadline", parties, rng, u)
            if f.subject and "truce" in f.subject.lower()
        ]
        # "when did the Geneva truce take effect?": that truce, even once another replaced it
        named = [f for f in self._named_events(u, "deal_status", as_of) if f not in deals]
        deals = named[:1] + deals
        words = set(u.words)
        if words & ORIGINAL_WORDS:  # "when was it originally supposed to end?"
            first = self._truce_deadlines(parties, date.min, rng.end)[:1]
            deadlines = first + [f for f in deadlines if f not in first]
        elif words & EXTENSION_WORDS and rng.end < as_of:
            # "back in May there was a pause; did it get extended?": the latest one too.
            now = self._truce_deadlines(parties, as_of, as_of)[-1:]
            deadlines += [f for f in now if f not in deadlines]
        lines: list[str] = []
        # The named truce first, then today's arrangement if another replaced it.
        shown_deals = list(dict.fromkeys(deals[:1] + deals[-1:])) if named else deals[-1:]
        for fact in shown_deals:
            lines.append(self._status_line(fact, as_of))
        # "extended in August": the original date, the extension in that range and today's
        # date, oldest first (at most three).
        shown = (
            deadlines[-1:]
            if len(deadlines) < 2 or not words & (ORIGINAL_WORDS | EXTENSION_WORDS)
            else [deadlines[0], *deadlines[1:][-2:]]
        )
        for fact in shown:
            line = self._deadline_line(fact, as_of)
            if words & MEANS_WORDS and fact.status == "extended" and fact.statement:
                line += f" {fact.statement}"  # "which executive order extended it?"
            lines.append(line)
            if fact.basis:
                lines.append(self.t["deadline"]["basis"].format(basis=fact.basis))
        used = shown_deals + shown
        if not used:
            topic = "the truce"
            if set(parties) - {"US", "CN"}:
                topic += f" involving {self.names.parties(parties)}"
            return self._topic_missing(base, "deal_status", topic, rng)
        return self._answer(
            base,
            lines,
            used,
            ["What is the US tariff on Chinese goods?", "Where do the US–China talks stand?"],
        )

    def _truce_deadlines(self, parties: list[str], start: date, end: date) -> list[Fact]:
        """The truce's deadlines valid at some point between `start` and `end`, oldest first."""
        return [
            f
            for f in self._valid("deadline", parties, DateRange(start, end, ""))
            if f.subject and "truce" in f.subject.lower()
        ]

    def _negotiation_status(
        self, u: Understanding, rng: DateRange, as_of: date, base: dict
    ) -> Answer:
        return self._status_answer(
            "negotiation_status",
            u,
            rng,
            base,
            ["Have Trump and Xi spoken?", "When does the truce end?"],
        )

    def _leaders(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        # The officials' countries and any other party named, except places ("Trump and Xi
        # in Korea"): "Has Trump spoken with Japan's prime minister?" is about US and Japan.
        named = [p for p in u.parties if p not in u.venues]
        officials = {self.vocab.officials[o].party for o in u.officials} - {None}
        parties = sorted(officials | set(named))  # type: ignore[arg-type]
        return self._status_answer(
            "leader_contact",
            u,
            rng,
            base,
            ["Where do the US–China talks stand?", "What is the US tariff on Chinese goods?"],
            parties=parties,
        )

    def _deals(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        parties = self._topic_parties(u)
        deals = self._valid("deal_status", parties, rng, u)
        if CLOSE_WORDS & set(u.words):  # "which deals are close?": pending ones only
            deals = [f for f in deals if f.status in PENDING_STATUSES]
        if not deals and parties and parties != ["US"]:  # "US deals" are any deals
            talks = self._valid("negotiation_status", parties, rng, u)
            if talks:
                lines = [f"No deal is recorded for {self.names.parties(parties)}."]
                lines += [self._status_line(f) for f in talks[-2:]]
                return self._answer(base, lines, talks[-2:], ["Which trade deals are close?"])
        if not deals:
            return self._topic_missing(base, "deal_status", TOPIC_WORDS["deal_status"], rng)
        chosen = deals[::-1][:3]
        return self._answer(
            base,
            [self._status_line(f) for f in chosen],
            chosen,
            ["Where do the US–Japan talks stand?", "When does the truce end?"],
        )

    def _court_ruling(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        rulings = [f for f in self.index.kind("court_ruling") if f.valid_from <= rng.end]
        courts = [c for c in u.courts if c not in u.excluded]
        if len(courts) < len(u.courts):  # "another court besides the CIT": its case too
            cases = {f.subject for f in rulings if f.court in u.excluded}
            rulings = [
                f for f in rulings if f.court not in u.excluded and f.subject not in cases
            ] or rulings
        if courts:
            # The named court's rulings and the rest of the same case (a stay of the trade
            # court's ruling is the appeals court's, but answers "is the CIT ruling paused?").
            cases = {f.subject for f in rulings if f.court in courts}
            named = [f for f in rulings if f.court in courts or f.subject in cases]
            rulings = named or rulings
        if not rulings:
            return self._topic_missing(base, "court_ruling", "a court ruling", rng)
        rulings = sorted(rulings, key=lambda f: (f.valid_from, f.id))
        latest = rulings[-1]
        lines = [
            self.t["court"]["latest"].format(
                since=human_date(latest.valid_from),
                court=self.vocab.court_name(latest.court),
                status=latest.status,
                statement=latest.statement,
            )
        ]
        earlier = rulings[-4:-1][::-1]
        if earlier:
            items = "; ".join(
                f"{human_date(f.valid_from)} {self.vocab.court_name(f.court)}"
                f"{_case_name(f) if f.subject != latest.subject else ''}: {f.status}"
                for f in earlier
            )
            lines.append(self.t["court"]["earlier"].format(items=items))
        used = [latest, *earlier]
        court_deadlines = [
            f
            for f in self.index.kind("deadline")
            if _overlaps(f, rng)
            and any(w in (f.subject or "").lower() for w in ("court", "circuit"))
        ]
        for fact in court_deadlines[-1:]:
            lines.append(self._deadline_line(fact, as_of) + " " + fact.statement)
            used.append(fact)
        return self._answer(
            base,
            lines,
            used,
            ["What did the Supreme Court decide?", "What is the US tariff on Chinese goods?"],
        )

    def _sources(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        sources = self.index.sources
        article = next((s for s in sources.values() if s.document), None)
        publishers = sorted({s.publisher for s in sources.values() if s is not article})
        text = self.t["fixed"]["sources"].format(
            count=len(sources),
            article=f"{article.publisher}, {human_date(article.published)}" if article else "—",
            publishers=", ".join(publishers[:6]) + (" and others" if len(publishers) > 6 else ""),
            newest=human_date(self.index.newest_recorded),
        )
        return self._text_answer(base, text, "sources")

    def _help(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        known = self.index.rate_pairs()
        pairs = ", ".join(self.names.rate_subject(i, e) for i, e in known[:MAX_LISTED_PAIRS])
        if len(known) > MAX_LISTED_PAIRS:
            pairs += f" and {len(known) - MAX_LISTED_PAIRS} more rates"
        topics = (
            f"{pairs}; the US–China truce and its deadlines; trade talks; leaders' "
            "contacts; trade deals; the court cases over the tariffs"
        )
        text = self.t["fixed"]["help"].format(
            topics=topics, newest=human_date(self.index.newest_recorded)
        )
        return self._text_answer(base, text, "help")

    def _greeting(self, u: Understanding, rng: DateRange, as_of: date, base: dict) -> Answer:
        return self._fixed(
            "greeting", base, outcome="greeting", suggestions=self._default_suggestions()
        )

    # ---- structured views (slash commands) -----------------------------------------------

    def deadlines(self, as_of: date, recent_days: int = 120) -> Answer:
        """Deadlines due from `recent_days` ago onwards, as recorded now (soonest first)."""
        base = {"question": "/deadlines", "intent": "truce", "confidence": 1.0, "as_of": as_of}
        due = sorted(
            (
                f
                for f in self.index.kind("deadline")
                if f.due
                and f.due >= plus_days(as_of, -recent_days)
                and f.valid_from <= as_of
                and (f.valid_to is None or f.valid_to > as_of)
            ),
            key=lambda f: f.due or as_of,
        )
        if not due:
            latest = sorted(
                (f for f in self.index.kind("deadline") if f.due), key=lambda f: f.due or as_of
            )
            lines = ["No deadline is due in the recorded window."]
            if latest:
                lines.append(
                    f"The last recorded deadline was {human_date(latest[-1].due)}: "
                    f"{latest[-1].statement}"
                )
            return self._finish(
                self._answer(base, lines, latest[-1:], []), DateRange(as_of, as_of, "today")
            )
        lines = [f"{self._deadline_line(f, as_of)} {f.statement}" for f in due]
        return self._finish(
            self._answer(base, lines, due, ["When does the truce end?"]),
            DateRange(as_of, as_of, "today"),
        )

    def timeline(self, importer: str, exporter: str, as_of: date) -> Answer:
        base = {
            "question": f"/timeline {importer} {exporter}",
            "intent": "rate_change",
            "confidence": 1.0,
            "as_of": as_of,
        }
        series = self.index.pair(importer, exporter)
        subject = _capital(self.names.rate_subject(importer, exporter))
        rng = DateRange(as_of, as_of, "today")
        if not series:
            return self._no_record_text(
                base,
                [self.t["no_record"]["pair"].format(subject=subject)],
                rng,
                suggestions=self._pair_suggestions(),
            )
        lines = [f"{subject}:"]
        for fact in series:
            end = human_date(fact.valid_to) if fact.valid_to else "no end recorded"
            parts = f" ({self._components(fact)})" if fact.components else ""
            note = f" [{fact.confidence} confidence]" if fact.confidence != "high" else ""
            lines.append(
                f"• {human_date(fact.valid_from)} – {end}: {self._value(fact)}{parts}{note}"
            )
        return self._finish(self._answer(base, lines, series, []), rng)

    def fact_card(self, fact_id: str, as_of: date) -> Answer:
        """One fact with every source and quote (for /sources)."""
        base = {
            "question": f"/sources {fact_id}",
            "intent": "sources",
            "confidence": 1.0,
            "as_of": as_of,
        }
        fact = self.index.by_id.get(fact_id)
        rng = DateRange(as_of, as_of, "today")
        if fact is None:
            line = f"I don't have a current fact with id '{fact_id}'."
            return Answer(
                **base,
                text=line,
                facts=[],
                sources=[],
                outcome="no_record",
                suggestions=[],
                lines=[line],
            )
        lines = [
            fact.statement,
            f"Valid from {human_date(fact.valid_from)}"
            + (f" until {human_date(fact.valid_to)}" if fact.valid_to else "")
            + f"; recorded {human_date(fact.recorded)}; confidence {fact.confidence}.",
        ]
        if fact.basis:
            lines.append(f"Basis: {fact.basis}")
        answer = self._answer(base, lines, [fact], [])
        answer.quotes = {c.source_id: c.quote for c in fact.citations if c.quote}
        return self._finish(answer, rng)

    # ---- shared pieces ------------------------------------------------------------------

    def _pairs(self, u: Understanding) -> list[tuple[str | None, str | None, bool]]:
        """(importer, exporter, is_a_reading) pairs the question asks about."""
        d = u.direction
        if d.importer and d.exporter:
            if d.both_ways:
                return [(d.importer, d.exporter, False), (d.exporter, d.importer, False)]
            return [(d.importer, d.exporter, False)]
        self.index.refresh()
        if d.exporter:
            # Who taxes this party's goods: by name, or through a tariff on every partner.
            importers = list(
                dict.fromkeys(
                    [
                        *self.index.importers_of.get(d.exporter, []),
                        *self.index.importers_of.get("WORLD", []),
                    ]
                )
            )
            if not importers:
                return [(None, d.exporter, False)]
            return [(i, d.exporter, True) for i in importers[:MAX_READINGS]]
        if d.importer:
            exporters = self.index.exporters_of.get(d.importer, [])
            if not exporters:
                return [(d.importer, None, False)]
            return [(d.importer, e, True) for e in exporters[:MAX_READINGS]]
        if is_global(u.words):
            return [(i, "WORLD", False) for i in self.index.importers_of.get("WORLD", [])]
        return []

    def _asked_pairs(
        self, u: Understanding, rng: DateRange
    ) -> tuple[list[tuple[str | None, str | None, bool]], list[str]]:
        """The pairs a rate question is about, and the lines that say how they were read
        when the question named no country (none: "which tariff?")."""
        pairs = self._pairs(u)
        if pairs:
            return pairs, []
        pairs, note = self._unnamed_pairs(u, rng)
        return pairs, [note] if pairs else []

    def _unnamed_pairs(
        self, u: Understanding, rng: DateRange
    ) -> tuple[list[tuple[str | None, str | None, bool]], str]:
        """A rate question naming no country ("is 145% still a thing?", "what's the
        current tariff situation?"): the tracked pairs whose rate it quotes, or else every
        tracked pair with a rate on the date, and a line saying so. A question naming a
        country we cannot place gets none: that is "no record", not a guess."""
        if u.parties:
            return [], ""
        self.index.refresh()
        quoted = {w for w in u.words if w.endswith("%")}
        # "went down from 145 to what?": a bare number that is a tracked rate, after a word
        # that quotes a rate (a year or a count is not one).
        quoted |= {
            f"{w}%"
            for before, w in zip(u.words, u.words[1:], strict=False)
            if before in RATE_QUOTING_WORDS
            and w.isdigit()
            and len(w) <= 3
            and float(w) in self.index.pairs_by_rate
        }
        if quoted:
            rates = {float(q.rstrip("%")) for q in quoted if q[:-1].replace(".", "", 1).isdigit()}
            pairs = list(
                dict.fromkeys(p for r in sorted(rates) for p in self.index.pairs_by_rate.get(r, []))
            )[:MAX_READINGS]
            if not pairs:
                return [], ""
            subjects = " and ".join(self.names.rate_subject(*p) for p in pairs)
            note = self.t["rate"]["quoted"].format(
                quoted=", ".join(sorted(quoted)), subject=subjects
            )
            return [(i, e, False) for i, e in pairs], note
        if not u.dates and not STATUS_WORDS & set(u.words):
            return [], ""  # "what is a tariff?" is not a question about today's rates
        pairs = [
            p
            for p in self.index.recent_pairs
            if any(_overlaps(f, rng) for f in self.index.series(*p))
        ]
        return [(i, e, False) for i, e in pairs], self.t["rate"]["unnamed"]

    def _which_tariff(self, base: dict, rng: DateRange) -> Answer:
        """A tariff question without any party: say so and offer the tracked pairs."""
        line = self.t["no_record"]["pair"].format(subject="that tariff")
        return self._no_record_text(base, [line], rng, suggestions=self._pair_suggestions())

    def _missing_line(self, importer: str | None, exporter: str | None, rng: DateRange) -> str:
        subject = self.names.rate_subject(importer, exporter)
        series = self.index.series(importer, exporter)
        if not series:
            return self.t["no_record"]["pair"].format(subject=subject)
        day = _on(rng)
        line = self.t["no_record"]["date"].format(subject=subject, day=day)
        ended = [f for f in series if f.valid_to and f.valid_to <= rng.start]
        if ended:
            return f"{line} " + self.t["no_record"]["latest_ended"].format(
                until=human_date(max(f.valid_to for f in ended if f.valid_to))
            )
        return f"{line} " + self.t["no_record"]["starts"].format(
            since=human_date(min(f.valid_from for f in series))
        )

    def _previous(self, fact: Fact, series: list[Fact] | None = None) -> list[Fact]:
        """The rate this one replaced (ended the day it began), if recorded."""
        if series is None:
            series = self.index.pair(fact.importer, fact.exporter)
        return [f for f in series if f.valid_to == fact.valid_from and f is not fact][-1:]

    def _rate_lines(
        self,
        fact: Fact,
        rng: DateRange,
        as_of: date,
        series: list[Fact] | None = None,
        note: ProductNote | None = None,
    ) -> list[str]:
        subject = _capital(self.names.rate_subject(fact.importer, fact.exporter))
        if note is not None:
            subject = note.subject(subject, fact)  # "(all goods)" when a product was asked
        previous = self._previous(fact, series)
        replaced = ""
        if previous:
            before = self._value(previous[-1])
            replaced = " (unchanged)" if before == self._value(fact) else f" (before: {before})"
        lines = [
            self.t["rate"]["value"].format(
                subject=subject,
                value=self._value(fact),
                since=human_date(fact.valid_from),
                replaced=replaced,
            )
        ]
        return lines + self._rate_details(fact, rng, as_of, with_value=True, series=series)

    def _rate_details(
        self,
        fact: Fact,
        rng: DateRange,
        as_of: date,
        with_value: bool,
        series: list[Fact] | None = None,
    ) -> list[str]:
        lines = []
        if fact.components:
            lines.append(self.t["rate"]["components"].format(components=self._components(fact)))
        if fact.valid_to and fact.valid_to <= as_of:
            if series is None:
                series = self.index.pair(fact.importer, fact.exporter)
            successor = any(f.valid_from == fact.valid_to for f in series)
            key = "until_past" if successor else "ended"
            lines.append(self.t["rate"][key].format(until=human_date(fact.valid_to)))
        elif fact.valid_to:
            lines.append(self.t["rate"]["until_future"].format(until=human_date(fact.valid_to)))
        if fact.disputed:
            lines.append(self.t["rate"]["disputed"].format(disputed=fact.disputed))
        return lines

    def _value(self, fact: Fact) -> str:
        if fact.rate is not None:
            return percent(fact.rate)
        return " or ".join(percent(r) for r in fact.rate_candidates) + " (sources disagree)"

    def _components(self, fact: Fact) -> str:
        return " + ".join(f"{percent(c.rate)} {c.name}" for c in fact.components)

    def _deadline_line(self, fact: Fact, as_of: date) -> str:
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
            relative=_relative(fact.due, as_of),
        )

    def _topic_parties(self, u: Understanding, default: list[str] | None = None) -> list[str]:
        named = [p for p in u.parties if p not in u.excluded]
        if len(set(named) - u.venues) >= 1:  # "a meeting in Switzerland between X and Y"
            named = [p for p in named if p not in u.venues]
        parties = [p for p in named if p != "US"] or (["US"] if "US" in named else [])
        return parties or list(default or [])

    def _valid(
        self, kind: str, parties: list[str], rng: DateRange, u: Understanding | None = None
    ) -> list[Fact]:
        """Facts of `kind` overlapping the dates and involving all `parties`.

        A capital can name a venue rather than a party ("the London talks", "the Kuala
        Lumpur arrangement", "the suspension after Kuala Lumpur"): when nothing matches,
        parties named only by a capital followed by a venue word, or by a capital next to
        other named parties, are dropped and the search repeated. A capital alone is never
        dropped: "talks with Seoul?" must not become "any talks".
        """
        facts = [f for f in self.index.kind(kind) if _overlaps(f, rng)]
        if u is not None and u.excluded:  # "deals besides China"
            facts = [f for f in facts if not u.excluded & set(f.parties)]
        matching = [f for f in facts if all(p in f.parties for p in parties)]
        if not matching and parties and u is not None:
            party_mentions = [m for m in u.mentions if m.kind == "party"]
            named = {m.code for m in party_mentions if m.form != "capital"}
            venues = {
                m.code
                for m in party_mentions
                if m.form == "capital"
                and m.code not in named
                and VENUE_WORDS & set(u.tokens[m.end : m.end + 2])
            }
            fewer = [p for p in parties if p not in venues] or parties  # never "any"
            if fewer == parties and named:
                capitals = {m.code for m in party_mentions if m.form == "capital"} - named
                fewer = [p for p in parties if p not in capitals] or parties
            if fewer != parties:
                matching = [f for f in facts if all(p in f.parties for p in fewer)]
        if not matching and parties and u is not None:
            # A capital that the facts themselves name as a place ("some Kuala Lumpur
            # thing"): the facts that name it, among those involving the other parties.
            places = {
                m.code: m.text
                for m in u.mentions
                if m.kind == "party" and m.form == "capital" and m.code in parties
            }
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

    def _status_line(self, fact: Fact, as_of: date | None = None) -> str:
        """A status, with its end when it no longer held on `as_of` (a named past event)."""
        subject = fact.subject or self.names.parties(list(fact.parties))
        ended = as_of is not None and fact.valid_to is not None and fact.valid_to <= as_of
        return self.t["status"]["ended" if ended else "line"].format(
            subject=subject,
            status=fact.status,
            since=human_date(fact.valid_from),
            until=human_date(fact.valid_to) if fact.valid_to else "",
            statement=fact.statement,
        )

    def _status_answer(
        self,
        kind: str,
        u: Understanding,
        rng: DateRange,
        base: dict,
        follow_ups: list[str],
        parties: list[str] | None = None,
        limit: int = 2,
    ) -> Answer:
        parties = self._topic_parties(u) if parties is None else parties
        named = self._named_events(u, kind, rng)
        if named:  # "the London talks": a place, not a party to them
            places = {m.code for m in u.mentions if m.kind == "party" and m.form == "capital"}
            named_too = {m.code for m in u.mentions if m.kind == "party" and m.form != "capital"}
            parties = [p for p in parties if p not in places - named_too]
            parties = parties or [p for p in named[0].parties if p != "US"]  # its sides
        facts = self._valid(kind, parties, rng, u)
        if not facts and not named:
            topic = TOPIC_WORDS[kind]
            if parties:
                topic += f" involving {self.names.parties(parties)}"
            answer = self._topic_missing(base, kind, topic, rng)
            if kind == "negotiation_status":  # "/status JP CN": which talks there are
                answer = self._with_tracked_talks(answer)
            return answer
        # Newest per subject first; at most `limit` subjects.
        newest: dict[str, Fact] = {}
        for fact in facts:
            newest[fact.subject or fact.id] = fact
        chosen = sorted(
            newest.values(),
            key=lambda f: (f.status in PENDING_STATUSES, f.valid_from),
            reverse=True,
        )[:limit]
        # The event the question names comes first, even once later news replaced it.
        chosen = [*named[:1], *[f for f in chosen if f not in named[:1]]][: max(limit, 2)]
        lines = [self._status_line(f, rng.end) for f in chosen]
        return self._answer(base, lines, chosen, follow_ups)

    def _event_day(self, u: Understanding, as_of: date) -> DateRange | None:
        """ "What did the tariff go from and to in the Geneva truce?": a change question
        naming an event and no date asks about the weeks after it began (a meeting's cut
        takes effect days later)."""
        if u.intent != "rate_change":
            return None
        for fid in u.named_events:
            fact = self.index.by_id.get(fid)
            if fact is not None and fact.valid_from <= as_of:
                end = min(fact.valid_from + EVENT_EFFECT_WINDOW, as_of)
                return DateRange(fact.valid_from, end, fact.subject or fid)
        return None

    def _named_events(self, u: Understanding, kind: str, day: DateRange | date) -> list[Fact]:
        """Facts of `kind` the question names as its topic, begun by `day` (or the end of a
        range of days)."""
        last = day.end if isinstance(day, DateRange) else day
        named = (self.index.by_id.get(fid) for fid in u.named_events)
        return [f for f in named if f is not None and f.kind == kind and f.valid_from <= last]

    def _with_tracked_talks(self, answer: Answer) -> Answer:
        """A "no record" of talks, with the talks that are tracked (any date)."""
        subjects = sorted(
            {
                f.subject or self.names.parties(list(f.parties))
                for f in self.index.kind("negotiation_status")
            }
        )
        if not subjects:
            return answer
        line = f"Talks I track: {', '.join(subjects)}."
        answer.lines = [*answer.lines, line]
        answer.text = "\n".join(answer.lines)
        return answer

    def _topic_missing(self, base: dict, kind: str, topic: str, rng: DateRange) -> Answer:
        day = _on(rng)
        line = self.t["no_record"]["topic"].format(topic=topic, day=day)
        return self._no_record_text(base, [line], rng, suggestions=self._default_suggestions())

    def _no_record_text(
        self, base: dict, lines: list[str], rng: DateRange, suggestions: list[str]
    ) -> Answer:
        known = self.index.rate_pairs()
        pairs = ", ".join(self.names.rate_subject(i, e) for i, e in known[:MAX_LISTED_PAIRS])
        if len(known) > MAX_LISTED_PAIRS:
            pairs += f" and {len(known) - MAX_LISTED_PAIRS} more"
        if any("tariffs" in line for line in lines):
            lines = [*lines, self.t["no_record"]["tracked"].format(pairs=pairs)]
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

    def _answer(
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
        quotes: dict[str, str] = {}
        for fact in unique:
            for citation in fact.citations:
                source = self.index.sources.get(citation.source_id)
                if source and source not in sources:
                    sources.append(source)
                if source and citation.quote and source.id not in quotes:
                    quotes[source.id] = citation.quote
        return Answer(
            **base,
            text="",
            facts=[f.id for f in unique],
            sources=sources,
            suggestions=suggestions,
            outcome="answer",
            lines=lines,
            quotes=quotes,
            context=[f.id for f in context or [] if f.id not in {u.id for u in used}],
        )

    def _finish(self, answer: Answer, rng: DateRange, future: DateRange | None = None) -> Answer:
        if answer.outcome != "answer":
            answer.text = _fit(answer.text)
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
        footer = []
        if answer.sources:
            first = answer.sources[0]
            footer.append(
                self.t["footer"]["source"].format(
                    title=first.title,
                    publisher=first.publisher,
                    published=human_date(first.published),
                    url=first.url,
                )
            )
            if first.id in answer.quotes:
                footer.append(self.t["footer"]["quote"].format(quote=answer.quotes[first.id]))
            more = answer.sources[1 : 1 + MAX_EXTRA_SOURCES]
            if more:
                titles = "; ".join(
                    f"{s.publisher}, {human_date(s.published)} <{s.url}>" for s in more
                )
                extra = len(answer.sources) - 1 - len(more)
                footer.append(
                    self.t["footer"]["more"].format(
                        titles=titles + (f" (+{extra} more)" if extra > 0 else "")
                    )
                )
        answer.text = _fit("\n".join([*answer.lines, *notes, *footer]))
        return answer

    def _text_answer(self, base: dict, text: str, outcome: str) -> Answer:
        """An answer about Tradebot itself: no facts, the usual suggestions."""
        return Answer(
            **base,
            text=text,
            facts=[],
            sources=[],
            outcome=outcome,
            suggestions=self._default_suggestions(),
            lines=[text],
        )

    def _fixed(self, key: str, base: dict, outcome: str, suggestions: list[str]) -> Answer:
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

    def _suggestion(self, intent: str, u: Understanding) -> str:
        return self.suggestions.get(intent, intent)

    def _default_suggestions(self) -> list[str]:
        return [
            "What is the US tariff on Chinese goods?",
            "When does the truce end?",
            "Is the court case against the tariffs over?",
        ]

    def _pair_suggestions(self) -> list[str]:
        return [
            f"What are {self.names.rate_subject(i, e)}?" for i, e in self.index.rate_pairs()[:3]
        ]

    def _dated_suggestions(
        self, pairs: list[tuple[str | None, str | None, bool]], rng: DateRange
    ) -> list[str]:
        """For a pair whose records ended before the date: ask about its last recorded day."""
        out = []
        for importer, exporter, _ in pairs:
            ended = [
                f
                for f in self.index.pair(importer, exporter)
                if f.valid_to and f.valid_to <= rng.start
            ]
            if ended:
                last = max(f.valid_to for f in ended if f.valid_to) - timedelta(days=1)
                out.append(
                    f"What were {self.names.rate_subject(importer, exporter)} on "
                    f"{human_date(last)}?"
                )
        return (out + self._pair_suggestions())[:3]

    def _rate_follow_ups(self, used: list[Fact]) -> list[str]:
        return ["What was the rate before, and what changed?", "When does the truce end?"]


def empty_question_answer(question: str, as_of: date) -> Answer:
    return _canned(
        question,
        as_of,
        'That message has no question in it. Ask me about trade tariffs, e.g. "What is the '
        'US tariff on Chinese goods?"',
    )


def too_long_answer(question: str, as_of: date) -> Answer:
    """A question longer than the engine reads: said so, with its length, instead of
    answering a part of it as if that were the question."""
    return _canned(
        question,
        as_of,
        f"That question is {len(question.strip()):,} characters long; I read questions of up "
        f"to {MAX_UNDERSTOOD_CHARS:,} characters, whole. Ask one question at a time, e.g. "
        '"What is the US tariff on Chinese goods?"',
    )


def _canned(question: str, as_of: date, text: str) -> Answer:
    """An answer that is only guidance: no intent, no facts, one example to ask."""
    return Answer(
        question=question,
        intent=None,
        confidence=0.0,
        text=text,
        facts=[],
        sources=[],
        suggestions=["What is the US tariff on Chinese goods?"],
        as_of=as_of,
        outcome="out_of_scope",
        lines=[text],
    )


def _fit(text: str) -> str:
    """At most 2,000 characters, cut at a line break, never mid-word."""
    text = mentions_inert(text)  # a link's "@" (medium.com/@author) stays
    if len(text) <= MAX_ANSWER_CHARS:
        return text
    cut = text[: MAX_ANSWER_CHARS - 2]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut[: cut.rfind(" ")]
    return cut + " …"

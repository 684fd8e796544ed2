"""From an `Understanding` (words, tokens, mentions) to the `Query` the composer reads.

Everything the composer once re-read from the words is decided here, once: which date
is asked, which parties are set aside or named only as a place, and the flags for how
the question is asked (word lists in bot/data/intents.toml, `[query_words]`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from bot import datafiles
from bot.dates import DateRange
from bot.query import Query
from bot.search_words import load_retrieval_words
from bot.understand.dates import SENTINEL
from bot.understand.direction import is_global
from bot.understand.entities import Mention
from bot.understand.readings import compares_dates
from bot.understand.rules import RulesError

if TYPE_CHECKING:
    from bot.understand.engine import Understanding

QUERY_WORD_LISTS = (
    "recently",
    "components",
    "original",
    "extension",
    "means",
    "close",
    "status",
    "rate_quoting",
    "venue",
    "excluding",
    "made",
    "not_a_place_after",
    "above",
    "below",
)
PHRASE_LISTS = frozenset({"excluding"})
"""Lists that may hold phrases; the others hold single words."""
SAID = r"\b(?:said|says|claimed|reported|announced|promised|predicted|warned)\s+"
_SAID_RX = re.compile(SAID)
# A sentence ends at "!" or "?", or at "." after a word of 3+ letters ("v." in a case
# name, "U.S." and "D.C." do not end one).
SENTENCES = re.compile(r"(?:(?<=[!?])|(?<=[a-z]{3}\.))\s+(?=\S)", re.IGNORECASE)


@dataclass(frozen=True)
class QueryWords:
    """The `[query_words]` lists of intents.toml, as sets."""

    recently: frozenset[str]
    components: frozenset[str]
    original: frozenset[str]
    extension: frozenset[str]
    means: frozenset[str]
    close: frozenset[str]
    status: frozenset[str]
    rate_quoting: frozenset[str]
    venue: frozenset[str]
    excluding: frozenset[str]
    made: frozenset[str]
    not_a_place_after: frozenset[str]
    above: frozenset[str]
    below: frozenset[str]

    excluding_first: frozenset[str] = field(init=False)
    """The first words of the `excluding` phrases (a quick test before the search)."""

    def __post_init__(self) -> None:
        firsts = frozenset(phrase.split()[0] for phrase in self.excluding)
        object.__setattr__(self, "excluding_first", firsts)


def parse_query_words(data: dict) -> QueryWords:
    """Validate the `[query_words]` table: every list present, lower-case single words."""
    table = data.get("query_words")
    if not isinstance(table, dict):
        raise RulesError("intents.toml: [query_words] is missing")
    unknown = set(table) - set(QUERY_WORD_LISTS)
    if unknown:
        raise RulesError(f"intents.toml: [query_words] has unknown list(s) {sorted(unknown)}")
    lists = {}
    for name in QUERY_WORD_LISTS:
        words = table.get(name)
        if not isinstance(words, list) or not words:
            raise RulesError(f"intents.toml: [query_words] {name} must be a non-empty list")
        shape = r"[a-z0-9]+(?: [a-z0-9]+)*" if name in PHRASE_LISTS else r"[a-z0-9]+"
        for word in words:
            if not isinstance(word, str) or not re.fullmatch(shape, word):
                what = "a lower-case phrase" if name in PHRASE_LISTS else "one lower-case word"
                raise RulesError(f"intents.toml: [query_words] {name}: {word!r} is not {what}")
        lists[name] = frozenset(words)
    return QueryWords(**lists)


@lru_cache(maxsize=1)
def load_query_words() -> QueryWords:
    return parse_query_words(tomllib.loads(datafiles.read_text("intents.toml")))


# ---- moved from the answer side: read from the words once -------------------------------


def date_asked(question: str, dates: list[DateRange]) -> DateRange | None:
    """The date the question is about: with several, the one in its closing question
    ("my supplier says it dropped in November. What is it now?" asks about now)."""
    lowered = question.lower()
    # "still stalled, like Bessent said in May?": when someone said it, not the date asked
    kept = dates
    if _SAID_RX.search(lowered):
        kept = [d for d in dates if not re.search(SAID + re.escape(d.text), lowered)]
    if len(kept) < len(dates) and not kept:
        return None
    if len(kept) < 2:
        return kept[0] if kept else None
    parts = [p for p in SENTENCES.split(lowered) if p.strip()]
    if len(parts) > 1 and parts[-1].rstrip().endswith("?"):
        for d in kept:
            if d.text in parts[-1] and d.text not in " ".join(parts[:-1]):
                return d
    return kept[0]


def excluded(tokens: list[str], mentions: list[Mention]) -> frozenset[str]:
    """Parties and courts the question sets aside ("deals besides China", "another
    court apart from the CIT"): answers leave their facts out."""
    words = load_query_words()
    if words.excluding_first.isdisjoint(tokens):  # most questions set nothing aside
        return frozenset()
    out = set()
    for m in mentions:
        before = " ".join(tokens[max(0, m.start - 3) : m.start])
        if any(f" {w} " in f" {before} " for w in words.excluding):
            out.add(m.code)
    return frozenset(out)


def venue_codes(tokens: list[str], mentions: list[Mention]) -> set[str]:
    """Parties named only as a place ("Trump and Xi met in Korea", "talks at Geneva")."""
    words = load_query_words()
    parties = [m for m in mentions if m.kind == "party"]
    starts = {m.start for m in parties}
    places = {
        m.code
        for m in parties
        if m.start > 0
        and tokens[m.start - 1] in ("in", "at")
        and not (m.start > 1 and tokens[m.start - 2] in words.made)
        # "progress in EU-US talks", "in US-China trade": a pair or a topic follows
        and m.end not in starts
        and not (m.end < len(tokens) and tokens[m.end] in words.not_a_place_after)
    }
    elsewhere = {
        m.code
        for m in mentions
        if m.kind == "party" and not (m.start > 0 and tokens[m.start - 1] in ("in", "at"))
    }
    return places - elsewhere


def _capital_parts(
    tokens: list[str], mentions: list[Mention], venue_words: frozenset[str]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Parties named outright, (code, text) of those named by a capital, and capitals
    followed by a venue word ("the London talks") that name no party otherwise."""
    parties = [m for m in mentions if m.kind == "party"]
    outright = tuple(dict.fromkeys(m.code for m in parties if m.form != "capital"))
    capitals = tuple((m.code, m.text) for m in parties if m.form == "capital")
    venues = tuple(
        dict.fromkeys(
            m.code
            for m in parties
            if m.form == "capital"
            and m.code not in outright
            and venue_words & set(tokens[m.end : m.end + 2])
        )
    )
    return outright, capitals, venues


def _quoted(words: list[str], quoting: frozenset[str]) -> tuple[bool, tuple[float, ...], tuple]:
    """Percentages written ("145%"), and bare numbers after a word quoting a rate."""
    written = [w for w in words if w.endswith("%")]
    rates = tuple(sorted({float(w[:-1]) for w in written if w[:-1].replace(".", "", 1).isdigit()}))
    numbers = tuple(
        sorted(
            {
                float(w)
                for before, w in pairwise(words)
                if before in quoting and w.isdigit() and len(w) <= 3
            }
        )
    )
    return bool(written), rates, numbers


def _date_role(asked: DateRange | None, named_events: tuple[str, ...], today: date) -> str:
    if asked is None:
        return "event" if named_events else "none"
    return "future" if asked.start > today else "asked"


def content_terms(tokens: list[str], mentions: list[Mention]) -> tuple[str, ...]:
    """The words a question is searched with: not the names (they filter), not dates,
    not function words (bot/data/retrieval.toml `stop_words`)."""
    stop = load_retrieval_words().stop
    named = {i for m in mentions for i in range(m.start, m.end)}
    return tuple(
        dict.fromkeys(
            w
            for i, w in enumerate(tokens)
            if i not in named
            and w != SENTINEL
            and w not in stop
            and w.isascii()
            and any(c.isalnum() for c in w)
        )
    )


def in_domain(u: Understanding) -> bool:
    """Inside the trade topic — a product, a court or case, or a trade word; a country
    alone is not enough ("who is the president of South Korea?") — and not ruled out by
    a forbidden word."""
    lists = load_retrieval_words()
    # The words as read (other languages in English) and as written, dates included
    # ("how many soybeans did China import last year?").
    text = f" {' '.join(u.words)} {u.normalised} "
    if u.off_topic or any(f" {w} " in text for w in lists.off_topic):
        return False
    if u.product or u.case or u.courts:
        return True
    return any(f" {w} " in text for w in lists.domain)


def build_query(u: Understanding, today: date) -> Query:
    """The Query for what `u` understood, as of `today` (which dates are in the future)."""
    if u.too_long:
        return Query(question=u.question, intent=None, confidence=0.0, too_long=True)
    qw = load_query_words()
    words = set(u.words)
    asked = date_asked(u.question, u.dates)
    outright, capitals, capital_venues = _capital_parts(u.tokens, u.mentions, qw.venue)
    quotes_a_rate, quoted_rates, rate_numbers = _quoted(u.words, qw.rate_quoting)
    compare = len(u.dates) >= 2 and compares_dates(u.matchable.split())
    return Query(
        question=u.question,
        intent=u.intent,
        confidence=u.confidence,
        aspect="compare" if compare else u.aspect,
        follow_up=u.follow_up,
        fired=u.fired,
        candidates=tuple((c.intent, round(c.score, 3)) for c in u.candidates),
        ambiguous=u.ambiguous,
        importer=u.direction.importer,
        exporter=u.direction.exporter,
        both_ways=u.direction.both_ways,
        product=u.product,
        parties=tuple(u.parties),
        named_outright=outright,
        capitals=capitals,
        capital_venues=capital_venues,
        excluded=excluded(u.tokens, u.mentions),
        venues=frozenset(venue_codes(u.tokens, u.mentions)),
        courts=tuple(u.courts),
        case=u.case,
        terms=content_terms(u.tokens, u.mentions),
        in_domain=in_domain(u),
        officials=tuple(u.officials),
        dates=tuple(u.dates),
        date_asked=asked,
        date_role=_date_role(asked, u.named_events, today),
        named_events=u.named_events,
        recently=bool(words & qw.recently),
        about_components=bool(words & qw.components),
        original_schedule=bool(words & qw.original),
        about_extension=bool(words & qw.extension),
        asks_meaning=bool(words & qw.means),
        pending_only=bool(words & qw.close),
        rate_bound="above" if words & qw.above else "below" if words & qw.below else None,
        status_asked=bool(words & qw.status),
        global_asked=is_global(u.words),
        quotes_a_rate=quotes_a_rate,
        quoted_rates=quoted_rates,
        rate_numbers=rate_numbers,
    )

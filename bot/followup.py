"""Follow-up questions: the previous Query with the one thing the new question changes.

"What is the US tariff on Chinese goods?" then "and Japan?", "the other way?", "before
that?", "what about steel?". The understanding step marks a question as a follow-up
(`Query.follow_up`, from `bot/data/followups.toml`); this module merges it into the
previous Query — parties, product, dates, direction — without reading any words. The
doors keep the previous Query (the chat loop; Discord, by the answer a reply answers).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from bot import datafiles
from bot.dates import DateRange
from bot.query import Query

LISTS = ("leads", "reverse", "before", "after")


class FollowUpsError(ValueError):
    pass


@dataclass(frozen=True)
class FollowUpWords:
    leads: tuple[str, ...]
    max_words: int
    reverse: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]

    def kind(self, normalised: str) -> str | None:
        """Which follow-up the normalised question is, if any."""
        padded = f" {normalised} "
        for name, phrases in (
            ("reverse", self.reverse),
            ("before", self.before),
            ("after", self.after),
        ):
            if any(f" {p} " in padded for p in phrases):
                return name
        words = normalised.split()
        if len(words) <= self.max_words and any(padded.startswith(f" {p} ") for p in self.leads):
            return "lead"
        return None


def parse_follow_ups(data: dict) -> FollowUpWords:
    try:
        lists = datafiles.word_lists(
            data, ("leads", "reverse", "before", "after"), "followups.toml"
        )
    except ValueError as exc:
        raise FollowUpsError(str(exc)) from None
    max_words = data.get("max_words")
    if not isinstance(max_words, int) or not 1 <= max_words <= 20:
        raise FollowUpsError("followups.toml: `max_words` is a whole number from 1 to 20")
    return FollowUpWords(max_words=max_words, **lists)


@lru_cache(maxsize=1)
def load_follow_ups() -> FollowUpWords:
    return parse_follow_ups(tomllib.loads(datafiles.read_text("followups.toml")))


@dataclass(frozen=True)
class Previous:
    """What a follow-up continues: the Query answered, and the dates of the record the
    answer gave (for "before that" and "after that")."""

    query: Query
    began: date | None = None
    ended: date | None = None


def continue_from(new: Query, previous: Previous | None) -> Query:
    """`new` itself unless it is a follow-up of `previous`; else the previous Query with
    what `new` changes. A follow-up that also reads as a full question on its own (an
    intent and two sides) stands as asked."""
    if previous is None or new.follow_up is None:
        return new
    if new.follow_up == "lead" and new.intent and new.importer and new.exporter:
        return new
    old = previous.query
    merged = replace(
        old,
        question=new.question,
        aspect=new.aspect if new.aspect != "value" else old.aspect,
        follow_up=new.follow_up,
        quoted_rates=new.quoted_rates,
        quotes_a_rate=new.quotes_a_rate,
        rate_numbers=new.rate_numbers,
        confidence=old.confidence,
        ambiguous=False,
    )
    merged = _with_sides(merged, new)
    if new.product:
        merged = replace(merged, product=new.product)
    if new.date_asked is not None:
        merged = replace(
            merged, dates=new.dates, date_asked=new.date_asked, date_role=new.date_role
        )
    elif new.follow_up == "before" and previous.began is not None:
        merged = _on(merged, previous.began - timedelta(days=1), "before that")
    elif new.follow_up == "after" and previous.ended is not None:
        merged = _on(merged, previous.ended, "after that")
    if new.follow_up == "reverse" and merged.importer and merged.exporter:
        merged = replace(merged, importer=merged.exporter, exporter=merged.importer)
    return merged


def _with_sides(merged: Query, new: Query) -> Query:
    """The party the new question names replaces the previous question's other side:
    after "US tariff on Chinese goods?", "and Japan?" asks about Japanese goods; after
    "China's tariffs on US goods?", about Japan's tariffs on US goods."""
    named = [p for p in new.parties if p != "US"]
    if not named:
        return merged
    party = named[0]
    importer, exporter = merged.importer, merged.exporter
    if importer and exporter:
        if exporter == "US":
            importer = party
        else:
            exporter = party
        parties: tuple[str, ...] = (importer, exporter)
    elif importer or exporter:  # one side named ("Japanese goods?"): the new party instead
        if exporter and exporter != "US":
            exporter = party
        elif importer and importer != "US":
            importer = party
        elif importer == "US":  # "US tariffs?" then "and on Japan?"
            exporter = party
        else:
            importer = party
        parties = tuple(p for p in (importer, exporter) if p)
    else:  # talks, deals, leaders: the US stays if it was named, the rest is the new party
        parties = tuple(dict.fromkeys([*(p for p in merged.parties if p == "US"), *named]))
    return replace(
        merged,
        importer=importer,
        exporter=exporter,
        parties=parties,
        named_outright=parties,
        venues=frozenset(),
        both_ways=False,
    )


def _on(merged: Query, day: date, text: str) -> Query:
    rng = DateRange(day, day, text)
    return replace(merged, dates=(rng,), date_asked=rng, date_role="asked")

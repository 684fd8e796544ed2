"""When a fact's end is known, and what it means: a confirmed end, or a scheduled one
(a truce, a 150-day surcharge) that may have been extended.

An answer must never show a passed scheduled end as "in force" or as "ended", nor show
as certain an end learned after the date the question is asked as of (issue 15).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.answer.index import FactIndex
from bot.store import Fact


def has_successor(index: FactIndex, fact: Fact) -> bool:
    """Is something recorded in the fact's place from its end? (See `followed`.)"""
    return followed(fact, index.following(fact))


def followed(fact: Fact, others: Iterable[Fact]) -> bool:
    """Is something among `others` recorded in the fact's place from its end: a measure
    that succeeds it, or the next fact of its series or subject?"""
    if fact.valid_to is None:
        return False
    for other in others:
        if other.supersedes == fact.id:
            return True
        if other.valid_from == fact.valid_to and other is not fact and other.kind == fact.kind:
            same_pair = (other.importer, other.exporter) == (fact.importer, fact.exporter)
            same_topic = (other.subject and other.subject == fact.subject) or (
                set(other.parties) == set(fact.parties) and fact.kind != "tariff_rate"
            )
            if same_topic or (same_pair and other.products == fact.products):
                return True
    return False


def end_known(index: FactIndex, fact: Fact, as_of: date) -> bool:
    """Was the fact's end known on `as_of`? An answer for a past date must not show as
    certain an end learned later: the end is known when the fact as it stands was
    recorded by then, or a fact in its place was reported by then; a scheduled end is
    known with the fact itself. (Bundled facts keep no date per field, so a fact whose
    end came with a later revision counts as learned on its `recorded` date.)"""
    if fact.valid_to is None or fact.recorded <= as_of:
        return fact.valid_to is not None
    reported = index.first_reported
    if fact.scheduled_end and reported.get(fact.id, fact.recorded) <= as_of:
        return True  # announced with the measure (a 150-day limit, a truce's term)
    return any(
        reported.get(other.id, other.recorded) <= as_of
        for other in index.following(fact)
        if other.supersedes == fact.id
        or (other.valid_from == fact.valid_to and _in_its_place(other, fact))
    )


def _in_its_place(other: Fact, fact: Fact) -> bool:
    """Does `other`, starting the day `fact` ends, take its place? The same subject, or
    the same importer's rate on the same origin (a country's own rate after a rate on
    every origin counts)."""
    if other.subject and other.subject == fact.subject:
        return True
    return (
        fact.kind == "tariff_rate"
        and other.importer == fact.importer
        and fact.exporter in (other.exporter, "WORLD")
    )


def latest_end(index: FactIndex, facts: list[Fact], day: date) -> tuple[date, bool] | None:
    """The latest end among `facts` that ended by `day`, and whether it was only
    scheduled (a truce, a 150-day surcharge) with nothing recorded after it."""
    ended = [f for f in facts if f.valid_to is not None and f.valid_to <= day]
    if not ended:
        return None
    end = max(f.valid_to for f in ended if f.valid_to)
    scheduled = any(
        f.scheduled_end and not has_successor(index, f) for f in ended if f.valid_to == end
    )
    return end, scheduled


def records_ended(index: FactIndex, facts: list[Fact], day: date) -> tuple[date, bool] | None:
    """`latest_end`, when none of `facts` still holds on `day`: the "my latest record" of
    a question about a date past the records (its last day is the day before the end)."""
    if any(f.valid_from <= day and (f.valid_to is None or day < f.valid_to) for f in facts):
        return None
    return latest_end(index, facts, day)

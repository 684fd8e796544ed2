"""Refusing two measures that would both claim the same duty at the same time.

Two tariff facts (neither retracted) with the same importer, origin scope, product scope
and authority whose valid times overlap would make an answer add the same layer twice, or
pick one at random (announced and threatened measures are exempt: they are never
charged). A change in the world is one measure ending and its successor
starting (`tradebot facts change`), never two open measures side by side; so the store
refuses the second, naming the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.store.errors import StoreError
from bot.store.model import Fact

ScopeKey = tuple[str | None, frozenset[str], frozenset[str], frozenset[str], frozenset[str], Any]


class OverlapError(StoreError):
    """A tariff fact would overlap another with the same scope; nothing was written."""

    def __init__(self, fact: Fact, other: Fact) -> None:
        self.fact_id = fact.id
        self.other_id = other.id
        super().__init__(
            f"{fact.id} overlaps {other.id} ({_span(other)}) with the same importer, origins, "
            "products and authority; end that one first (tradebot facts change) or narrow "
            "the dates"
        )


def scope_key(fact: Fact) -> ScopeKey:
    """What makes two measures the same layer: importer, origins (and the parties an
    all-but measure leaves out), products (and exclusions), authority (None equals None)."""
    return (
        fact.importer,
        frozenset(fact.origin_scope),
        frozenset(fact.origins_except),
        frozenset(fact.products),
        frozenset(fact.products_except),
        fact.authority,
    )


def times_overlap(a: Fact, b: Fact) -> bool:
    """Half-open valid times [valid_from, valid_to) share at least one day."""
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return a.valid_from < b_end and b.valid_from < a_end


NOT_CHARGED = frozenset({"announced", "threatened"})
"""Statuses of a measure that only says what may come: a threat to raise a rate sits
beside the rate in force with the same scope without claiming the same duty."""


def is_checked(fact: Fact) -> bool:
    return fact.kind == "tariff_rate" and not fact.retracted and fact.status not in NOT_CHARGED


def first_overlap(fact: Fact, candidates: Iterable[Fact]) -> Fact | None:
    """The first of `candidates` (other tariff facts of the same importer) that `fact`
    overlaps, or None."""
    if not is_checked(fact):
        return None
    key = scope_key(fact)
    for other in candidates:
        if (
            other.id != fact.id
            and is_checked(other)
            and times_overlap(fact, other)
            and scope_key(other) == key
        ):
            return other
    return None


def may_add_overlap(current: Fact, new: Fact) -> bool:
    """Whether replacing `current` by `new` can create an overlap that was not there:
    the scope changed, the valid time grew, or a retracted fact came back. A shrink or a
    statement fix never does, so a store holding an old overlap can still be corrected."""
    if not is_checked(new):
        return False
    if current.retracted or scope_key(current) != scope_key(new):
        return True
    if current.kind != new.kind:
        return True
    starts_earlier = new.valid_from < current.valid_from
    ends_later = (new.valid_to or date.max) > (current.valid_to or date.max)
    return starts_earlier or ends_later


def _span(fact: Fact) -> str:
    end = _day(fact.valid_to) if fact.valid_to else "no end"
    return f"{_day(fact.valid_from)} – {end}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"

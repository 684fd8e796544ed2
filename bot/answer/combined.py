"""A pair's rate on all goods over time, when several measures make it up.

Brazilian goods paid the 10% reciprocal baseline from 5 Apr 2025 and a further 40% from
6 Aug 2025: "how did US tariffs on Brazil change?" must say 10% → 50% on 6 Aug, not
"40%, first recorded". This module turns the all-goods measures that cover an origin
into one step series: each step is the set of measures charged on those days (a
country's own rate replacing the baseline under the same authority, see
`most_specific`), and a step of several measures is one combined fact whose rate is
their sum and whose components name each measure. Steps and their limits come only
from the measures' own dates; nothing is invented between them.

A combined fact is never stored: its id joins the ids of its measures, and its
`layers` attribute lists them, so answers cite (and records name) the real facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from bot.answer.measure_match import most_specific
from bot.store.model import Component, Fact

CHARGED = (None, "in force")
SUMMABLE = (None, "additional")
LAYERS = "layers"


def chargeable(fact: Fact) -> bool:
    """An all-goods measure that is charged while valid: in force, not suspended."""
    return fact.all_goods and fact.status in CHARGED and fact.rate_kind != "suspended"


def layer_ids(fact: Fact) -> tuple[str, ...]:
    """The stored facts behind a series fact: itself, or the measures it combines."""
    combined = fact.attribute(LAYERS)
    return tuple(combined) if combined else (fact.id,)


@dataclass
class _Step:
    start: date
    end: date | None
    active: tuple[Fact, ...]


def step_series(
    measures: Iterable[Fact], origin: str, label: Callable[[str | None], str]
) -> list[Fact]:
    """The steps of the all-goods rate on goods from `origin`, oldest first. `measures`
    are the importer's chargeable all-goods measures that cover the origin; `label`
    names an authority (for a combined fact's components)."""
    facts = list(measures)
    points = sorted({f.valid_from for f in facts} | {f.valid_to for f in facts if f.valid_to})
    steps: list[_Step] = []
    for n, start in enumerate(points):
        end = points[n + 1] if n + 1 < len(points) else None
        active = most_specific([f for f in facts if f.is_valid_on(start)], origin)
        if not active:
            continue
        if steps and steps[-1].end == start and steps[-1].active == active:
            steps[-1].end = end
        else:
            steps.append(_Step(start, end, active))
    out: list[Fact] = []
    for step in steps:
        out.extend(_as_facts(step, origin, label))
    return out


def _as_facts(step: _Step, origin: str, label: Callable[[str | None], str]) -> list[Fact]:
    if len(step.active) == 1:
        return [_clipped(step.active[0], step)]
    if any(f.rate is None or f.rate_kind not in SUMMABLE for f in step.active):
        # A floor or a disputed rate does not add up: each measure stands on its own.
        return [_clipped(f, step) for f in step.active]
    return [_combined(step, origin, label)]


def _clipped(fact: Fact, step: _Step) -> Fact:
    """The measure for this step's days only (the total changed at the step's edges)."""
    if fact.valid_from == step.start and fact.valid_to == step.end:
        return fact
    return replace(fact, valid_from=step.start, valid_to=step.end)


def _combined(step: _Step, origin: str, label: Callable[[str | None], str]) -> Fact:
    """One fact for the step: the origin's goods, the measures' sum, each a component."""
    first = step.active[0]
    parts: list[Component] = []
    for fact in step.active:
        if fact.components:
            parts.extend(fact.components)
        else:
            parts.append(Component(label(fact.authority), fact.rate or 0.0, fact.instrument))
    citations = tuple({c: None for f in step.active for c in f.citations})
    return replace(
        first,
        id="+".join(f.id for f in step.active),
        exporter=origin,  # about goods from the origin, whatever scopes the measures name
        origins=(),
        origins_except=(),
        rate=sum(f.rate or 0.0 for f in step.active),
        rate_candidates=(),
        components=tuple(parts),
        authority=None,
        instrument=None,
        statement=" ".join(f.statement for f in step.active),
        valid_from=step.start,
        valid_to=step.end,
        recorded=max(f.recorded for f in step.active),
        confidence=_weakest(f.confidence for f in step.active),
        disputed=None,
        citations=citations,
        attributes=((LAYERS, tuple(f.id for f in step.active)),),
    )


def _weakest(levels: Iterable[str]) -> str:
    order = ("low", "medium", "high")
    return min(levels, key=order.index)

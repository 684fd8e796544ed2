"""Layered tariff answers: every measure that applies to a product from an origin on a day.

The one-series answer ("US tariffs on Chinese goods: 30% from 14 May 2025") is right when
the pair's own all-goods rate is the only measure that applies. It is a confident wrong
answer when more applies: a Section 232 duty on the steel asked about, an EU measure on
German goods, a fentanyl duty recorded beside the reciprocal one, a measure announced but
not in force. `view` says which case a question is in and, for the second, gives the
layers (bot/answer/layers.py) with their authority, rate, instrument and date, the total
the dated stacking rules give, and the stacking rules' own sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.answer import ends
from bot.answer.combined import layer_ids
from bot.answer.kit import Kit
from bot.answer.layer_text import also_line, layers_json, rules_json, stack_lines
from bot.answer.layers import Selection, Stack, select, stack
from bot.answer.names import capital
from bot.answer.stacking_rules import load_stacking_rules
from bot.dates import DateRange
from bot.present import human_date
from bot.products import load_products
from bot.store import Fact, Source


@dataclass
class LayerView:
    """What the layers add to one pair's answer on one day."""

    selection: Selection
    stack: Stack
    layered: bool
    """True: the answer is the layers (the one-series answer would leave something out)."""
    lines: list[str] = field(default_factory=list)
    used: list[Fact] = field(default_factory=list)

    def json(self) -> list[dict[str, Any]]:
        return layers_json(self.stack)

    def rules(self) -> list[dict[str, Any]]:
        return rules_json(self.stack)


def answer_day(rng: DateRange, until: DateRange | None, as_of: date) -> date:
    """The day whose layers an answer shows: the future day asked about, the day asked
    about, or (for a period) its last day up to today."""
    if until is not None:
        return until.start
    return min(rng.end, as_of) if not rng.is_day else rng.start


def view(
    kit: Kit,
    importer: str,
    exporter: str,
    product: str | None,
    day: date,
    as_of: date,
    series_facts: list[Fact],
) -> LayerView:
    """The layers for (importer, exporter, product) on `day`. `series_facts` are the
    pair's all-goods rates the one-series answer would give for that day: if the layers
    are exactly those, in force and all-goods, the one-series answer stands (layered is
    False) and only the "also:" line of product measures is added."""
    measures = kit.index.kind("tariff_rate")
    if day > as_of:  # a future day: only what was reported by today, not what came later
        reported = kit.index.first_reported
        measures = [f for f in measures if reported.get(f.id, f.recorded) <= as_of]
    picked = select(
        measures,
        importer=importer,
        origin=exporter,
        product=product,
        day=day,
        vocab=kit.vocab,
    )
    # The product's own measures first: they are what the question is about.
    ordered = sorted(picked.in_force, key=lambda f: f.all_goods)
    stacked = stack(ordered, day=day, product=product, origin=exporter)
    ended = _ended(picked, stacked)
    plain = (
        not picked.not_in_force
        and all(f.all_goods and f.rate_kind in (None, "additional") for f in picked.in_force)
        and {f.id for f in picked.in_force} == {i for f in series_facts for i in layer_ids(f)}
        and all(layer.charged for layer in stacked.layers)  # coffee out of the reciprocal
        and not picked.excepted
        and not ended
    )
    out = LayerView(picked, stacked, layered=not plain)
    if plain:
        extra = also_line(picked.product_measures)
        out.lines = [extra] if extra else []
        out.used = list(picked.product_measures)
        return out
    head = kit.t["rate"]["layers_head"].format(
        subject=capital(_subject(kit, importer, exporter, product)), day=human_date(day)
    )
    out.lines = [
        head,
        *stack_lines(
            stacked,
            importer=importer,
            pending=picked.not_in_force,
            also=picked.product_measures,
            excepted=picked.excepted,
            ended=ended,
            end_of=lambda fact: _end_of(kit, fact, day, as_of),
        ),
    ]
    out.used = list(
        {
            f.id: f
            for f in [
                *(layer.fact for layer in stacked.layers),
                *picked.not_in_force,
                *picked.product_measures,
                *picked.excepted,
                *ended,
            ]
        }.values()
    )
    return out


def _ended(picked: Selection, stacked: Stack) -> list[Fact]:
    """The recently ended layers whose authority and products no layer of today carries
    (a stacked total recorded with components counts by its components); none when a
    layer today has no known authority (what it replaced cannot be told)."""
    if any(layer.authority is None for layer in stacked.layers):
        return []
    today = {(layer.authority, frozenset(layer.products)) for layer in stacked.layers}
    return [f for f in picked.ended if (f.authority, frozenset(f.products)) not in today]


def _subject(kit: Kit, importer: str, exporter: str, product: str | None) -> str:
    """ "US tariffs on Chinese goods", or "US tariffs on steel from China"."""
    if product is None:
        return kit.names.rate_subject(importer, exporter)
    return kit.t["rate"]["product_subject"].format(
        owner=kit.names.owner(importer),
        product=load_products().label(product),
        origin=kit.names.short(exporter),
    )


def rule_sources(views: list[LayerView]) -> tuple[list[Source], dict[str, str]]:
    """The stacking rules' sources, as sources an answer cites (id `stacking:<rule>`),
    with their quotes: a total is only as good as the rule that says layers add up."""
    sources: dict[str, Source] = {}
    quotes: dict[str, str] = {}
    for v in views:
        if not v.layered:
            continue
        for rule in v.stack.rules_used:
            sid = f"stacking:{rule.id}"
            src = rule.source
            sources[sid] = Source(sid, src.url, src.title, src.publisher, src.published)
            quotes[sid] = src.quote
    return list(sources.values()), quotes


def _end_of(kit: Kit, fact: Fact, day: date, as_of: date) -> str:
    """A layer's end after the day answered, if it was known on `as_of` (an end learned
    later is left out): ", until D" or, announced in advance, ", scheduled to end on D"."""
    if fact.valid_to is None or fact.valid_to <= day or not ends.end_known(kit.index, fact, as_of):
        return ""
    key = "scheduled_until" if fact.scheduled_end else "until"
    return load_stacking_rules().phrases[key].format(until=human_date(fact.valid_to))

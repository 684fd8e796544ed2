"""Which tariff measures apply to a product from an origin on a day, and what they add up to.

A real tariff is a stack of layers: "US tariff on Chinese steel" is a Section 232 duty on
steel, the reciprocal and fentanyl duties on all Chinese goods, and rules that say which of
them are charged (Section 232 goods left the reciprocal tariff on 2 Apr 2025; from 4 Jun
2025 they paid it on the non-metal share). Giving the all-goods rate as the steel rate is
a confident wrong answer; this module finds every layer and applies the dated rules.

It is pure: it takes facts, the vocabulary, the product groups and the stacking rules and
returns values. Nothing here reads the store, Discord or the question's words. The
matching half lives in bot/answer/measure_match.py and is re-exported here, so a strategy
imports one module: `select(...)` then `stack(...)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.answer.measure_match import (
    Selection,
    applicable,
    covers_origin,
    covers_product,
    lineage,
    not_in_force,
    product_measures,
    select,
)
from bot.answer.stacking_rules import Rule, StackingRules, load_stacking_rules
from bot.products import Products, load_products
from bot.store.model import Fact

__all__ = [
    "Layer",
    "Selection",
    "Stack",
    "applicable",
    "covers_origin",
    "covers_product",
    "expand",
    "lineage",
    "not_in_force",
    "pct",
    "product_measures",
    "select",
    "stack",
]

# ----------------------------------------------------------------------------- stacking


@dataclass(frozen=True)
class Layer:
    """One charged (or not charged) part of a stack: a measure, or one component of a
    fact that records a stacked total (the US 30% on China: 10% reciprocal + 20%)."""

    fact: Fact
    authority: str | None
    rate: float | None
    rate_kind: str
    products: tuple[str, ...] = ()
    name: str | None = None
    """The component's name when the layer is one component of a fact."""
    instrument: str | None = None
    charged: bool = True
    share: str | None = None
    """Part of the value the layer is charged on ("on the steel content"); None: all."""
    why_not: str | None = None
    rule: str | None = None
    """The id of the rule that set `share` or `why_not`."""


@dataclass(frozen=True)
class Stack:
    """The layers of one question's answer and what they add up to. Rates are
    additional to the normal (MFN) duty, which is not tracked."""

    day: date
    product: str | None
    layers: tuple[Layer, ...]
    total: float | None
    """Sum of the charged additional layers; None when a share split, a floor or a
    missing rate makes one number wrong (then see `total_text`)."""
    total_text: str
    floor: float | None
    rules_used: tuple[Rule, ...]
    product_specific: bool

    @property
    def charged(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.charged)

    @property
    def not_charged(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if not layer.charged)


def expand(facts: Sequence[Fact], rules: StackingRules) -> list[Layer]:
    """One layer per measure, or per component for a fact recording a stacked total."""
    layers: list[Layer] = []
    for fact in facts:
        kind = fact.rate_kind or "additional"
        if not fact.components:
            layers.append(
                Layer(fact, fact.authority, fact.rate, kind, fact.products, None, fact.instrument)
            )
            continue
        for comp in fact.components:
            authority = (
                comp.authority or rules.component_authorities.get(comp.name) or fact.authority
            )
            instrument = comp.legal_basis or fact.instrument
            layers.append(
                Layer(fact, authority, comp.rate, kind, fact.products, comp.name, instrument)
            )
    return layers


def stack(
    applicable_measures: Sequence[Fact],
    *,
    day: date,
    rules: StackingRules | None = None,
    product: str | None = None,
    origin: str | None = None,
    products: Products | None = None,
) -> Stack:
    """Apply the stacking rules in force on `day` to the measures that apply.

    Order: suspended layers charge nothing; product exemptions; precedence within an
    authority; share splits;
    exclusions (a pair of layers a share rule split is not also excluded); then the total.
    `origin` lets rules limited to some origins (Canada/Mexico border duties) apply.
    """
    rules = rules or load_stacking_rules()
    products = products or load_products()
    state = _State(expand(applicable_measures, rules), products, origin, product)
    for i, layer in enumerate(state.layers):
        if layer.rate_kind == "suspended":
            state.drop(i, rules.phrases["suspended"], None)
    for rule in rules.active(day, "exempts"):
        state.exempt(rule)
    for rule in rules.active(day, "precedence"):
        state.precedence(rule)
    for rule in rules.active(day, "share"):
        state.share(rule)
    for rule in rules.active(day, "excludes"):
        state.exclude(rule)
    state.cite_adds_and_floors(rules, day)
    total, total_text, floor = _total(state.layers, rules)
    return Stack(
        day=day,
        product=product,
        layers=tuple(state.layers),
        total=total,
        total_text=total_text,
        floor=floor,
        rules_used=tuple(state.used),
        product_specific=any(layer.products for layer in state.layers),
    )


class _State:
    """The layers while rules are applied to them (a working copy; Stack is frozen)."""

    def __init__(
        self,
        layers: list[Layer],
        products: Products,
        origin: str | None,
        asked: str | None = None,
    ) -> None:
        self.layers = layers
        self.products = products
        self.origin = origin
        self.asked = asked
        """The product asked about: a share is "on the steel content" when steel was asked,
        though the measure covers steel and aluminum."""
        self.used: list[Rule] = []
        self.split: set[tuple[int, int]] = set()

    def _use(self, rule: Rule) -> None:
        if rule not in self.used:
            self.used.append(rule)

    def drop(self, i: int, why: str, rule: Rule | None) -> None:
        layer = self.layers[i]
        self.layers[i] = replace(layer, charged=False, why_not=why, rule=rule.id if rule else None)
        if rule is not None:
            self._use(rule)

    def on(self, layer: Layer, groups: tuple[str, ...]) -> bool:
        """Is the layer on one of these product groups (or a narrower one)?"""
        return any(set(lineage(p, self.products)) & set(groups) for p in layer.products)

    def matches(self, layer: Layer, authority: str | None, groups: tuple[str, ...]) -> bool:
        return (
            layer.charged
            and layer.authority == authority
            and (not groups or self.on(layer, groups))
        )

    def exempt(self, rule: Rule) -> None:
        """Goods of the rule's products asked about are not charged its authorities'
        layers, whatever those layers cover (coffee is out of the reciprocal tariff on all
        goods from 13 Nov 2025)."""
        if not rule.applies_to_origin(self.origin) or self.asked is None:
            return
        if not set(lineage(self.asked, self.products)) & set(rule.products):
            return
        for i, layer in enumerate(self.layers):
            if layer.charged and layer.authority in rule.authorities:
                self.drop(i, rule.summary, rule)

    def precedence(self, rule: Rule) -> None:
        if not rule.applies_to_origin(self.origin):
            return
        ranks: dict[int, int] = {}
        for i, layer in enumerate(self.layers):
            if not self.matches(layer, rule.authority, ()):
                continue
            rank = self._rank(layer, rule.order)
            if rank is not None:
                ranks[i] = rank
        if not ranks:
            return
        best = min(ranks.values())
        for i, rank in ranks.items():
            if rank > best:
                self.drop(i, rule.summary, rule)

    def _rank(self, layer: Layer, order: tuple[tuple[str, ...], ...]) -> int | None:
        """The tier of the layer's own product, or of the nearest group it is part of:
        auto parts rank as auto parts, though they are part of autos."""
        ranks = []
        for product in layer.products:
            for name in lineage(product, self.products):
                tier = next((t for t, names in enumerate(order) if name in names), None)
                if tier is not None:
                    ranks.append(tier)
                    break
        return min(ranks, default=None)

    def share(self, rule: Rule) -> None:
        if not rule.applies_to_origin(self.origin):
            return
        for a, winner in enumerate(self.layers):
            if not self.matches(winner, rule.authority, rule.products):
                continue
            for b, other in enumerate(self.layers):
                if b == a or not other.charged or other.authority not in rule.other:
                    continue
                self.split.add((a, b))
                label = self._product_label(winner)
                self.layers[a] = replace(
                    winner, share=(rule.share or "").format(product=label), rule=rule.id
                )
                self.layers[b] = replace(other, share=rule.other_share, rule=rule.id)
                self._use(rule)

    def exclude(self, rule: Rule) -> None:
        if not rule.applies_to_origin(self.origin):
            return
        for a in range(len(self.layers)):
            if not self.matches(self.layers[a], rule.authority, rule.products):
                continue
            for b, other in enumerate(self.layers):
                if b == a or not other.charged or other.authority not in rule.excluded:
                    continue
                if rule.excluded_products and not self.on(other, rule.excluded_products):
                    continue
                if (a, b) in self.split:
                    continue  # a share rule split these two: the more specific rule wins
                self.drop(b, rule.summary, rule)

    def cite_adds_and_floors(self, rules: StackingRules, day: date) -> None:
        charged = [layer for layer in self.layers if layer.charged]
        if len(charged) > 1:
            for rule in rules.active(day, "adds"):
                if rule.applies_to_origin(self.origin) and any(
                    layer.authority in rule.authorities for layer in charged
                ):
                    self._use(rule)
        for rule in rules.active(day, "floor"):
            if any(
                layer.rate_kind == "floor"
                and (not rule.authorities or layer.authority in rule.authorities)
                for layer in charged
            ):
                self._use(rule)

    def _product_label(self, layer: Layer) -> str:
        if self.asked in self.products.groups and self.on(layer, (self.asked,)):
            return self.products.label(self.asked)
        names = [self.products.label(p) for p in layer.products if p in self.products.groups]
        return " and ".join(names) or "metal"


def pct(rate: float) -> str:
    """15 -> "15%", 7.5 -> "7.5%"."""
    return f"{rate:g}%"


def _total(layers: list[Layer], rules: StackingRules) -> tuple[float | None, str, float | None]:
    """The total of the charged layers: one number when they all add on the full value;
    else a sentence (share split, floor, missing rate, no layer at all) and None."""
    phrases = rules.phrases
    if not layers:
        return None, phrases["no_layers"], None  # nothing recorded is not 0%
    charged = [layer for layer in layers if layer.charged]
    unknown = [layer for layer in charged if layer.rate is None]
    if unknown:
        label = rules.label(unknown[0].authority) if unknown[0].authority else unknown[0].name
        return None, phrases["total_unknown"].format(label=label or rules.label(None)), None
    floors = [layer for layer in charged if layer.rate_kind == "floor"]
    adding = [layer for layer in charged if layer.rate_kind != "floor"]
    floor = max((layer.rate or 0.0) for layer in floors) if floors else None
    if floor is None and all(layer.share is None for layer in adding):
        total = sum(layer.rate or 0.0 for layer in adding)
        return total, phrases["total"].format(total=pct(total)), None
    body = _split_body(adding, phrases)
    if floor is None:
        return None, phrases["total_split"].format(body=body), None
    floor_share = next((layer.share for layer in floors if layer.rate == floor), None)
    floor_text = pct(floor) + (f" {floor_share}" if floor_share else "")
    extra = phrases["floor_extra"].format(body=body) if adding else ""
    return None, phrases["total_floor"].format(floor=floor_text, extra=extra), floor


def _split_body(adding: list[Layer], phrases: dict[str, str]) -> str:
    """ "50% on the steel content plus 10% on the rest, plus 20% on the full value"."""
    sums: dict[str | None, float] = {}
    for layer in adding:
        sums[layer.share] = sums.get(layer.share, 0.0) + (layer.rate or 0.0)
    parts = [f"{pct(rate)} {share}" for share, rate in sums.items() if share is not None]
    body = phrases["part_join"].join(parts)
    if None in sums:
        whole = pct(sums[None])
        if not parts:
            return whole
        body += phrases["full_value_join"] + f"{whole} {phrases['full_value']}"
    return body

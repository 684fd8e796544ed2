"""Matching: which tariff measures cover a product from an origin on a day.

A question about German steel must find the EU's measures (Germany is a member), the
measures on all trading partners except those they leave out (UK steel is not at the
world rate), the autos measure for electric vehicles (EVs are autos), and never a
product measure for a country question (those go on one "also:" line). Pure: facts,
vocabulary and product groups in, facts out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.products import Products, load_products
from bot.store.model import Fact
from bot.vocabulary import Vocabulary

TARIFF_KINDS: tuple[str, ...] = ("tariff_rate",)
IN_FORCE: tuple[str | None, ...] = (None, "in force")
WORLD = "WORLD"
RECENTLY_ENDED = timedelta(days=90)
"""How long after its end a layer is still named ("No longer charged: ...")."""


def lineage(product: str | None, products: Products) -> tuple[str, ...]:
    """The product and every group it is part of ("electric-vehicles" -> EVs, autos)."""
    out: list[str] = []
    while product is not None and product not in out and product in products.groups:
        out.append(product)
        product = products.groups[product].broader
    return tuple(out)


def covers_origin(fact: Fact, origin: str, vocab: Vocabulary) -> bool:
    """Does the measure's origin scope take in goods from `origin`? Directly named, through
    a bloc the origin belongs to (EU measures cover German goods), or WORLD; minus the
    parties the measure leaves out. Hong Kong follows China only where a measure names it."""
    return _covers(fact, origin_names(origin, vocab))


def origin_names(origin: str, vocab: Vocabulary) -> frozenset[str]:
    """The origin and the blocs it belongs to: what a measure's origin scope may name."""
    return frozenset({origin}) | vocab.groups_of(origin)


def _covers(fact: Fact, names: frozenset[str]) -> bool:
    scope = fact.origin_scope
    if not (WORLD in scope or any(n in names for n in scope)):
        return False
    return not any(n in names for n in fact.origins_except)


def covers_product(fact: Fact, product: str | None, products: Products) -> bool:
    """Does the measure's product scope take in the asked product? An all-goods measure
    does unless the product is excepted; a product measure does when the product is one
    of its groups or narrower (EVs are autos), and never when no product was asked."""
    family = set(lineage(product, products)) if product else set()
    if family & set(fact.products_except):
        return False
    if fact.all_goods:
        return True
    return bool(family & set(fact.products))


def _candidates(
    measures: Iterable[Fact], importer: str, origin: str, day: date, vocab: Vocabulary
) -> list[Fact]:
    names = origin_names(origin, vocab)  # once, not once per measure
    return [
        f
        for f in measures
        if f.importer == importer
        and f.kind in TARIFF_KINDS
        and not f.retracted
        and f.is_valid_on(day)
        and _covers(f, names)
    ]


@dataclass(frozen=True)
class Selection:
    """The measures a question finds: those in force, those matching but not in force
    (announced, threatened, paused, ...) and, for a country question, the product
    measures in force for that origin (the "also:" line)."""

    in_force: tuple[Fact, ...]
    not_in_force: tuple[Fact, ...]
    product_measures: tuple[Fact, ...]
    excepted: tuple[Fact, ...] = ()
    """Measures in force for the origin that leave the asked product out (Brazil's 40%
    on everything but coffee from 13 Nov 2025): named as not charged, with why."""
    ended: tuple[Fact, ...] = ()
    """Layers that ended shortly before the day, with nothing in their place."""


def select(
    measures: Iterable[Fact],
    *,
    importer: str,
    origin: str,
    product: str | None,
    day: date,
    vocab: Vocabulary,
    products: Products | None = None,
) -> Selection:
    products = products or load_products()
    measures = [f for f in measures if f.importer == importer]  # one pass, shared below
    found = _candidates(measures, importer, origin, day, vocab)
    matching = [f for f in found if covers_product(f, product, products)]
    in_force = most_specific(
        [f for f in matching if f.status in IN_FORCE], origin, per_product=product is None
    )
    pending = tuple(f for f in matching if f.status not in IN_FORCE)
    also = () if product else _product_layers(found, origin)
    family = set(lineage(product, products)) if product else set()
    excepted = tuple(f for f in found if f.status in IN_FORCE and family & set(f.products_except))
    gone = _recently_ended(measures, importer, origin, product, day, vocab, products, in_force)
    return Selection(in_force, pending, also, excepted, gone)


def _recently_ended(
    measures: list[Fact],
    importer: str,
    origin: str,
    product: str | None,
    day: date,
    vocab: Vocabulary,
    products: Products,
    in_force: tuple[Fact, ...],
) -> tuple[Fact, ...]:
    """Layers that ended in the RECENTLY_ENDED days up to `day` with nothing in force
    under the same authority and products since: "is the Russian-oil duty still
    collected?" is answered by its end, not by its silence. The last slice per layer."""
    names = origin_names(origin, vocab)
    current = {_layer_key(f) for f in in_force}
    since = day - RECENTLY_ENDED if day > date.min + RECENTLY_ENDED else date.min
    last: dict[tuple, Fact] = {}
    for f in measures:
        if f.valid_to is None or not (since < f.valid_to <= day):
            continue  # most measures: the cheap test first
        key = _layer_key(f)
        if (
            key is None
            or key in current
            or f.importer != importer
            or f.kind not in TARIFF_KINDS
            or f.retracted
            or f.status not in IN_FORCE
            or f.valid_to is None
            or not (since < f.valid_to <= day)
            or not _covers(f, names)
            or not covers_product(f, product, products)
        ):
            continue
        if key not in last or f.valid_to > last[key].valid_to:  # type: ignore[operator]
            last[key] = f
    return tuple(sorted(last.values(), key=lambda f: f.valid_to))  # type: ignore[arg-type,return-value]


def _product_layers(found: list[Fact], origin: str) -> tuple[Fact, ...]:
    """Product measures in force, the most specific per authority and products: Japan's
    own 15% on cars, not the 25% on all partners' cars it replaces."""
    return most_specific([f for f in found if not f.all_goods and f.status in IN_FORCE], origin)


def origin_rank(fact: Fact, origin: str) -> int:
    """How closely a measure names the origin: 2 by name, 1 through a bloc, 0 as one of
    all trading partners."""
    scope = fact.origin_scope
    if origin in scope:
        return 2
    return 0 if WORLD in scope else 1


def most_specific(measures: list[Fact], origin: str, per_product: bool = True) -> tuple[Fact, ...]:
    """Of measures under the same authority on the same products (exclusions aside: the
    baseline that leaves out beef is still what Japan's own rate replaces), only those that name
    the origin most closely are charged: Japan's own reciprocal rate replaces the 10%
    baseline on all partners, an EU rate applies to German goods before the world rate.
    Measures without an authority are kept as they are (nothing says what they replace).

    `per_product` False (the measures all cover the one product asked about): product
    measures under one authority replace each other whatever else they cover — Korea's
    15% on cars and parts replaces the 25% on all partners' cars."""
    key_of = _layer_key if per_product else _authority_key
    best: dict[tuple, int] = {}
    for fact in measures:
        key = key_of(fact)
        if key is not None:
            best[key] = max(best.get(key, -1), origin_rank(fact, origin))
    return tuple(
        f for f in measures if (key := key_of(f)) is None or origin_rank(f, origin) == best[key]
    )


def _authority_key(fact: Fact) -> tuple | None:
    if fact.authority is None:
        return None
    return (fact.authority, fact.all_goods)


def _layer_key(fact: Fact) -> tuple | None:
    if fact.authority is None:
        return None
    return (fact.authority, frozenset(fact.products))


def applicable(measures: Iterable[Fact], **where: object) -> list[Fact]:
    """The measures in force on `day` on goods of `product` (None: a country question,
    all-goods measures only) from `origin` into `importer` (arguments as for `select`)."""
    return list(select(measures, **where).in_force)  # type: ignore[arg-type]


def not_in_force(measures: Iterable[Fact], **where: object) -> list[Fact]:
    """Matching measures whose status is not "in force" (announced, threatened, paused,
    struck down, expired): an answer says so instead of counting them."""
    return list(select(measures, **where).not_in_force)  # type: ignore[arg-type]


def product_measures(
    measures: Iterable[Fact],
    *,
    importer: str,
    origin: str,
    day: date,
    vocab: Vocabulary,
) -> list[Fact]:
    """The product-scoped measures in force for goods from `origin`: a country question
    leads with the all-goods layers and lists these on one "also:" line."""
    return list(_product_layers(_candidates(measures, importer, origin, day, vocab), origin))

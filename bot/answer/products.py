"""Product honesty for tariff answers: the all-goods rate is never a product's rate.

The store records one tariff per pair of countries, on all goods. Asked "US tariff on
Chinese steel?", giving that rate as the steel rate would be a confident wrong answer:
steel carries its own duties (Section 232), as do many goods. So when the question names
a product group and no fact is scoped to it, the rate is labelled as the all-goods rate
and one line says product-specific duties may apply, with no number of its own.

A fact whose `products` name the asked group (or a group it is part of) is preferred and
answered without the caveat; when product measures apply, the answer is the layers
(bot/answer/strategies/rate_layers.py) and this note only labels all-goods series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.products import Products, load_products


class _Scoped(Protocol):
    importer: str | None


def products_of(fact: Any) -> tuple[str, ...]:
    """The product groups a fact is scoped to; () for an all-goods fact."""
    return tuple(getattr(fact, "products", ()) or ())


@dataclass(frozen=True)
class ProductNote:
    """What a tariff answer says about the product its question names."""

    product: str | None
    templates: dict[str, dict[str, str]]
    products: Products

    @classmethod
    def for_question(cls, product: str | None, templates: dict[str, dict[str, str]]) -> ProductNote:
        return cls(product, templates, load_products())

    def _names(self) -> set[str]:
        """The asked group and the groups it is part of (steel-scoped facts do not answer
        for EVs, but an autos-scoped fact does)."""
        names: set[str] = set()
        name = self.product
        while name is not None and name not in names and name in self.products.groups:
            names.add(name)
            name = self.products.groups[name].broader
        return names

    def covers(self, fact: Any) -> bool:
        """Does this fact state the asked product's own rate?"""
        return self.product is not None and bool(set(products_of(fact)) & self._names())

    def prefer(self, facts: list[Any]) -> list[Any]:
        """The facts scoped to the asked product, if any; else the all-goods ones (a fact
        scoped to another product never answers for this one, or for all goods)."""
        own = [f for f in facts if self.covers(f)]
        return own or [f for f in facts if not products_of(f)]

    def subject(self, subject: str, fact: Any) -> str:
        """'US tariffs on Chinese goods (all goods)' when a product was asked and this fact
        is the all-goods rate; the subject unchanged otherwise."""
        if self.product is None or self.covers(fact):
            return subject
        return self.templates["product"]["all_goods"].format(subject=subject)

    def caveats(self, used: Sequence[_Scoped]) -> list[str]:
        """One line per importer whose all-goods rate was given for a named product."""
        if self.product is None or self.product not in self.products.groups:
            return []
        section = self.templates["product"]
        label = self.products.label(self.product)
        lines: list[str] = []
        for fact in used:
            if self.covers(fact):
                continue
            line = section.get(f"caveat_{fact.importer}", section["caveat"]).format(label=label)
            if line not in lines:
                lines.append(line)
        return lines

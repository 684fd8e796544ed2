"""Lines of an answer about tariff layers, worded by the [phrases] of stacking.toml.

An answer about "US tariff on German steel" lists each layer with its authority, rate,
instrument and start; says which layers are not charged and why (the rule's summary);
gives the total as *additional to the normal (MFN) duty*, which the bot does not track;
and, when a product has no product measure on record, says product duties may still
apply rather than presenting the all-goods total as the product's rate. The wording is
data so that tuning it is not a Python change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.answer.layers import Layer, Stack, pct
from bot.answer.stacking_rules import StackingRules, load_stacking_rules
from bot.present import human_date
from bot.products import Products, load_products
from bot.store.model import Fact


def _rules(rules: StackingRules | None) -> StackingRules:
    return rules or load_stacking_rules()


def _products_text(names: Sequence[str], rules: StackingRules, products: Products) -> str:
    """ "steel and aluminum"; three or more: "coal, wheat and corn"."""
    labels = [products.label(n) if n in products.groups else n for n in names]
    if len(labels) <= 2:
        return rules.phrases["products_join"].join(labels)
    return ", ".join(labels[:-1]) + rules.phrases["products_join"] + labels[-1]


def layer_label(layer: Layer, rules: StackingRules, products: Products) -> str:
    """ "Section 232 (steel)", "reciprocal tariff (IEEPA)"; a component without a known
    authority is named by its recorded name."""
    named = layer.authority is None and layer.name
    base = layer.name if named else rules.label(layer.authority)
    if not layer.products:
        # a recorded rate on all goods whose legal authority is not recorded
        return base if layer.authority or named else rules.phrases["all_goods_tariff"]
    names = _products_text(layer.products, rules, products)
    return rules.phrases["label_products"].format(authority=base, products=names)


def rate_text(layer: Layer, rules: StackingRules) -> str:
    phrases = rules.phrases
    if layer.rate_kind == "suspended":
        return phrases["rate_suspended"]
    if layer.rate is None:
        return phrases["rate_unknown"]
    key = "rate_floor" if layer.rate_kind == "floor" else "rate"
    return phrases[key].format(rate=pct(layer.rate))


def layer_line(
    layer: Layer,
    rules: StackingRules | None = None,
    products: Products | None = None,
    until: str = "",
) -> str:
    """ "Section 232 (steel): 50% on the steel content — Proclamation 10947, from 4 Jun 2025";
    `until`: the layer's end as the caller knows it (", scheduled to end on 24 Jul 2026")."""
    rules, products = _rules(rules), products or load_products()
    phrases = rules.phrases
    return phrases["layer"].format(
        label=layer_label(layer, rules, products),
        rate=rate_text(layer, rules),
        share=phrases["share"].format(share=layer.share) if layer.share else "",
        instrument=phrases["instrument"].format(instrument=layer.instrument)
        if layer.instrument
        else "",
        since=human_date(layer.fact.valid_from),
        until=until,
    )


def not_charged_line(
    layer: Layer, rules: StackingRules | None = None, products: Products | None = None
) -> str:
    """ "Not charged: reciprocal tariff (IEEPA) — goods subject to Section 232 ..."."""
    rules, products = _rules(rules), products or load_products()
    label = layer_label(layer, rules, products)
    return rules.phrases["not_charged"].format(label=label, why=layer.why_not or "")


def excepted_line(fact: Fact, product: str | None, rules: StackingRules, products: Products) -> str:
    """ "Not charged: other duty 40% — coffee is left out of this measure (from 13 Nov
    2025)."""
    layer = Layer(fact, fact.authority, fact.rate, fact.rate_kind or "additional", ())
    label = f"{layer_label(layer, rules, products)} {rate_text(layer, rules)}"
    why = rules.phrases["excepted"].format(
        product=products.label(product) if product in products.groups else "these goods",
        since=human_date(fact.valid_from),
    )
    return rules.phrases["not_charged"].format(label=label, why=why)


def ended_line(fact: Fact, rules: StackingRules, products: Products) -> str:
    """ "No longer charged: other duty 25% — ended on 7 Feb 2026." """
    layer = Layer(fact, fact.authority, fact.rate, fact.rate_kind or "additional", fact.products)
    return rules.phrases["ended"].format(
        label=layer_label(layer, rules, products),
        rate=rate_text(layer, rules),
        until=human_date(fact.valid_to) if fact.valid_to else "",
    )


def caveat_line(
    stack: Stack,
    importer: str | None,
    rules: StackingRules | None = None,
    products: Products | None = None,
) -> str | None:
    """For a named product with no product measure recorded: product duties may still
    apply (the all-goods total is not the product's rate). None otherwise."""
    rules, products = _rules(rules), products or load_products()
    if stack.product is None or stack.product_specific or stack.product not in products.groups:
        return None
    phrases = rules.phrases
    template = phrases.get(f"no_product_measure_{importer}", phrases["no_product_measure"])
    return template.format(label=products.label(stack.product))


def also_line(
    measures: Sequence[Fact],
    rules: StackingRules | None = None,
    products: Products | None = None,
) -> str | None:
    """ "Also: steel and aluminum 50% (Section 232), cars 25% (Section 232)." for a
    country question; measures with the same authority, rate and kind share one item,
    highest rate first."""
    rules, products = _rules(rules), products or load_products()
    groups: dict[tuple[Any, ...], list[str]] = {}
    for fact in measures:
        key = (fact.authority, fact.rate, fact.rate_kind or "additional")
        names = groups.setdefault(key, [])
        names.extend(p for p in fact.products if p not in names)
    if not groups:
        return None
    phrases = rules.phrases
    items = []
    highest_first = sorted(groups.items(), key=lambda item: -(item[0][1] or 0.0))
    for (authority, rate, kind), names in highest_first:
        fake = Layer(measures[0], authority, rate, kind)
        items.append(
            phrases["also_item"].format(
                products=_products_text(names, rules, products),
                rate=rate_text(fake, rules),
                authority=rules.label(authority),
            )
        )
    return phrases["also"].format(items=phrases["also_join"].join(items))


def pending_lines(
    facts: Sequence[Fact],
    rules: StackingRules | None = None,
    products: Products | None = None,
) -> list[str]:
    """One line per matching measure that is not in force ("Announced, not in force: ...")."""
    rules, products = _rules(rules), products or load_products()
    phrases = rules.phrases
    lines = []
    for fact in facts:
        status = (fact.status or "").replace(" ", "_")
        layer = Layer(
            fact, fact.authority, fact.rate, fact.rate_kind or "additional", fact.products
        )
        lines.append(
            phrases["pending"].format(
                status=phrases.get(f"status_{status}", fact.status or ""),
                label=layer_label(layer, rules, products),
                rate=rate_text(layer, rules),
                since=human_date(fact.valid_from),
            )
        )
    return lines


def stack_lines(
    stack: Stack,
    *,
    importer: str | None,
    rules: StackingRules | None = None,
    products: Products | None = None,
    pending: Sequence[Fact] = (),
    also: Sequence[Fact] = (),
    excepted: Sequence[Fact] = (),
    ended: Sequence[Fact] = (),
    end_of: Callable[[Fact], str] | None = None,
) -> list[str]:
    """Every line of a layered answer, in reading order: charged layers, not-charged
    layers (those the stacking rules drop, then measures that leave the product out),
    the total, the product caveat, measures not in force, the "also:" line."""
    rules, products = _rules(rules), products or load_products()
    lines = [
        layer_line(layer, rules, products, end_of(layer.fact) if end_of else "")
        for layer in stack.charged
    ]
    lines += [not_charged_line(layer, rules, products) for layer in stack.not_charged]
    lines += [excepted_line(fact, stack.product, rules, products) for fact in excepted]
    lines += [ended_line(fact, rules, products) for fact in ended]
    lines.append(stack.total_text)
    caveat = caveat_line(stack, importer, rules, products)
    if caveat and not any(fact.products for fact in pending):
        lines.append(caveat)  # an announced product measure is named below instead
    lines += pending_lines(pending, rules, products)
    extra = also_line(also, rules, products)
    if extra:
        lines.append(extra)
    return lines


def layers_json(stack: Stack) -> list[dict[str, Any]]:
    """One object per layer for `ask --json`: what it is, where it applies, when, and
    whether (and on what share) it is charged."""
    out = []
    for layer in stack.layers:
        fact = layer.fact
        out.append(
            {
                "fact": fact.id,
                "name": layer.name,
                "authority": layer.authority,
                "rate": layer.rate,
                "rate_kind": layer.rate_kind,
                "products": list(layer.products),
                "origins": list(fact.origin_scope),
                "origins_except": list(fact.origins_except),
                "valid_from": fact.valid_from.isoformat(),
                "valid_to": fact.valid_to.isoformat() if fact.valid_to else None,
                "instrument": layer.instrument,
                "charged": layer.charged,
                "share": layer.share,
                "why_not": layer.why_not,
                "rule": layer.rule,
            }
        )
    return out


def rules_json(stack: Stack) -> list[dict[str, Any]]:
    """The stacking rules an answer relied on, with their sources, for citing."""
    return [
        {
            "rule": rule.id,
            "effect": rule.effect,
            "summary": rule.summary,
            "url": rule.source.url,
            "title": rule.source.title,
            "publisher": rule.source.publisher,
            "published": rule.source.published.isoformat(),
            "quote": rule.source.quote,
            "confidence": rule.source.confidence,
        }
        for rule in stack.rules_used
    ]

"""The stacking rules, read once from `bot/data/stacking.toml` and validated.

Which tariff layers add up and which exclude each other changes with every proclamation
(Section 232 goods left the reciprocal tariff on 2 Apr 2025, then paid it on the non-metal
share from 4 Jun 2025). Keeping those rules as dated data with their sources means a new
proclamation is a data change with a citation, and an answer can say *why* a layer is not
charged. A mistake in the file is refused at load with one line naming the rule and field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from bot import datafiles
from bot.products import Products, load_products
from bot.store.model import AUTHORITIES, CONFIDENCE_LEVELS

EFFECTS: tuple[str, ...] = ("adds", "excludes", "exempts", "share", "floor", "precedence")
RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTY_CODE = re.compile(r"^[A-Z]{2,5}$")
REQUIRED_PHRASES: tuple[str, ...] = (
    "unknown_authority",
    "all_goods_tariff",
    "label_products",
    "products_join",
    "rate",
    "rate_floor",
    "rate_suspended",
    "rate_unknown",
    "until",
    "scheduled_until",
    "layer",
    "share",
    "instrument",
    "suspended",
    "not_charged",
    "total",
    "total_split",
    "total_floor",
    "floor_extra",
    "total_unknown",
    "no_layers",
    "part_join",
    "full_value_join",
    "full_value",
    "group_join",
    "no_product_measure",
    "also",
    "also_item",
    "also_join",
    "pending",
    "excepted",
    "ended",
)
# Fields each effect needs (besides id, effect, dates, summary, source) and may have.
_NEEDS: dict[str, tuple[str, ...]] = {
    "adds": ("authorities",),
    "excludes": ("authority", "excluded"),
    "exempts": ("authorities", "products"),
    "share": ("authority", "products", "other", "share", "other_share"),
    "floor": (),
    "precedence": ("authority", "order"),
}
_MAY: dict[str, tuple[str, ...]] = {
    "adds": ("origins",),
    "excludes": ("products", "excluded_products", "origins"),
    "exempts": ("origins",),
    "share": ("origins",),
    "floor": ("authorities", "origins"),
    "precedence": ("origins",),
}
_COMMON = ("id", "effect", "valid_from", "valid_to", "summary", "source")


class StackingError(ValueError):
    """stacking.toml is malformed; the message names the rule and field to fix."""


@dataclass(frozen=True)
class RuleSource:
    url: str
    title: str
    publisher: str
    published: date
    quote: str
    confidence: str = "high"


@dataclass(frozen=True)
class Rule:
    """One dated stacking rule (see the header of stacking.toml for each effect)."""

    id: str
    effect: str
    summary: str
    source: RuleSource
    valid_from: date
    valid_to: date | None = None
    authority: str | None = None
    products: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    excluded_products: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    share: str | None = None
    other_share: str | None = None
    origins: tuple[str, ...] = ()
    order: tuple[tuple[str, ...], ...] = ()

    def active(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def applies_to_origin(self, origin: str | None) -> bool:
        """A rule limited to some origins applies only to a question about one of them."""
        return not self.origins or origin in self.origins


@dataclass(frozen=True)
class StackingRules:
    rules: tuple[Rule, ...]
    authority_labels: dict[str, str]
    component_authorities: dict[str, str]
    phrases: dict[str, str]
    _by_id: dict[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.rules})

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def active(self, day: date, effect: str) -> list[Rule]:
        """The rules with this effect in force on `day`, in file order."""
        return [r for r in self.rules if r.effect == effect and r.active(day)]

    def label(self, authority: str | None) -> str:
        if authority is None:
            return self.phrases["unknown_authority"]
        return self.authority_labels.get(authority, authority)


def _fail(where: str, message: str) -> StackingError:
    return StackingError(f"stacking.toml: {where}: {message}")


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"`{key}` is required (text)")
    return value


def _names(item: dict[str, Any], key: str, where: str, known: Any, kind: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"`{key}` is a list of {kind} names")
    for name in value:
        if name not in known:
            raise _fail(where, f"`{key}`: unknown {kind} {name!r}; known: {', '.join(known)}")
    return tuple(value)


def _date(item: dict[str, Any], key: str, where: str, required: bool) -> date | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, date):
        raise _fail(where, f"`{key}` must be a date written YYYY-MM-DD (no quotes)")
    return value


def _source(raw: Any, where: str) -> RuleSource:
    if not isinstance(raw, dict):
        raise _fail(where, "needs a [rules.source] table (url, title, publisher, published, quote)")
    url = _text(raw, "url", f"{where}.source")
    if not url.startswith(("https://", "http://")):
        raise _fail(f"{where}.source", f"url {url!r} must start with https://")
    confidence = raw.get("confidence", "high")
    if confidence not in CONFIDENCE_LEVELS:
        raise _fail(f"{where}.source", f"confidence {confidence!r}: one of high, medium, low")
    return RuleSource(
        url=url,
        title=_text(raw, "title", f"{where}.source"),
        publisher=_text(raw, "publisher", f"{where}.source"),
        published=_date(raw, "published", f"{where}.source", True),  # type: ignore[arg-type]
        quote=_text(raw, "quote", f"{where}.source"),
        confidence=confidence,
    )


def _rule(item: dict[str, Any], products: Products) -> Rule:
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise _fail(f"rule {rule_id!r}", "`id` is lower-case words joined by hyphens")
    where = f"rule {rule_id!r}"
    effect = item.get("effect")
    if effect not in EFFECTS:
        raise _fail(where, f"unknown effect {effect!r}; known: {', '.join(EFFECTS)}")
    allowed = set(_COMMON) | set(_NEEDS[effect]) | set(_MAY[effect])
    for key in item:
        if key not in allowed:
            raise _fail(where, f"field `{key}` is not used by effect {effect!r}")
    for key in _NEEDS[effect]:
        if key not in item:
            raise _fail(where, f"effect {effect!r} needs `{key}`")
    valid_from = _date(item, "valid_from", where, True)
    valid_to = _date(item, "valid_to", where, False)
    if valid_to is not None and valid_from is not None and valid_to <= valid_from:
        raise _fail(where, f"valid_to {valid_to} must be after valid_from {valid_from}")
    authority = item.get("authority")
    if authority is not None and authority not in AUTHORITIES:
        raise _fail(where, f"unknown authority {authority!r}; known: {', '.join(AUTHORITIES)}")
    groups = products.groups
    origins = item.get("origins", [])
    if not isinstance(origins, list) or not all(
        isinstance(o, str) and PARTY_CODE.match(o) for o in origins
    ):
        raise _fail(where, '`origins` is a list of party codes such as "CA"')
    return Rule(
        id=rule_id,
        effect=effect,
        summary=_text(item, "summary", where),
        source=_source(item.get("source"), where),
        valid_from=valid_from,  # type: ignore[arg-type]
        valid_to=valid_to,
        authority=authority,
        products=_names(item, "products", where, groups, "product group"),
        authorities=_names(item, "authorities", where, AUTHORITIES, "authority"),
        excluded=_names(item, "excluded", where, AUTHORITIES, "authority"),
        excluded_products=_names(item, "excluded_products", where, groups, "product group"),
        other=_names(item, "other", where, AUTHORITIES, "authority"),
        share=_text(item, "share", where) if "share" in item else None,
        other_share=_text(item, "other_share", where) if "other_share" in item else None,
        origins=tuple(origins),
        order=_order(item.get("order"), where, groups) if effect == "precedence" else (),
    )


def _order(raw: Any, where: str, groups: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(t, list) for t in raw):
        raise _fail(where, "`order` is a list of tiers, each a list of product groups")
    seen: set[str] = set()
    for tier in raw:
        for name in tier:
            if name not in groups:
                raise _fail(where, f"`order`: unknown product group {name!r}")
            if name in seen:
                raise _fail(where, f"`order`: product group {name!r} is listed twice")
            seen.add(name)
    return tuple(tuple(tier) for tier in raw)


def _table(data: dict[str, Any], key: str) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _fail(f"[{key}]", "is a table of text values")
    return dict(value)


def parse_stacking(data: dict[str, Any], products: Products | None = None) -> StackingRules:
    """Validate the parsed file; raise StackingError with one clear line on a mistake."""
    products = products or load_products()
    labels = _table(data, "authorities")
    missing = [a for a in AUTHORITIES if a not in labels]
    unknown = [a for a in labels if a not in AUTHORITIES]
    if missing or unknown:
        raise _fail(
            "[authorities]", f"label every authority once (missing {missing}, unknown {unknown})"
        )
    components = _table(data, "components")
    for name, authority in components.items():
        if authority not in AUTHORITIES:
            raise _fail(f"[components] {name!r}", f"unknown authority {authority!r}")
    phrases = _table(data, "phrases")
    for key in REQUIRED_PHRASES:
        if not phrases.get(key, "").strip():
            raise _fail("[phrases]", f"`{key}` is required")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise _fail("[[rules]]", "must be an array of tables")
    rules = [_rule(item, products) for item in raw_rules]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise _fail(f"rule {rule.id!r}", "is defined twice")
        seen.add(rule.id)
    _check_no_cycles(rules)
    return StackingRules(tuple(rules), labels, components, phrases)


def _excludes_side(winner: Rule, loser: Rule) -> bool:
    """Can a layer that `winner` lets exclude others be one that `loser` excludes?"""
    if winner.authority not in loser.excluded:
        return False
    if not winner.products or not loser.excluded_products:
        return True
    return bool(set(winner.products) & set(loser.excluded_products))


def _overlap(a: Rule, b: Rule) -> bool:
    starts_before_b_ends = b.valid_to is None or a.valid_from < b.valid_to
    b_starts_before_a_ends = a.valid_to is None or b.valid_from < a.valid_to
    origins_meet = not a.origins or not b.origins or bool(set(a.origins) & set(b.origins))
    return starts_before_b_ends and b_starts_before_a_ends and origins_meet


def _check_no_cycles(rules: list[Rule]) -> None:
    """Two excludes rules in force together must not exclude each other's layers: the
    answer would depend on which layer happened to be read first."""
    excludes = [r for r in rules if r.effect == "excludes"]
    for i, first in enumerate(excludes):
        for second in excludes[i + 1 :]:
            if (
                _overlap(first, second)
                and _excludes_side(first, second)
                and _excludes_side(second, first)
            ):
                raise _fail(
                    f"rules {first.id!r} and {second.id!r}",
                    "exclude each other on overlapping dates; end one where the other starts",
                )


@lru_cache(maxsize=1)
def load_stacking_rules() -> StackingRules:
    """The bundled (or overlaid, see bot/datafiles.py) stacking rules, parsed once."""
    return parse_stacking(tomllib.loads(datafiles.read_text("stacking.toml")))

"""Reading the measure fields of a tariff fact: origins, product scope, authority,
instrument, rate kind, and the rules that tie them to importer, exporter and rate.

Kept apart from bot/store/validate.py so each rule about measures (model.md §4) sits in
one screenful. Products are product-group ids from bot/data/products.toml; a label or
synonym ("cars") is accepted and stored as its id, so facts files may use either.
"""

from __future__ import annotations

from typing import Any

from bot.products import Products, fold, load_products
from bot.store.checker import Checker
from bot.store.model import AUTHORITIES, RATE_KINDS
from bot.vocabulary import Vocabulary

ALL_ORIGINS = "WORLD"
"""The origin code of a measure on every trading partner ("all" in forms and options)."""


def origins(c: Checker, name: str, value: Any, vocab: Vocabulary) -> tuple[str, ...]:
    """Party or bloc codes; "all" is WORLD. `origins_except` may not name WORLD."""
    if isinstance(value, list | tuple):
        value = [ALL_ORIGINS if str(v).strip().lower() == "all" else v for v in value]
    elif isinstance(value, str) and value.strip().lower() == "all":
        value = [ALL_ORIGINS]
    codes = c.party_list(name, value, vocab, '["CN", "HK", "MO"], ["EU"] or ["WORLD"]')
    if name == "origins_except" and ALL_ORIGINS in codes:
        c.fail(name, "lists the parties a WORLD or bloc measure leaves out; WORLD is not one")
    return tuple(codes)


def products(c: Checker, name: str, value: Any) -> tuple[str, ...]:
    """Product-group ids for ids, labels or synonyms, in order and without repeats."""
    if isinstance(value, str):
        value = [item for item in value.split(",") if item.strip()]
    if not isinstance(value, list | tuple):
        c.fail(name, 'must be a list of product groups, e.g. ["steel", "aluminum"]')
        return ()
    known = load_products()
    names = _product_names()
    out: list[str] = []
    for item in value:
        group = names.get(fold(item)) if isinstance(item, str) else None
        if group is None:
            c.fail(
                name,
                f"'{item}' is not a product group; use an id such as "
                f"{', '.join(list(known.groups)[:6])} (all ids: the `name`s in "
                "bot/data/products.toml)",
            )
        elif group not in out:
            out.append(group)
    return tuple(out)


_names_for: list[tuple[Products, dict[str, str]]] = []


def _product_names() -> dict[str, str]:
    """Folded id, label and synonyms -> group id; an id wins over another group's synonym.
    Built once per loaded product file (a test's overlay loads another)."""
    products = load_products()
    if _names_for and _names_for[0][0] is products:
        return _names_for[0][1]
    names = {fold(g.name): g.name for g in products.groups.values()}
    for group in products.groups.values():
        for word in (group.label, *group.synonyms):
            names.setdefault(fold(word), group.name)
    _names_for[:] = [(products, names)]
    return names


def choice(c: Checker, name: str, value: Any) -> str | None:
    """`authority` (AUTHORITIES) or `rate_kind` (RATE_KINDS), lower-cased."""
    known = AUTHORITIES if name == "authority" else RATE_KINDS
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in known:
        c.fail(name, f"'{value}' is not known; use one of: {', '.join(known)}")
        return None
    return text


def instrument(c: Checker, name: str) -> str | None:
    """Executive order, proclamation, notice or HTS headings, one line of 2–200 characters."""
    return c.text(name, limit="instrument")


def check_origins(c: Checker, fields: dict[str, Any], vocab: Vocabulary) -> None:
    """`exporter` is the first origin: filled in from `origins` when left out, refused
    when it differs. `origins_except` needs a WORLD or bloc measure and must not also be
    an origin."""
    scope = fields["origins"]
    if scope and fields["exporter"] is None and "exporter" not in _failed(c):
        fields["exporter"] = scope[0]
    elif scope and fields["exporter"] != scope[0] and fields["exporter"] is not None:
        c.fail(
            "exporter",
            f"must be the first of origins ({scope[0]}), or leave exporter out",
        )
    left_out = fields["origins_except"]
    if not left_out:
        return
    wide = [o for o in scope or (fields["exporter"],) if o and _is_group(o, vocab)]
    if not wide:
        c.fail(
            "origins_except",
            'only applies to a measure on WORLD or a bloc (e.g. origins = ["WORLD"])',
        )
    overlap = sorted(set(left_out) & set(scope))
    if overlap:
        c.fail("origins_except", f"{', '.join(overlap)} cannot be both an origin and left out")


def check_products(c: Checker, fields: dict[str, Any]) -> None:
    overlap = sorted(set(fields["products"]) & set(fields["products_except"]))
    if overlap:
        c.fail("products_except", f"{', '.join(overlap)} cannot be both covered and left out")


def _is_group(code: str, vocab: Vocabulary) -> bool:
    return code == ALL_ORIGINS or bool(vocab.members(code))


def _failed(c: Checker) -> set[str]:
    return {e.field for e in c.errors}

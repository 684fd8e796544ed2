"""The measure options of `tradebot facts add` and `facts update` (products, origins,
authority, rate kind, instrument), and how `facts show` / `facts list` print them.

Values are checked here, against bot/data/products.toml and entities.toml, so a bad one is
one line naming the option and the values it knows; the store validates them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from bot.cli_common import fail
from bot.products import fold, load_products
from bot.store.model import AUTHORITIES, RATE_KINDS, Fact
from bot.vocabulary import load_vocabulary

ALL_ORIGINS = "WORLD"


def measure_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The five measure options, shared by `facts add` and `facts update`."""
    options = [
        click.option(
            "--products",
            metavar="IDS",
            help="tariff_rate: product groups it covers, comma-separated ids or names "
            "(steel,aluminum); default all goods; '' = all goods on update.",
        ),
        click.option(
            "--origins",
            metavar="CODES",
            help="tariff_rate: origins it covers: codes (CN,HK,MO or EU), 'all', or "
            "'all-except:GB,CA'; default the --exporter.",
        ),
        click.option(
            "--authority",
            metavar="NAME",
            help=f"tariff_rate: legal authority, one of {', '.join(AUTHORITIES)}.",
        ),
        click.option(
            "--rate-kind",
            metavar="KIND",
            help="tariff_rate: additional (on top of the normal duty, the default), floor "
            "(the higher of the normal duty or the rate) or suspended.",
        ),
        click.option(
            "--instrument",
            metavar="TEXT",
            help="tariff_rate: executive order, proclamation, notice, HTS heading "
            "('EO 14257; HTS 9903.01.25').",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def measure_input(opts: dict[str, Any]) -> dict[str, Any]:
    """The raw measure fields the options give (`parse_fact`'s keys); '' clears one."""
    raw: dict[str, Any] = {}
    if opts.get("products") is not None:
        raw["products"] = resolve_products(opts["products"]) or None
    if opts.get("origins") is not None:
        raw.update(resolve_origins(opts["origins"]))
    if opts.get("authority") is not None:
        raw["authority"] = _choice("--authority", opts["authority"], AUTHORITIES)
    if opts.get("rate_kind") is not None:
        raw["rate_kind"] = _choice("--rate-kind", opts["rate_kind"], RATE_KINDS)
    if opts.get("instrument") is not None:
        raw["instrument"] = opts["instrument"].strip() or None
    return raw


def resolve_products(text: str) -> list[str]:
    """Product-group ids for comma-separated ids, labels or synonyms ('cars' -> autos)."""
    products = load_products()
    names: dict[str, str] = {}
    for group in products.groups.values():
        for name in (group.name, group.label, *group.synonyms):
            names.setdefault(fold(name), group.name)
    out: list[str] = []
    for item in _items(text):
        group = item if item in products.groups else names.get(fold(item))
        if group is None:
            fail(
                f"--products '{item}' is not a product group; use ids such as "
                f"{', '.join(products.groups)}"
            )
        if group not in out:
            out.append(group)
    return out


def resolve_origins(text: str) -> dict[str, Any]:
    """`origins` (and `origins_except`) for 'CN,HK', 'all' or 'all-except:GB,CA'."""
    text = text.strip()
    if not text:
        return {"origins": None, "origins_except": None}
    head, sep, rest = text.partition(":")
    if head.strip().lower() == "all-except" and sep:
        excluded = [_party(item) for item in _items(rest)]
        if not excluded:
            fail("--origins all-except: needs the parties left out, e.g. all-except:GB,CA")
        return {"origins": [ALL_ORIGINS], "origins_except": excluded}
    if text.lower() == "all":
        return {"origins": [ALL_ORIGINS], "origins_except": None}
    return {"origins": list(dict.fromkeys(_party(item) for item in _items(text)))}


def _party(item: str) -> str:
    code = load_vocabulary().party_code(item)
    if code is None:
        fail(
            f"--origins '{item}' is not a known party; use codes such as CN, EU, USMCA, "
            "'all' or 'all-except:GB,CA' (see bot/data/entities.toml)"
        )
    return code


def _choice(option: str, value: str, known: tuple[str, ...]) -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    if value not in known:
        fail(f"{option} '{value}' is not known; use one of: {', '.join(known)}")
    return value


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


# ---- printing ---------------------------------------------------------------------------


def measure_lines(fact: Fact) -> list[str]:
    """`facts show` lines for the measure fields that are set, aligned with the others."""
    rows = [
        ("status", fact.status if fact.kind == "tariff_rate" else None),
        ("origins", _origins_text(fact) if fact.origins or fact.origins_except else None),
        ("products", _products_text(fact) if fact.products or fact.products_except else None),
        ("authority", fact.authority),
        ("instrument", fact.instrument),
        ("rate kind", fact.rate_kind),
        ("supersedes", fact.supersedes),
    ]
    rows += [(name, _attribute_text(value)) for name, value in fact.attributes]
    return [f"  {f'{name}:':<11} {value}" for name, value in rows if value]


def measure_tag(fact: Fact) -> str:
    """A short '[steel, aluminum; section-232]' after a `facts list` line; '' if unset."""
    parts = []
    if fact.products or fact.products_except:
        parts.append(_products_text(fact))
    if fact.origins_except:
        parts.append(_origins_text(fact))
    if fact.authority:
        parts.append(fact.authority)
    if fact.rate_kind and fact.rate_kind != "additional":
        parts.append(fact.rate_kind)
    return f"  [{'; '.join(parts)}]" if parts else ""


def _products_text(fact: Fact) -> str:
    text = ", ".join(fact.products) or "all goods"
    return text + (f" except {', '.join(fact.products_except)}" if fact.products_except else "")


def _origins_text(fact: Fact) -> str:
    text = ", ".join(fact.origin_scope) or "—"
    return text + (f" except {', '.join(fact.origins_except)}" if fact.origins_except else "")


def _attribute_text(value: Any) -> str:
    return ", ".join(value) if isinstance(value, tuple) else str(value)

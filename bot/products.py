"""The product groups a question may name, read once from `bot/data/products.toml`.

The store records one tariff per pair of countries, on all goods; real tariffs come in
layers, and a product may carry its own duties (Section 232 on steel, Section 301 on
Chinese goods, retaliation on soybeans). Noticing the product a question names is what
lets an answer say the rate it gives is the all-goods one, not the product's.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

NAME = re.compile(r"^[a-z][a-z0-9-]*$")
HS_CODE = re.compile(r"^\d{2}(?:\d{2}(?:\.\d{2})?)?$")
_NOT_WORD = re.compile(r"[\W_]+")
_SPACE_WORDS = re.compile(r"^[a-z0-9 ]+$")


class ProductsError(ValueError):
    pass


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: "Aço, e-Autos!" -> "aco e autos".

    Questions and synonyms go through the same function, so a synonym matches however the
    question spells its accents and hyphens."""
    text = text.lower().replace("œ", "oe").replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class ProductGroup:
    name: str
    label: str
    synonyms: tuple[str, ...]
    hs: tuple[str, ...]
    broader: str | None = None
    not_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    group: str
    start: int
    end: int


@dataclass(frozen=True)
class Products:
    groups: dict[str, ProductGroup]
    # Built once: (folded phrase, group) longest first; words matched whole, scripts inside.
    _synonyms: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = [(fold(s), g.name) for g in self.groups.values() for s in g.synonyms]
        object.__setattr__(self, "_synonyms", tuple(sorted(pairs, key=lambda p: -len(p[0]))))

    def label(self, name: str) -> str:
        return self.groups[name].label

    def find(self, question: str) -> str | None:
        """The product group the question names first, or None. With several ("steel and
        aluminum"), the first named: answers note product duties for one named group."""
        matches = self.matches(question)
        return matches[0].group if matches else None

    def matches(self, question: str) -> list[Match]:
        """Every product named, in the order named: the longest synonym wins where two
        overlap ("electric vehicles" over "vehicles"), and a synonym inside one of its
        group's `not_in` phrases ("potato chips") names nothing."""
        text = f" {fold(question)} "
        if text.isspace():
            return []
        found: list[Match] = []
        for phrase, group in self._synonyms:
            for start in _occurrences(text, phrase):
                end = start + len(phrase)
                if any(m.start < end and start < m.end for m in found):
                    continue
                if not self._fenced(text, group, start, end):
                    found.append(Match(group, start, end))
        return sorted(found, key=lambda m: m.start)

    def _fenced(self, text: str, group: str, start: int, end: int) -> bool:
        for phrase in self.groups[group].not_in:
            folded = fold(phrase)
            for at in _occurrences(text, folded):
                if at <= start and end <= at + len(folded):
                    return True
        return False


def _occurrences(text: str, phrase: str) -> list[int]:
    """Where `phrase` starts in `text` (padded with spaces): as whole words when it is
    written in words, anywhere when in a script without spaces (Chinese, Japanese)."""
    spaced = _SPACE_WORDS.match(phrase) is not None
    needle = f" {phrase} " if spaced else phrase
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at + 1 if spaced else at)
        at = text.find(needle, at + 1)
    return out


def _group(item: dict[str, Any]) -> ProductGroup:
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise ProductsError(f"products.toml: group name {name!r}: lower-case letters and hyphens")
    for key in ("label",):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ProductsError(f"products.toml: group {name!r}: `{key}` is required (text)")
    lists = {}
    for key in ("synonyms", "hs", "not_in"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ProductsError(f"products.toml: group {name!r}: `{key}` is a list of text")
        lists[key] = tuple(value)
    if not lists["synonyms"] or not lists["hs"]:
        raise ProductsError(f"products.toml: group {name!r}: needs `synonyms` and `hs` codes")
    for code in lists["hs"]:
        if not HS_CODE.match(code):
            raise ProductsError(
                f"products.toml: group {name!r}: HS code {code!r} is not 72, 8703 or 8703.80"
            )
    return ProductGroup(
        name=name,
        label=item["label"],
        synonyms=lists["synonyms"],
        hs=lists["hs"],
        broader=item.get("broader"),
        not_in=lists["not_in"],
    )


def parse_products(data: dict[str, Any]) -> Products:
    groups: dict[str, ProductGroup] = {}
    owner: dict[str, str] = {}
    for item in data.get("groups", []):
        group = _group(item)
        if group.name in groups:
            raise ProductsError(f"products.toml: group {group.name!r} is defined twice")
        for synonym in group.synonyms:
            folded = fold(synonym)
            if owner.get(folded, group.name) != group.name:
                raise ProductsError(
                    f"products.toml: synonym {synonym!r} is in both {owner[folded]!r} "
                    f"and {group.name!r}"
                )
            owner[folded] = group.name
        groups[group.name] = group
    for group in groups.values():
        if group.broader is not None and group.broader not in groups:
            raise ProductsError(
                f"products.toml: group {group.name!r}: broader group {group.broader!r} is unknown"
            )
    return Products(groups)


@lru_cache(maxsize=1)
def load_products() -> Products:
    """The bundled product groups, parsed once per process."""
    text = resources.files("bot.data").joinpath("products.toml").read_text(encoding="utf-8")
    return parse_products(tomllib.loads(text))

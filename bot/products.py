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
from typing import Any

from bot import datafiles

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
    text = text.lower()
    if not text.isascii():  # most questions are ASCII: no accents to strip
        text = text.replace("œ", "oe").replace("ß", "ss")
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
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

    # The same, as (needle to find, offset of the phrase in it, phrase length, group), and
    # each group's `not_in` phrases folded: built once, so a question costs only finds.
    _needles: tuple[tuple[str, int, int, str], ...] = field(init=False, repr=False, compare=False)
    _fences: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    # Needles written in words, by their first word; needles in scripts without spaces.
    _by_first_word: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _unspaced: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pairs = [(fold(s), g.name) for g in self.groups.values() for s in g.synonyms]
        pairs.sort(key=lambda p: -len(p[0]))
        object.__setattr__(self, "_synonyms", tuple(pairs))
        needles = []
        for phrase, group in pairs:
            spaced = _SPACE_WORDS.match(phrase) is not None
            needle = f" {phrase} " if spaced else phrase
            needles.append((needle, 1 if spaced else 0, len(phrase), group))
        object.__setattr__(self, "_needles", tuple(needles))
        by_first: dict[str, list[int]] = {}
        for i, (needle, offset, _, _) in enumerate(needles):
            if offset:
                by_first.setdefault(needle.split()[0], []).append(i)
        object.__setattr__(self, "_by_first_word", {w: tuple(v) for w, v in by_first.items()})
        unspaced = tuple(i for i, needle in enumerate(needles) if not needle[1])
        object.__setattr__(self, "_unspaced", unspaced)
        fences = {g.name: tuple(fold(f) for f in g.not_in) for g in self.groups.values()}
        object.__setattr__(self, "_fences", fences)

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
        for needle, offset, length, group in self._candidates(text):
            if needle not in text:
                continue
            for start in _finds(text, needle, offset):
                end = start + length
                if any(m.start < end and start < m.end for m in found):
                    continue
                if not self._fenced(text, group, start, end):
                    found.append(Match(group, start, end))
        return sorted(found, key=lambda m: m.start)

    def _candidates(self, text: str) -> list[tuple[str, int, int, str]]:
        """The needles that can occur in `text`, longest first: those whose first word is
        one of its words, and those in scripts without spaces (a question names a product
        rarely, so most questions are done after one set lookup per word)."""
        picked = set(self._unspaced) if not text.isascii() else set()
        for word in set(text.split()):
            picked.update(self._by_first_word.get(word, ()))
        return [self._needles[i] for i in sorted(picked)]

    def _fenced(self, text: str, group: str, start: int, end: int) -> bool:
        for folded in self._fences[group]:
            for at in _occurrences(text, folded):
                if at <= start and end <= at + len(folded):
                    return True
        return False


def _occurrences(text: str, phrase: str) -> list[int]:
    """Where `phrase` starts in `text` (padded with spaces): as whole words when it is
    written in words, anywhere when in a script without spaces (Chinese, Japanese)."""
    spaced = _SPACE_WORDS.match(phrase) is not None
    return _finds(text, f" {phrase} " if spaced else phrase, 1 if spaced else 0)


def _finds(text: str, needle: str, offset: int) -> list[int]:
    """Where `needle` occurs in `text`, each position moved on by `offset` (the padding)."""
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at + offset)
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
def synonym_words() -> frozenset[str]:
    """Every one-word product name (folded, ASCII), with plurals: goods words."""
    words = {
        s
        for group in load_products().groups.values()
        for s in (fold(x) for x in group.synonyms)
        if s.isascii() and s.isalpha()
    }
    return frozenset(words | {w + "s" for w in words})


@lru_cache(maxsize=1)
def load_products() -> Products:
    """The bundled product groups, parsed once per process."""
    text = datafiles.read_text("products.toml")
    return parse_products(tomllib.loads(text))

"""How a question asks: its aspect (Query.aspect), read from `bot/data/aspects.toml`.

"When did CBP stop collecting?", "who dissented?", "is the 145% gone?", "how long did the
first truce rate last?" ask different things of the same facts; the answer strategies
read the aspect, never the words. The rules are data: the first that matches wins.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from bot import datafiles
from bot.query import ASPECTS


class AspectsError(ValueError):
    pass


@dataclass(frozen=True)
class AspectRule:
    name: str
    starts: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class AspectRules:
    rules: tuple[AspectRule, ...]
    fillers: frozenset[str]

    def aspect(self, clauses: list[str], whole: str) -> str:
        """`clauses`: the clauses of the asking part, normalised, in order ("since April
        2026", "is the 232 still ..."); `whole`: the whole question, the same. A phrase of
        `contains` anywhere wins first; then the first clause that starts like a rule."""
        padded = f" {whole} "
        for rule in self.rules:
            if any(f" {p} " in padded for p in rule.contains):
                return rule.name
        for clause in clauses:
            words = clause.split()
            while words and words[0] in self.fillers:
                words = words[1:]
            start = f" {' '.join(words)} "
            for rule in self.rules:
                if any(start.startswith(f" {p} ") for p in rule.starts):
                    return rule.name
        return "value"


def _phrases(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise AspectsError(f"aspects.toml: {where} is a list of phrases")
    return tuple(" ".join(p.lower().split()) for p in value)


def parse_aspects(data: dict) -> AspectRules:
    rules = []
    for n, item in enumerate(data.get("aspects", []), 1):
        name = item.get("name")
        if name not in ASPECTS or name == "value":
            raise AspectsError(
                f"aspects.toml: rule {n}: name {name!r} is not one of {', '.join(ASPECTS[1:])}"
            )
        unknown = set(item) - {"name", "starts", "contains"}
        if unknown:
            raise AspectsError(f"aspects.toml: rule {name}: unknown field(s) {sorted(unknown)}")
        starts = _phrases(item.get("starts", []), f"rule {name} `starts`")
        contains = _phrases(item.get("contains", []), f"rule {name} `contains`")
        if not starts and not contains:
            raise AspectsError(f"aspects.toml: rule {name} needs `starts` or `contains`")
        rules.append(AspectRule(name, starts, contains))
    fillers = frozenset(_phrases(data.get("fillers", []), "`fillers`"))
    return AspectRules(tuple(rules), fillers)


@lru_cache(maxsize=1)
def load_aspects() -> AspectRules:
    return parse_aspects(tomllib.loads(datafiles.read_text("aspects.toml")))

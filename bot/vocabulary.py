"""The known parties, courts and officials, read once from `bot/data/entities.toml`.

The store uses it to validate codes ("is 'XX' a party we know?") and to print names;
question understanding builds its fuzzy index from the same file, so one edit to the
data file teaches both.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot import datafiles


@dataclass(frozen=True)
class Entity:
    code: str
    name: str
    kind: str  # country | territory | bloc | special | court | official
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    role: str | None = None
    party: str | None = None
    members: tuple[str, ...] = ()
    """Blocs only: the member parties' codes (a measure on the EU covers German goods)."""


@dataclass(frozen=True)
class Vocabulary:
    parties: dict[str, Entity]
    courts: dict[str, Entity]
    officials: dict[str, Entity] = field(default_factory=dict)
    non_entities: tuple[str, ...] = ()
    """Phrases containing a name that never mean the party ("American Express")."""

    def party_code(self, value: str) -> str | None:
        """The code for a party given as a code, name or alias; None if unknown."""
        return _lookup(self.parties, value)

    def court_code(self, value: str) -> str | None:
        return _lookup(self.courts, value)

    def party_name(self, code: str | None) -> str:
        if code is None:
            return "?"
        entity = self.parties.get(code)
        return entity.name if entity else code

    def court_name(self, code: str | None) -> str:
        entity = self.courts.get(code or "")
        return entity.name if entity else (code or "?")

    def members(self, code: str) -> frozenset[str]:
        """The member parties of bloc `code`; empty for a party that is no bloc."""
        entity = self.parties.get(code)
        return frozenset(entity.members) if entity else frozenset()

    def groups_of(self, code: str) -> frozenset[str]:
        """The blocs `code` is a member of ("DE" -> {"EU"}): a question about German
        goods must find the measures the US put on EU goods."""
        return frozenset(e.code for e in self.parties.values() if code in e.members)


def _lookup(table: dict[str, Entity], value: str) -> str | None:
    text = value.strip()
    if text.upper() in table:
        return text.upper()
    folded = text.casefold()
    for entity in table.values():
        if folded == entity.name.casefold() or folded in (a.casefold() for a in entity.aliases):
            return entity.code
    return None


def _entities(items: list[dict[str, Any]], kind: str | None) -> dict[str, Entity]:
    out = {}
    for item in items:
        if item["code"] in out:
            raise ValueError(f"entities.toml: {kind or 'party'} {item['code']!r} is defined twice")
        out[item["code"]] = Entity(
            code=item["code"],
            name=item["name"],
            kind=kind or item.get("kind", "country"),
            aliases=tuple(item.get("aliases", ())),
            demonyms=tuple(item.get("demonyms", ())),
            capitals=tuple(item.get("capitals", ())),
            role=item.get("role"),
            party=item.get("party"),
            members=tuple(item.get("members", ())),
        )
    return out


def _check_members(parties: dict[str, Entity]) -> None:
    """Only blocs have members, and every member is a known party that is no bloc."""
    for entity in parties.values():
        if not entity.members:
            continue
        where = f"entities.toml: party {entity.code!r}"
        if entity.kind != "bloc":
            raise ValueError(f"{where}: only a bloc may list `members` (kind is {entity.kind!r})")
        if len(set(entity.members)) != len(entity.members):
            raise ValueError(f"{where}: a member is listed twice; list each code once")
        for member in entity.members:
            known = parties.get(member)
            if known is None:
                raise ValueError(f"{where}: member {member!r} is not a party; add it first")
            if known.kind in ("bloc", "special"):
                raise ValueError(f"{where}: member {member!r} is a {known.kind}, not a country")


def parse_vocabulary(data: dict[str, Any]) -> Vocabulary:
    vocab = Vocabulary(
        parties=_entities(data.get("parties", []), None),
        courts=_entities(data.get("courts", []), "court"),
        officials=_entities(data.get("officials", []), "official"),
        non_entities=tuple(data.get("non_entities", ())),
    )
    _check_members(vocab.parties)
    for official in vocab.officials.values():
        if official.party is not None and official.party not in vocab.parties:
            raise ValueError(
                f"entities.toml: official {official.code!r}: unknown party {official.party!r}"
            )
    return vocab


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The bundled vocabulary, parsed once per process."""
    text = datafiles.read_text("entities.toml")
    return parse_vocabulary(tomllib.loads(text))

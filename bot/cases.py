"""The court cases answers follow, read once from `bot/data/cases.toml`.

Several cases run at once (the IEEPA case, its refunds, the Section 122 surcharge case):
"who dissented?" is about one of them and "is the 122 ruling appealed?" about another,
so the Query carries the case a question names and the court answers stay inside it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot import datafiles
from bot.products import fold

CASE_ID = re.compile(r"^[a-z][a-z0-9-]*$")


class CasesError(ValueError):
    pass


@dataclass(frozen=True)
class Case:
    id: str
    label: str
    subjects: tuple[str, ...]
    words: tuple[str, ...]
    default: bool = False

    def holds(self, subject: str | None) -> bool:
        """Does a court fact with this subject belong to the case?"""
        return bool(subject) and any(subject.startswith(s) for s in self.subjects)


@dataclass(frozen=True)
class Cases:
    cases: tuple[Case, ...]

    @property
    def default(self) -> Case:
        return next(c for c in self.cases if c.default)

    def get(self, case_id: str | None) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def find(self, question: str) -> str | None:
        """The case the question names: a named non-default case before the default one
        ("IEEPA refunds" is about the refunds), None when none is named."""
        text = f" {fold(question)} "
        named = [c for c in self.cases if any(n in text for n in _needles(c))]
        named.sort(key=lambda c: c.default)
        return named[0].id if named else None


@lru_cache(maxsize=64)
def _needles(case: Case) -> tuple[str, ...]:
    """A case's words as found in folded text: whole words, or as written in scripts
    without spaces. Folded once per case, not once per question."""
    out = []
    for word in case.words:
        folded = fold(word)
        out.append(f" {folded} " if folded.isascii() else word)
    return tuple(out)


def _case(item: dict[str, Any]) -> Case:
    case_id = item.get("id")
    if not isinstance(case_id, str) or not CASE_ID.match(case_id):
        raise CasesError(f"cases.toml: case id {case_id!r}: lower-case letters and hyphens")
    if not isinstance(item.get("label"), str) or not item["label"].strip():
        raise CasesError(f"cases.toml: case {case_id!r}: `label` is required text")
    lists = {}
    for key in ("subjects", "words"):
        value = item.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise CasesError(f"cases.toml: case {case_id!r}: `{key}` is a non-empty list of text")
        lists[key] = tuple(value)
    default = item.get("default", False)
    if not isinstance(default, bool):
        raise CasesError(f"cases.toml: case {case_id!r}: `default` is true or false")
    return Case(case_id, item["label"], lists["subjects"], lists["words"], default)


def parse_cases(data: dict[str, Any]) -> Cases:
    cases = tuple(_case(item) for item in data.get("cases", []))
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise CasesError("cases.toml: a case id is defined twice")
    if sum(c.default for c in cases) != 1:
        raise CasesError("cases.toml: exactly one case needs `default = true`")
    return Cases(cases)


@lru_cache(maxsize=1)
def load_cases() -> Cases:
    """The bundled cases, parsed once per process."""
    return parse_cases(tomllib.loads(datafiles.read_text("cases.toml")))

"""The pieces every input rule is written with: a field error, the error that lists them
all, and `Checker`, which reads a raw mapping and collects errors instead of stopping at
the first (a moderator fixes everything in one go). Shared by the fact parser
(bot/store/validate*.py) and the source parser (bot/store/source_rules.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.vocabulary import Vocabulary

# \Z, not $: "$" also matches just before a final newline, letting "id\n" through.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,79}\Z")
STATUS_PATTERN = re.compile(r"^[a-z][a-z _-]{1,39}$")
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
MAX_RATE = 1000.0
RATE_DECIMALS = 4
LIMITS = {
    "statement": (10, 400),
    "subject": (2, 80),
    "basis": (3, 600),
    "disputed": (3, 400),
    "quote": (3, 1000),
    "title": (3, 300),
    "publisher": (2, 120),
    "url": (12, 500),
    "reason": (3, 500),
    "author": (1, 100),
    "component": (2, 120),
    "legal_basis": (2, 200),
    "topic": (1, 40),
    "instrument": (2, 200),
    "attribute": (1, 400),
    "item": (1, 200),
}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ValueError):
    """Raised with every problem found, so the user can fix them all at once."""

    def __init__(self, errors: Iterable[FieldError], context: str = "") -> None:
        self.errors = list(errors)
        self.context = context
        prefix = f"{context}: " if context else ""
        super().__init__("; ".join(f"{prefix}{e}" for e in self.errors))


def parse_date(value: Any) -> date:
    """Accept a `date` (TOML native) or an ISO string YYYY-MM-DD; raise ValueError otherwise."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return date.fromisoformat(value.strip())
    raise ValueError(value)


class Checker:
    """Collects field errors while reading a raw mapping."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.errors: list[FieldError] = []

    def fail(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message))

    def text(self, name: str, *, required: bool = False, limit: str | None = None) -> str | None:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, "is required")
            return None
        if not isinstance(value, str):
            self.fail(name, f"must be text, not {type(value).__name__}")
            return None
        value = " ".join(value.split()) if name != "document" else value
        low, high = LIMITS.get(limit or name, (1, 2000))
        if not low <= len(value) <= high:
            self.fail(name, f"must be {low}–{high} characters long (it has {len(value)})")
            return None
        return value

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "is required (a date YYYY-MM-DD)")
            return None
        try:
            parsed = parse_date(value)
        except ValueError:
            self.fail(name, f"'{value}' is not a date YYYY-MM-DD")
            return None
        if not MIN_DATE <= parsed <= MAX_DATE:
            self.fail(name, f"{parsed} is outside {MIN_DATE.year}–{MAX_DATE.year}")
            return None
        return parsed

    def rate(self, name: str, value: Any) -> float | None:
        if isinstance(value, bool) or value is None:
            self.fail(name, "must be a number of percent, e.g. 30 or 12.5")
            return None
        if isinstance(value, str):
            text = value.strip().removesuffix("%").strip()
            try:
                value = float(text)
            except ValueError:
                self.fail(name, f"'{value}' is not a number of percent (e.g. 30 or 12.5)")
                return None
        if not isinstance(value, int | float) or value != value:  # NaN check
            self.fail(name, "must be a number of percent, e.g. 30 or 12.5")
            return None
        if not 0 <= float(value) <= MAX_RATE:
            self.fail(name, f"{value} is outside 0–{MAX_RATE:g} percent")
            return None
        if round(float(value), RATE_DECIMALS) != float(value):
            # Rates are published to a few decimals; more is a typo or a float artefact
            # (1e-320 would print as 0% while comparing as non-zero).
            self.fail(
                name,
                f"{value} has more than {RATE_DECIMALS} decimals; give the rate as published, "
                "e.g. 12.5 or 7.25",
            )
            return None
        return float(value)

    def party(self, name: str, value: Any, vocab: Vocabulary) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(name, "is required (a party code such as US or CN)")
            return None
        code = vocab.party_code(value)
        if code is None:
            self.fail(
                name,
                f"'{value}' is not a known party; use a code such as US, CN, JP or EU "
                "(see bot/data/entities.toml)",
            )
        return code

    def party_list(self, name: str, value: Any, vocab: Vocabulary, example: str) -> list[str]:
        """Party codes from a list (or a comma-separated text), each checked, in order and
        without repeats; `example` shows the list's form in the error."""
        if isinstance(value, str):
            value = [p for p in re.split(r"[,\s]+", value) if p]
        if not isinstance(value, list | tuple):
            self.fail(name, f"must be a list of party codes, e.g. {example}")
            return []
        out: list[str] = []
        for item in value:
            code = self.party(name, item, vocab)
            if code and code not in out:
                out.append(code)
        return out

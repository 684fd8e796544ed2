"""Turn raw input (a facts file table, CLI options, a Discord modal) into a valid `Fact`.

Every door goes through `parse_fact` (here) and `parse_source` (bot/store/source_rules.py),
so a rule is written once and an error always names the field and says what to do.
Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.store.model import (
    CONFIDENCE_LEVELS,
    CONTENT_FIELDS,
    KINDS,
    Citation,
    Component,
    Fact,
    Source,
)
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
}

FACT_FIELDS: frozenset[str] = frozenset({"id", *CONTENT_FIELDS, "retracted"})
SOURCE_FIELDS: frozenset[str] = frozenset(
    {"id", "url", "title", "publisher", "published", "document"}
)


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


def parse_fact(
    raw: Mapping[str, Any],
    *,
    vocab: Vocabulary,
    sources: Mapping[str, Source],
    default_recorded: date | None = None,
) -> Fact:
    """Validate a raw fact mapping; raise `ValidationError` listing every problem.

    `sources` are the sources the fact may cite; a quote is checked literally against a
    source's document when we hold it, and required then.
    """
    c = Checker(raw)
    for key in raw:
        if key not in FACT_FIELDS:
            c.fail(key, f"unknown field; known fields: {', '.join(sorted(FACT_FIELDS))}")

    fact_id = raw.get("id")
    if not isinstance(fact_id, str) or not ID_PATTERN.match(fact_id):
        c.fail("id", "must be 2–80 characters of a-z, 0-9 and '-', starting with a letter/digit")

    kind = raw.get("kind")
    if kind not in KINDS:
        c.fail("kind", f"'{kind}' is not a known kind; use one of: {', '.join(KINDS)}")

    statement = c.text("statement", required=True)
    if statement and "\n" in str(raw.get("statement", "")).strip():
        c.fail("statement", "must be one sentence on one line")
    topic = c.text("topic") or "moderated"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", topic):
        c.fail("topic", "must be lower-case letters, digits and '-' (it names the facts file)")
    subject = c.text("subject")
    basis = c.text("basis")
    disputed = c.text("disputed")

    valid_from = c.day("valid_from", required=True)
    valid_to = c.day("valid_to")
    if valid_from and valid_to and valid_to <= valid_from:
        c.fail(
            "valid_to",
            f"{valid_to} must be after valid_from {valid_from} "
            "(valid_to is the first day the fact no longer holds)",
        )
    due = c.day("due")
    recorded = c.day("recorded") or default_recorded
    if recorded is None:
        c.fail("recorded", "is required (the date we learned this, YYYY-MM-DD)")

    confidence = raw.get("confidence", "high")
    if confidence not in CONFIDENCE_LEVELS:
        c.fail("confidence", f"'{confidence}' must be one of: {', '.join(CONFIDENCE_LEVELS)}")

    importer = exporter = None
    parties: list[str] = []
    raw_parties = raw.get("parties") or []
    if isinstance(raw_parties, str):
        raw_parties = [p for p in re.split(r"[,\s]+", raw_parties) if p]
    if not isinstance(raw_parties, list):
        c.fail("parties", 'must be a list of party codes, e.g. ["US", "CN"]')
        raw_parties = []
    for value in raw_parties:
        code = c.party("parties", value, vocab)
        if code and code not in parties:
            parties.append(code)

    rate: float | None = None
    candidates: list[float] = []
    components: list[Component] = []
    status = c.text("status", limit="subject")
    court: str | None = None

    if kind == "tariff_rate":
        importer = c.party("importer", raw.get("importer"), vocab)
        exporter = c.party("exporter", raw.get("exporter"), vocab)
        if importer and exporter and importer == exporter:
            c.fail("exporter", "must differ from importer (a tariff is put on another party)")
        if importer and exporter:
            parties = [importer, exporter]
        if raw.get("rate") is not None:
            rate = c.rate("rate", raw.get("rate"))
        raw_candidates = raw.get("rate_candidates") or []
        if not isinstance(raw_candidates, list):
            c.fail("rate_candidates", "must be a list of rates, e.g. [10, 15]")
            raw_candidates = []
        for value in raw_candidates:
            parsed = c.rate("rate_candidates", value)
            if parsed is not None:
                candidates.append(parsed)
        if rate is None and not candidates and "rate" not in {e.field for e in c.errors}:
            c.fail("rate", "is required for a tariff_rate (percent, 0–1000)")
        if candidates and len(candidates) < 2:
            c.fail("rate_candidates", "needs at least two rates when sources disagree")
        if candidates and rate is not None:
            c.fail("rate_candidates", "give either rate or rate_candidates, not both")
        if candidates and not disputed:
            c.fail("disputed", "is required with rate_candidates: say how the sources disagree")
        components = _components(c, raw.get("components"))
        if components and rate is not None:
            total = sum(comp.rate for comp in components)
            if abs(total - rate) > 0.01:
                c.fail(
                    "components",
                    f"add up to {total:g}% but rate is {rate:g}%; make them agree",
                )
    else:
        for name in ("importer", "exporter", "rate", "rate_candidates", "components"):
            if raw.get(name) not in (None, "", []):
                c.fail(name, f"only applies to tariff_rate facts, not {kind}")
        if kind in KINDS and not status:
            c.fail("status", "is required: a short status word such as 'stalled' or 'stayed'")
        if not parties and kind in KINDS:
            c.fail("parties", 'is required: the parties involved, e.g. ["US", "CN"]')
    if status and not STATUS_PATTERN.match(status):
        c.fail("status", "must be 2–40 lower-case letters, spaces, '_' or '-', e.g. 'stalled'")

    if kind == "court_ruling":
        raw_court = raw.get("court")
        court = vocab.court_code(raw_court) if isinstance(raw_court, str) else None
        if court is None:
            c.fail(
                "court",
                f"'{raw_court}' is not a known court; use one of: "
                f"{', '.join(sorted(vocab.courts))}",
            )
    elif raw.get("court"):
        c.fail("court", "only applies to court_ruling facts")
    if kind == "deadline" and due is None:
        c.fail("due", "is required for a deadline (the date it falls due, YYYY-MM-DD)")

    citations = _citations(c, raw.get("citations"), sources)

    if c.errors:
        raise ValidationError(c.errors)
    assert isinstance(fact_id, str) and statement and valid_from and recorded
    return Fact(
        id=fact_id,
        kind=str(kind),
        topic=topic,
        subject=subject,
        statement=statement,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded=recorded,
        citations=tuple(citations),
        importer=importer,
        exporter=exporter,
        parties=tuple(parties),
        rate=rate,
        rate_candidates=tuple(candidates),
        components=tuple(components),
        status=status,
        court=court,
        due=due,
        confidence=str(confidence),
        disputed=disputed,
        basis=basis,
    )


def _components(c: Checker, raw: Any) -> list[Component]:
    if raw in (None, []):
        return []
    if not isinstance(raw, list):
        c.fail("components", "must be a list of {name, rate, legal_basis} tables")
        return []
    out = []
    for i, item in enumerate(raw, 1):
        where = f"components[{i}]"
        if not isinstance(item, Mapping):
            c.fail(where, "must be a table with name and rate")
            continue
        sub = Checker(item)
        name = sub.text("name", required=True, limit="component")
        rate = sub.rate("rate", item.get("rate"))
        legal = sub.text("legal_basis")
        for key in item:
            if key not in ("name", "rate", "legal_basis"):
                sub.fail(key, "unknown field; known fields: legal_basis, name, rate")
        for err in sub.errors:
            c.fail(f"{where}.{err.field}", err.message)
        if name and rate is not None and not sub.errors:
            out.append(Component(name=name, rate=rate, legal_basis=legal))
    return out


def _citations(c: Checker, raw: Any, sources: Mapping[str, Source]) -> list[Citation]:
    if not raw:
        c.fail("citations", "at least one source is required ({source = ID, quote = ...})")
        return []
    if not isinstance(raw, list):
        c.fail("citations", "must be a list of {source, quote} tables")
        return []
    out = []
    for i, item in enumerate(raw, 1):
        where = f"citations[{i}]"
        if isinstance(item, str):
            item = {"source": item}
        if not isinstance(item, Mapping):
            c.fail(where, "must be a table with source and, for documents we hold, quote")
            continue
        source_id = item.get("source")
        source = sources.get(source_id) if isinstance(source_id, str) else None
        if source is None:
            known = ", ".join(sorted(sources)) or "none defined"
            c.fail(f"{where}.source", f"'{source_id}' is not a known source id (known: {known})")
            continue
        sub = Checker(item)
        quote = sub.text("quote")
        for err in sub.errors:
            c.fail(f"{where}.{err.field}", err.message)
        for key in item:
            if key not in ("source", "quote"):
                c.fail(f"{where}.{key}", "unknown field; known fields: quote, source")
        if source.document is not None:
            raw_quote = item.get("quote")
            if not raw_quote:
                c.fail(
                    f"{where}.quote",
                    f"is required: we hold the text of {source.id}, so "
                    "give the exact sentence(s) that support the fact",
                )
                continue
            if raw_quote not in source.document:
                c.fail(
                    f"{where}.quote",
                    f"is not found word for word in {source.id}; copy it exactly from the document",
                )
                continue
            quote = raw_quote
        out.append(Citation(source_id=source.id, quote=quote))
    return out


def fact_to_raw(fact: Fact) -> dict[str, Any]:
    """The inverse of `parse_fact`: a raw mapping that parses back to an equal fact."""
    content = fact.content()
    raw: dict[str, Any] = {"id": fact.id}
    for key, value in content.items():
        if value in (None, [], ""):
            continue
        if key == "citations":
            value = [
                {"source": c["source_id"], **({"quote": c["quote"]} if "quote" in c else {})}
                for c in value
            ]
        if key == "parties" and fact.kind == "tariff_rate":
            continue  # derived from importer/exporter
        raw[key] = value
    return raw

"""Turn raw input (a facts file table, CLI options, a Discord modal) into a valid `Fact`.

Every door goes through `parse_fact` (here) and `parse_source` (bot/store/source_rules.py),
so a rule is written once and an error always names the field and says what to do.
What a kind requires, allows and refuses is data (bot/data/kinds.toml via bot/kinds.py);
the kind-specific fields are read in bot/store/validate_kind.py, the measure fields in
validate_measure.py, event attributes in validate_attributes.py. Nothing here touches the
database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.kinds import COMMON_FIELDS, KIND_FIELDS, load_kinds
from bot.store.checker import (
    ID_PATTERN,
    LIMITS,
    MAX_DATE,
    MAX_RATE,
    MIN_DATE,
    RATE_DECIMALS,
    STATUS_PATTERN,
    Checker,
    FieldError,
    ValidationError,
    parse_date,
)
from bot.store.model import CONFIDENCE_LEVELS, END_KINDS, Citation, Fact, Source
from bot.store.validate_attributes import attributes as read_attributes
from bot.store.validate_kind import kind_fields
from bot.vocabulary import Vocabulary

__all__ = [
    "FACT_FIELDS",
    "ID_PATTERN",
    "LIMITS",
    "MAX_DATE",
    "MAX_RATE",
    "MIN_DATE",
    "RATE_DECIMALS",
    "SOURCE_FIELDS",
    "STATUS_PATTERN",
    "Checker",
    "FieldError",
    "ValidationError",
    "fact_to_raw",
    "parse_date",
    "parse_fact",
]

FACT_FIELDS: frozenset[str] = COMMON_FIELDS | frozenset(KIND_FIELDS)
SOURCE_FIELDS: frozenset[str] = frozenset(
    {"id", "url", "title", "publisher", "published", "document"}
)


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
    supersedes = raw.get("supersedes")
    if supersedes is not None and (
        not isinstance(supersedes, str) or not ID_PATTERN.match(supersedes)
    ):
        c.fail("supersedes", "must be the id of the fact this one succeeded (a-z, 0-9, '-')")
    elif supersedes is not None and supersedes == fact_id:
        c.fail("supersedes", "names the fact itself; give the id of the fact it succeeded")

    registry = load_kinds()
    kind = raw.get("kind")
    spec = registry.get(kind)
    if spec is None:
        c.fail("kind", f"'{kind}' is not a known kind; use one of: {', '.join(registry.names)}")

    common = _common_fields(c, default_recorded)
    citations = _citations(c, raw.get("citations"), sources)
    fields: dict[str, Any] = {}
    attributes: tuple[tuple[str, Any], ...] = ()
    if spec is not None:
        fields = kind_fields(c, raw, spec, registry, vocab)
        cited = [sources[citation.source_id] for citation in citations]
        attributes = read_attributes(c, raw.get("attributes"), spec, registry, cited)

    if c.errors:
        raise ValidationError(c.errors)
    assert isinstance(fact_id, str) and spec is not None
    return Fact(
        id=fact_id,
        kind=spec.name,
        citations=tuple(citations),
        supersedes=supersedes,
        attributes=attributes,
        **common,
        **fields,
    )


def _common_fields(c: Checker, default_recorded: date | None) -> dict[str, Any]:
    """The fields every kind has: statement, topic, dates, confidence, notes."""
    statement = c.text("statement", required=True)
    if statement and "\n" in str(c.raw.get("statement", "")).strip():
        c.fail("statement", "must be one sentence on one line")
    topic = c.text("topic") or "moderated"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", topic):
        c.fail("topic", "must be lower-case letters, digits and '-' (it names the facts file)")
    valid_from = c.day("valid_from", required=True)
    valid_to = c.day("valid_to")
    if valid_from and valid_to and valid_to <= valid_from:
        c.fail(
            "valid_to",
            f"{valid_to} must be after valid_from {valid_from} "
            "(valid_to is the first day the fact no longer holds)",
        )
    end_kind = c.raw.get("end_kind")
    if isinstance(end_kind, str):
        end_kind = end_kind.strip().lower() or None
    if end_kind is not None and end_kind not in END_KINDS:
        c.fail(
            "end_kind",
            f"'{end_kind}' must be 'scheduled' (an announced expiry that may be extended) "
            "or 'confirmed' (we know it ended)",
        )
    elif end_kind is not None and valid_to is None and "valid_to" not in c.raw:
        c.fail("end_kind", "says what valid_to means; give valid_to (the end date) too")
    recorded = c.day("recorded") or default_recorded
    if recorded is None:
        c.fail("recorded", "is required (the date we learned this, YYYY-MM-DD)")
    confidence = c.raw.get("confidence", "high")
    if confidence not in CONFIDENCE_LEVELS:
        c.fail("confidence", f"'{confidence}' must be one of: {', '.join(CONFIDENCE_LEVELS)}")
    return {
        "statement": statement,
        "topic": topic,
        "subject": c.text("subject"),
        "basis": c.text("basis"),
        "disputed": c.text("disputed"),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "recorded": recorded,
        "confidence": str(confidence),
        # an end cleared (the fact holds again) takes its kind with it
        "end_kind": end_kind if end_kind in END_KINDS and valid_to else None,
    }


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

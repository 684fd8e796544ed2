"""Reading the details of an event (place, participants, vote, why, …): its `attributes`.

Which attributes a kind accepts and the type of each are data (bot/data/kinds.toml);
here each type is read. A quote attribute (`why_quote`) is held to the same rule as a
citation's quote: when a cited source's document is held, the words must be in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.kinds import AttributeSpec, Kinds, KindSpec
from bot.store.checker import LIMITS, MAX_DATE, MIN_DATE, Checker, parse_date
from bot.store.model import Source

MAX_INTEGER = 1_000_000


def attributes(
    c: Checker, raw: Any, spec: KindSpec, registry: Kinds, cited: Sequence[Source]
) -> tuple[tuple[str, Any], ...]:
    """The attributes as sorted (name, value) pairs, lists as tuples; errors name
    `attributes.NAME`. `cited` are the sources the fact cites (for quotes)."""
    if raw in (None, {}):
        return ()
    if not isinstance(raw, Mapping):
        c.fail("attributes", 'must be a table, e.g. {place = "Geneva"}')
        return ()
    out: dict[str, Any] = {}
    for name, value in raw.items():
        where = f"attributes.{name}"
        if name not in spec.attributes:
            known = ", ".join(spec.attributes) or "none"
            c.fail(where, f"is not an attribute of a {spec.name}; its attributes: {known}")
            continue
        if value in (None, "", []):
            continue
        parsed = _value(c, where, registry.attributes[name], value, cited)
        if parsed is not None:
            out[name] = parsed
    for name in out:
        supports = registry.attributes[name].supports
        if supports and supports not in out:
            c.fail(f"attributes.{name}", f"backs `{supports}`: give {supports} too")
    return tuple(sorted(out.items()))


def _value(c: Checker, where: str, spec: AttributeSpec, value: Any, cited: Sequence[Source]) -> Any:
    if spec.type == "list":
        return _texts(c, where, spec, value)
    if spec.type == "integer":
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            c.fail(where, f"must be a whole number: {spec.help}")
            return None
        if not 0 <= value <= MAX_INTEGER:
            c.fail(where, f"{value} is outside 0–{MAX_INTEGER}")
            return None
        return value
    if spec.type == "date":
        try:
            day = parse_date(value)
        except ValueError:
            c.fail(where, f"'{value}' is not a date YYYY-MM-DD ({spec.help})")
            return None
        if not MIN_DATE <= day <= MAX_DATE:
            c.fail(where, f"{day} is outside {MIN_DATE.year}–{MAX_DATE.year}")
            return None
        return day.isoformat()
    if spec.type == "quote":
        return _quote(c, where, spec, value, cited)
    return _text(c, where, spec, value)


def _text(
    c: Checker, where: str, spec: AttributeSpec, value: Any, limit: str = "attribute"
) -> str | None:
    if not isinstance(value, str):
        c.fail(where, f"must be text: {spec.help}")
        return None
    text = " ".join(value.split())
    low, high = LIMITS[limit]
    if not low <= len(text) <= high:
        c.fail(where, f"must be {low}–{high} characters long (it has {len(text)})")
        return None
    if spec.pattern and not _matches(spec.pattern, text):
        c.fail(where, f"'{text}' is not in the expected form: {spec.help}")
        return None
    return text


def _texts(c: Checker, where: str, spec: AttributeSpec, value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [item for item in value.split(",") if item.strip()]
    if not isinstance(value, list | tuple):
        c.fail(where, f"must be a list of text: {spec.help}")
        return None
    items = [_text(c, where, spec, item, limit="item") for item in value]
    if any(item is None for item in items):
        return None
    return tuple(dict.fromkeys(items))  # type: ignore[arg-type]


def _quote(
    c: Checker, where: str, spec: AttributeSpec, value: Any, cited: Sequence[Source]
) -> str | None:
    """Word for word in a held document of a cited source; as given if none is held."""
    held = [s for s in cited if s.document is not None]
    if not held:
        low, high = LIMITS["quote"]
        text = " ".join(value.split()) if isinstance(value, str) else None
        if text is None or not low <= len(text) <= high:
            c.fail(where, f"must be {low}–{high} characters of text: {spec.help}")
            return None
        return text
    if not isinstance(value, str) or not any(value in s.document for s in held if s.document):
        names = ", ".join(s.id for s in held)
        c.fail(where, f"is not found word for word in {names}; copy it exactly from the document")
        return None
    return value


def _matches(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None

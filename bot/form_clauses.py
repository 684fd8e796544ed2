"""The fact form's first line: a value, then `name: value` clauses for the other fields.

A Discord modal has at most five inputs, so the measure fields of a tariff fact (products,
origins, authority, rate kind, instrument, status) and the details of an event (place,
participants, vote, …) share the first line with the rate or status:

    25%; products: steel, aluminum; origins: all except GB; authority: section-232;
    rate kind: additional; instrument: Proclamation 10947

Clauses are separated by ';' or new lines; a piece that does not open with a clause name
belongs to the clause before it (an instrument may read "EO 14257; HTS 9903.01.25").
Which clauses a kind offers, and their names, come from the kind registry (kinds.toml).
Values are passed on as typed, for the store's parser to check and resolve ("cars" ->
autos, "China" -> CN); this module only splits the line and says what it could not read.
"""

from __future__ import annotations

import re
from typing import Any

from bot.kinds import LIST_FIELDS, Kinds, KindSpec
from bot.store import FieldError, ValidationError

SEPARATOR = re.compile(r"\s*(?:;|\n)\s*")
CLAUSE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}?)\s*:\s*(.*)$", re.DOTALL)
ALL_EXCEPT = re.compile(r"\ball-except\b\s*:?\s*", re.IGNORECASE)
EXCEPT = re.compile(r"\s*\bexcept\b\s*:?\s*", re.IGNORECASE)
ALL = "all"
ALL_ORIGINS = "WORLD"


def clause_name(field_name: str) -> str:
    """How the form names a field: `rate_kind` -> "rate kind"."""
    return field_name.replace("_", " ")


def split_line(text: str, spec: KindSpec, registry: Kinds) -> tuple[str, dict[str, str]]:
    """The leading value and each clause's text by field name; raises ValidationError
    (field `value`) naming a clause the kind does not offer or one given twice."""
    offered = {clause_name(name): name for name in registry.clauses(spec.name)}
    head_names = {clause_name(name) for name in spec.form_value}
    head: list[str] = []
    clauses: dict[str, list[str]] = {}
    current = head
    errors: list[FieldError] = []
    for piece in SEPARATOR.split(text.strip()):
        match = CLAUSE.match(piece)
        key = " ".join(match.group(1).lower().replace("_", " ").split()) if match else None
        if match and key in offered:
            if offered[key] in clauses:
                errors.append(FieldError("value", f"'{key}:' is given twice; give it once"))
            current = clauses.setdefault(offered[key], [])
            current.append(match.group(2).strip())
        elif match and key in head_names and current is head and not head:
            head.append(match.group(2).strip())  # "rate: 25%" for "25%"
        elif match and key and len(key.split()) <= 2:
            names = ", ".join(offered) or "none"
            errors.append(
                FieldError(
                    "value", f"'{key}:' is not a field of a {spec.name} form; it takes: {names}"
                )
            )
        elif piece:
            current.append(piece)  # "HTS 9903.01.25" goes on the instrument before it
    if errors:
        raise ValidationError(errors)
    return "; ".join(head), {name: "; ".join(parts) for name, parts in clauses.items()}


def clause_fields(clauses: dict[str, str], spec: KindSpec, registry: Kinds) -> dict[str, Any]:
    """Raw `parse_fact` input for the clauses: every clause field of the kind, None when
    not given (so an edit that drops a clause clears the field), and `attributes`."""
    raw: dict[str, Any] = {
        name: None for name in registry.clauses(spec.name) if name not in spec.attributes
    }
    attributes: dict[str, Any] = {}
    for name, text in clauses.items():
        if name in spec.attributes:
            kind_of = registry.attributes[name].type
            attributes[name] = _items(text) if kind_of == "list" else text
        elif name in ("origins", "products"):
            raw.update(_scope(name, text))
        elif name in LIST_FIELDS:
            raw[name] = _items(text) or None
        else:
            raw[name] = text or None
    raw["attributes"] = attributes or None
    return raw


def _scope(name: str, text: str) -> dict[str, Any]:
    """'all except GB, CA' -> origins [all], origins_except [GB, CA]; 'steel and
    aluminum' -> [steel, aluminum]; 'all' (or 'all goods') products is no products."""
    text = ALL_EXCEPT.sub("all except ", text)
    covered, *rest = EXCEPT.split(text, maxsplit=1)
    left_out = rest[0] if rest else ""
    items = _items(covered, words=True)
    if [item.lower() for item in items] in ([ALL], ["all goods"]) and name == "products":
        items = []
    if not items and left_out and name == "origins":
        items = [ALL]
    out: dict[str, Any] = {name: items or None}
    if left_out.strip():
        out[f"{name}_except"] = _items(left_out, words=True)
    return out


def _items(text: str, *, words: bool = False) -> list[str]:
    """Comma-separated items; with `words`, "and" separates too (products, origins)."""
    pattern = r",|\band\b" if words else r","
    return [item.strip() for item in re.split(pattern, text) if item.strip()]


def scope_text(covered: tuple[str, ...], left_out: tuple[str, ...], everything: str) -> str:
    """The clause text for a scope: 'all except GB', 'steel, aluminum'."""
    names = [ALL if code == ALL_ORIGINS else code for code in covered]
    text = ", ".join(names) or everything
    return f"{text} except {', '.join(left_out)}" if left_out else text

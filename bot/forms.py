"""Moderator forms (Discord modals) as plain text fields -> the store's raw fact input.

Kept out of the Discord layer so every rule here is tested without Discord. Field names
in errors match the labels moderators see: `value`, `statement`, `valid`, `source`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import form_clauses, kinds
from bot.kinds import KindSpec
from bot.present import percent
from bot.service import NewSource
from bot.store import Fact, FieldError, Source, ValidationError

VALID_HELP = (
    "a date YYYY-MM-DD, or 'YYYY-MM-DD to YYYY-MM-DD' (the end is the first day it no longer holds)"
)
SOURCE_HELP = (
    "'https://… | title | publisher | YYYY-MM-DD' (one line, parts separated by |), "
    "or just the https://… link of a source already cited"
)


@dataclass(frozen=True)
class FactForm:
    """What a moderator typed. Empty strings mean "not given"."""

    value: str
    statement: str
    valid: str
    source: str = ""


def parse_valid(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in re.split(r"\s+(?:to|until|-|–|→)\s+|\s*→\s*", text.strip()) if p]
    if not parts or len(parts) > 2:
        raise ValidationError([FieldError("valid", f"must be {VALID_HELP}")])
    out: dict[str, Any] = {"valid_from": parts[0]}
    if len(parts) == 2 and parts[1].lower() not in ("open", "now", "ongoing", "?"):
        out["valid_to"] = parts[1]
    else:
        out["valid_to"] = None
    return out


def parse_source(text: str) -> NewSource | None:
    if not text.strip():
        return None
    parts = [p.strip() for p in re.split(r"\s*\|\s*|\n", text.strip()) if p.strip()]
    if len(parts) == 1 and parts[0].lower().startswith("http"):  # cite a stored source
        return NewSource(url=parts[0])
    if len(parts) != 4:
        raise ValidationError([FieldError("source", f"must be {SOURCE_HELP}")])
    return NewSource(url=parts[0], title=parts[1], publisher=parts[2], published=parts[3])


def parse_value(kind: str, text: str) -> dict[str, Any]:
    """The first line: the kind's `form_value` fields (a rate; a status; 'status, due'),
    then any `name: value` clauses (bot/form_clauses.py), as raw `parse_fact` input."""
    registry = kinds.load_kinds()
    spec = registry.get(kind)
    if spec is None:
        raise ValidationError([FieldError("kind", f"'{kind}' is not a known kind")])
    head, clauses = form_clauses.split_line(text, spec, registry)
    if not head:
        raise ValidationError([FieldError("value", f"is required: {spec.form_hint}")])
    raw = _head_fields(head, spec)
    raw.update(form_clauses.clause_fields(clauses, spec, registry))
    return raw


def _head_fields(head: str, spec: KindSpec) -> dict[str, Any]:
    """'25%' -> rate; 'Stalled' -> status; 'scheduled, 2026-11-10' -> status and due: the
    last field takes the text after the last comma."""
    names = spec.form_value
    parts = [head] if len(names) < 2 else list(head.rpartition(",")[::2])
    if len(names) > 1 and not all(p.strip() for p in parts):
        raise ValidationError(
            [FieldError("value", f"for a {spec.name}: '{spec.form_hint}', e.g. {_example(spec)}")]
        )
    out: dict[str, Any] = {}
    for name, part in zip(names, parts, strict=False):
        part = part.strip()
        out[name] = part.lower() if name == "status" else part
    return out


def _example(spec: KindSpec) -> str:
    return spec.form_hint.partition(":")[2].strip() or spec.form_hint


def value_label(kind: str) -> str:
    """The first input's label in the form (Discord allows 45 characters)."""
    spec = kinds.load_kinds().get(kind)
    return (spec.form_hint if spec else "Value")[:45]


def form_input(kind: str, form: FactForm) -> tuple[dict[str, Any], NewSource | None]:
    """Raw input for `service.add_fact` / `update_fact`; every problem reported at once."""
    raw: dict[str, Any] = {}
    errors: list[FieldError] = []
    new_source = None
    for parse in (lambda: parse_value(kind, form.value), lambda: parse_valid(form.valid)):
        try:
            raw.update(parse())
        except ValidationError as exc:
            errors += exc.errors
    try:
        new_source = parse_source(form.source)
    except ValidationError as exc:
        errors += exc.errors
    if form.statement.strip():
        raw["statement"] = form.statement
    if errors:
        raise ValidationError(errors)
    return raw, new_source


def prefill(fact: Fact) -> FactForm:
    """The current values as the edit form shows them; parsing it back changes nothing."""
    valid = fact.valid_from.isoformat() + (
        f" to {fact.valid_to.isoformat()}" if fact.valid_to else ""
    )
    return FactForm(value=value_text(fact), statement=fact.statement, valid=valid)


def value_text(fact: Fact) -> str:
    """The first line for a fact: its form_value fields, then a clause per field set."""
    registry = kinds.load_kinds()
    spec = registry.get(fact.kind)
    if spec is None:
        return fact.status or ""
    shown = [_shown(fact, name) for name in spec.form_value]
    parts = [", ".join(text for text in shown if text)]
    for name in registry.clauses(spec.name):
        if name.endswith("_except") or name in spec.attributes:
            continue  # shown with the scope they narrow; attributes below
        text = _shown(fact, name)
        if text:
            parts.append(f"{form_clauses.clause_name(name)}: {text}")
    for name, value in fact.attributes:
        text = ", ".join(value) if isinstance(value, tuple) else str(value)
        parts.append(f"{form_clauses.clause_name(name)}: {text}")
    return "; ".join(parts)


def _shown(fact: Fact, name: str) -> str:
    if name in ("origins", "products"):
        covered: tuple[str, ...] = getattr(fact, name)
        left_out: tuple[str, ...] = getattr(fact, f"{name}_except")
        if not covered and not left_out:
            return ""
        return form_clauses.scope_text(covered, left_out, everything="all")
    value = getattr(fact, name)
    if name == "rate":
        return f"{value:g}" if value is not None else ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else ""


def change_summary(before: Fact | None, after: Fact, source: Source | None) -> str:
    """'rate 25% → 15%; valid_to open → 2026-01-01' plus the source, for confirmations."""

    def show(fact: Fact, key: str) -> str:
        value = getattr(fact, key)
        if key == "rate" and value is not None:
            return percent(value)
        return "open" if value is None else str(value)

    keys = ("rate", "status", "due", "valid_from", "valid_to", "statement")
    if before is None:
        changes = "; ".join(
            f"{k} {show(after, k)}" for k in keys[:5] if getattr(after, k) is not None
        )
    elif before.retracted != after.retracted:
        changes = "retracted" if after.retracted else "restored"
    else:
        changes = (
            "; ".join(
                f"{k} {show(before, k)} → {show(after, k)}"
                for k in keys
                if getattr(before, k) != getattr(after, k)
            )
            or "citations changed"
        )
    cited = (
        f" Source: {source.title} ({source.publisher}, {source.published.isoformat()})."
        if source
        else ""
    )
    return f"{changes}.{cited}"

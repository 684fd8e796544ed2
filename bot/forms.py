"""Moderator forms (Discord modals) as plain text fields -> the store's raw fact input.

Kept out of the Discord layer so every rule here is tested without Discord. Field names
in errors match the labels moderators see: `value`, `statement`, `valid`, `source`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
    text = text.strip()
    if not text:
        raise ValidationError([FieldError("value", "is required")])
    if kind == "tariff_rate":
        return {"rate": text}
    if kind == "deadline":
        status, _, due = text.rpartition(",")
        if not status.strip():
            raise ValidationError(
                [
                    FieldError(
                        "value",
                        "for a deadline: 'status, YYYY-MM-DD', e.g. 'scheduled, 2026-11-10'",
                    )
                ]
            )
        return {"status": status.strip().lower(), "due": due.strip()}
    return {"status": text.lower()}


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
    """The current values as the edit form shows them."""
    if fact.kind == "tariff_rate":
        value = f"{fact.rate:g}" if fact.rate is not None else ""
    elif fact.kind == "deadline" and fact.due:
        value = f"{fact.status}, {fact.due.isoformat()}"
    else:
        value = fact.status or ""
    valid = fact.valid_from.isoformat() + (
        f" to {fact.valid_to.isoformat()}" if fact.valid_to else ""
    )
    return FactForm(value=value, statement=fact.statement, valid=valid)


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

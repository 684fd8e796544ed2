"""Settling a record that lapsed or is about to: "extended to …" or "ended" (a change to
something else goes through `facts change`, which ends the fact and starts its
successor). Each is an ordinary revision of the fact — who, when, why — so history,
alerts and answers see it like any other edit.

For a fact with a scheduled end, "extended to D" moves the end to D (still scheduled) and
"ended" confirms the end. For a deadline, "extended to D" moves its due date and "ended"
marks it passed (a settled status in bot/data/due.toml).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import service
from bot.store import Author, Fact, FactStore, FieldError, ValidationError

ACTIONS = ("extended", "ended")


def settle_changes(fact: Fact, action: str, until: date | None) -> dict[str, Any]:
    """The field changes for `action` on `fact`; ValidationError says what is wrong.
    Each also records that we learned it today (staleness is counted from then)."""
    return {**_changes(fact, action, until), "recorded": date.today().isoformat()}


def _changes(fact: Fact, action: str, until: date | None) -> dict[str, Any]:
    if action not in ACTIONS:
        raise ValidationError([FieldError("action", f"'{action}' is not one of {ACTIONS}")])
    if action == "extended":
        if until is None:
            raise ValidationError([FieldError("until", "give the new end date (YYYY-MM-DD)")])
        if fact.kind == "deadline" and fact.due:
            if until <= fact.due:
                raise ValidationError(
                    [FieldError("until", f"{until} is not after the due date {fact.due}")]
                )
            return {"due": until.isoformat()}
        if fact.valid_to is None or until <= fact.valid_to:
            raise ValidationError(
                [FieldError("until", f"{until} is not after the recorded end {fact.valid_to}")]
            )
        return {"valid_to": until.isoformat(), "end_kind": "scheduled"}
    if fact.kind == "deadline":
        return {"status": "passed"}
    if fact.valid_to is None:
        raise ValidationError(
            [FieldError("action", "this fact has no end date; use `facts change` or update")]
        )
    return {"end_kind": "confirmed"}


def settle(
    store: FactStore,
    fact_id: str,
    action: str,
    *,
    by: Author,
    reason: str,
    until: date | None = None,
    base_revision: int | None = None,
) -> Fact:
    """Record that the fact was extended or ended, as a revision. `base_revision`
    (default: the current one) protects an edit made meanwhile by someone else."""
    fact = store.require(fact_id)
    changes = settle_changes(fact, action, until)
    return service.update_fact(
        store,
        fact_id,
        changes,
        base_revision=base_revision or fact.revision,
        by=by,
        reason=reason,
    )

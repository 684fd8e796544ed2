"""Writing facts: add, update, retract and undo, each one transaction with a revision.

Every write checks who makes it and why, refuses an edit based on an old revision
(`ConflictError`, nothing written) and appends the before/after snapshot to `revisions`,
so history is never lost. `FactWrites` is mixed into `FactStore`; it uses the store's
connection, `transaction()` and reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.store.errors import ConflictError, StoreError
from bot.store.model import Author, Fact, Revision, Source
from bot.store.rows import fact_from_snapshot, fact_row, fact_snapshot, now
from bot.store.validate import FieldError, ValidationError, fact_to_raw, parse_fact


def check_author(author: Author, reason: str) -> None:
    """Refuse a write that would leave the audit trail without a who or a why."""
    errors = []
    if not author.name or not author.name.strip() or len(author.name) > 100:
        errors.append(FieldError("by", "must name who makes the change (1–100 characters)"))
    if not reason or len(reason.strip()) < 3 or len(reason) > 500:
        errors.append(FieldError("reason", "must say why the change is made (3–500 characters)"))
    if errors:
        raise ValidationError(errors)


class FactWrites:
    """The fact writes of `FactStore` (mixed in)."""

    db: Any
    vocab: Any

    if TYPE_CHECKING:  # provided by FactStore

        def transaction(self) -> Any: ...

        def get(self, fact_id: str, *, missing_ok: bool = False) -> Fact | None: ...

        def require(self, fact_id: str) -> Fact: ...

        def sources(self) -> dict[str, Source]: ...

        def history(self, fact_id: str) -> list[Revision]: ...

    def parse(self, raw: Mapping[str, Any], default_recorded: date | None = None) -> Fact:
        """Validate raw input against this store's vocabulary and sources."""
        return parse_fact(
            raw, vocab=self.vocab, sources=self.sources(), default_recorded=default_recorded
        )

    def add(
        self,
        raw: Mapping[str, Any] | Fact,
        *,
        by: Author,
        reason: str,
        default_recorded: date | None = None,
    ) -> Fact:
        """Create a fact (revision 1). Its id must be new."""
        check_author(by, reason)
        with self.transaction():
            fact = raw if isinstance(raw, Fact) else self.parse(raw, default_recorded)
            if self.get(fact.id, missing_ok=True) is not None:
                raise ValidationError(
                    [
                        FieldError(
                            "id", f"'{fact.id}' already exists; choose another id or edit that fact"
                        )
                    ]
                )
            fact = replace(fact, revision=1, retracted=False, retracted_reason=None)
            self._write_fact(fact, insert=True)
            self._append_revision(fact, "create", by, reason, before=None)
            return self.require(fact.id)

    def update(
        self,
        fact_id: str,
        changes: Mapping[str, Any],
        *,
        base_revision: int,
        by: Author,
        reason: str,
    ) -> Fact:
        """Write a new revision with `changes` applied to the current content.

        `base_revision` is the revision the editor saw; if the fact moved on since, a
        `ConflictError` is raised and nothing is written.
        """
        check_author(by, reason)
        with self.transaction():
            current = self._check_base(fact_id, base_revision)
            if "id" in changes and changes["id"] != fact_id:
                raise ValidationError([FieldError("id", "cannot be changed; add a new fact")])
            merged = {**fact_to_raw(current), **changes, "id": fact_id}
            merged = {k: v for k, v in merged.items() if v is not None}
            updated = self.parse(merged)
            if updated.digest() == current.digest():
                raise ValidationError(
                    [FieldError("changes", "change nothing; give at least one new value")]
                )
            return self._replace(current, updated, "update", by, reason)

    def replace_content(self, fact: Fact, *, base_revision: int, by: Author, reason: str) -> Fact:
        """Like `update`, with a whole validated fact (used by the facts-file loader)."""
        check_author(by, reason)
        with self.transaction():
            current = self._check_base(fact.id, base_revision)
            return self._replace(current, fact, "update", by, reason)

    def retract(
        self, fact_id: str, *, by: Author, reason: str, base_revision: int | None = None
    ) -> Fact:
        """Mark a fact retracted (kept, with its history, never deleted)."""
        check_author(by, reason)
        with self.transaction():
            current = self.require(fact_id)
            if base_revision is not None:
                current = self._check_base(fact_id, base_revision)
            if current.retracted:
                raise StoreError(
                    f"fact {fact_id} is already retracted ({current.retracted_reason})"
                )
            new = replace(current, retracted=True, retracted_reason=" ".join(reason.split()))
            return self._replace(current, new, "retract", by, reason)

    def undo(
        self, fact_id: str, *, by: Author, reason: str, base_revision: int | None = None
    ) -> Fact:
        """Restore the state before the latest revision, as a new revision."""
        check_author(by, reason)
        with self.transaction():
            current = self.require(fact_id)
            if base_revision is not None:
                current = self._check_base(fact_id, base_revision)
            history = self.history(fact_id)
            last = history[-1]
            if last.before is None:
                raise StoreError(
                    f"fact {fact_id} has only its first revision; nothing to undo "
                    f"(retract it instead: `tradebot facts retract {fact_id}`)"
                )
            restored = fact_from_snapshot(fact_id, last.before, current)
            return self._replace(current, restored, "undo", by, reason)

    # ---- internals ----------------------------------------------------------------------

    def _check_base(self, fact_id: str, base_revision: int) -> Fact:
        current = self.require(fact_id)
        if current.revision != base_revision:
            last = self.history(fact_id)[-1]
            raise ConflictError(fact_id, base_revision, current.revision, last.author)
        return current

    def _replace(self, current: Fact, new: Fact, action: str, by: Author, reason: str) -> Fact:
        new = replace(new, revision=current.revision + 1)
        if action != "retract" and action != "undo":
            new = replace(
                new, retracted=current.retracted, retracted_reason=current.retracted_reason
            )
        self._write_fact(new, insert=False)
        self._append_revision(new, action, by, reason, before=fact_snapshot(current))
        return self.require(new.id)

    def _write_fact(self, fact: Fact, *, insert: bool) -> None:
        row = fact_row(fact)
        if insert:
            self.db["facts"].insert(row)
        else:
            self.db["facts"].update(fact.id, row)
        self.db.execute("DELETE FROM fact_sources WHERE fact_id = ?", [fact.id])
        self.db["fact_sources"].insert_all(
            {"fact_id": fact.id, "position": i, "source_id": c.source_id, "quote": c.quote}
            for i, c in enumerate(fact.citations, 1)
        )

    def _append_revision(
        self, fact: Fact, action: str, by: Author, reason: str, before: dict[str, Any] | None
    ) -> None:
        self.db["revisions"].insert(
            {
                "fact_id": fact.id,
                "revision": fact.revision,
                "action": action,
                "author": by.name.strip(),
                "author_id": by.id,
                "reason": " ".join(reason.split()),
                "at": now(),
                "before": json.dumps(before, ensure_ascii=False) if before else None,
                "after": json.dumps(fact_snapshot(fact), ensure_ascii=False),
            }
        )

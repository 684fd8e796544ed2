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

from bot.store import succession
from bot.store.errors import ConflictError, StoreError
from bot.store.model import MEASURE_FIELDS, Author, Citation, Fact, Revision, Source
from bot.store.overlap import OverlapError, first_overlap, is_checked, may_add_overlap
from bot.store.rows import fact_from_row, fact_from_snapshot, fact_row, fact_snapshot, now
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
        check_overlap: bool = True,
    ) -> Fact:
        """Create a fact (revision 1). Its id must be new; a tariff fact may not overlap
        another of the same scope (`check_overlap=False`: the caller checks at the end,
        as the facts-file loader does once every fact of the files is in)."""
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
            if check_overlap:
                self.refuse_overlap(fact)
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

    def replace_content(
        self,
        fact: Fact,
        *,
        base_revision: int,
        by: Author,
        reason: str,
        check_overlap: bool = True,
    ) -> Fact:
        """Like `update`, with a whole validated fact (used by the facts-file loader)."""
        check_author(by, reason)
        with self.transaction():
            current = self._check_base(fact.id, base_revision)
            return self._replace(current, fact, "update", by, reason, check_overlap=check_overlap)

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

    def change(
        self,
        fact_id: str,
        *,
        effective: date,
        rate: float | None = None,
        status: str | None = None,
        by: Author,
        reason: str,
        citations: tuple[Citation, ...] | None = None,
        new_id: str | None = None,
        statement: str | None = None,
    ) -> tuple[Fact, Fact]:
        """A change in the world, as one transaction: the fact ends on `effective` and a
        successor (same content, the new rate and/or status, `supersedes` = this fact)
        starts that day and runs to the old end. Returns (ended fact, successor).

        Unlike `update`, which rewrites a fact over its whole valid time (a correction),
        the past keeps its value. Refused, with nothing written, when the date is not
        strictly inside the fact's valid time, nothing new is given, or the fact is
        retracted; the successor is validated like any new fact.
        """
        check_author(by, reason)
        with self.transaction():
            current = self.require(fact_id)
            _check_change(current, effective, rate, status)
            taken = new_id is not None and self.get(new_id, missing_ok=True) is not None
            if taken:
                raise ValidationError(
                    [FieldError("new_id", f"'{new_id}' already exists; choose another id")]
                )
            successor = self._successor(
                current, effective, rate, status, citations, statement, new_id
            )
            ended = replace(current, valid_to=effective)
            ended = self._replace(current, ended, "update", by, reason)
            self.refuse_overlap(successor)
            self._write_fact(successor, insert=True)
            self._append_revision(successor, "create", by, reason, before=None)
            return ended, self.require(successor.id)

    def _successor(
        self,
        current: Fact,
        effective: date,
        rate: float | None,
        status: str | None,
        citations: tuple[Citation, ...] | None,
        statement: str | None,
        new_id: str | None,
    ) -> Fact:
        """The successor, validated as a new fact would be (rate range, status words,
        quotes in held documents). Measure fields are copied from the stored, already
        validated fact, so this does not depend on which raw keys the parser reads."""
        raw = {k: v for k, v in fact_to_raw(current).items() if k not in MEASURE_FIELDS}
        if rate is not None:  # the old breakdown and disagreement described the old rate
            for name in ("rate_candidates", "components", "disputed"):
                raw.pop(name, None)
            raw["rate"] = rate
        if status is not None:
            raw["status"] = status
        cited = current.citations if citations is None else citations
        raw["citations"] = [
            {"source": c.source_id, **({"quote": c.quote} if c.quote else {})} for c in cited
        ]
        raw["id"] = new_id or succession.successor_id(current.id, effective, self._fact_ids())
        raw["valid_from"] = effective.isoformat()
        raw["recorded"] = date.today().isoformat()
        draft = self.parse(raw)
        raw["statement"] = statement or succession.successor_statement(current, draft, effective)
        fact = self.parse(raw)
        copied = {name: getattr(current, name) for name in MEASURE_FIELDS}
        copied["supersedes"] = current.id
        return replace(fact, **copied, revision=1)

    def overlap_of(self, fact: Fact) -> Fact | None:
        """A stored tariff fact that `fact` would overlap (see bot/store/overlap.py)."""
        if not is_checked(fact):
            return None
        end = fact.valid_to.isoformat() if fact.valid_to else "9999-12-31"
        rows = self.db.query(
            "SELECT * FROM facts WHERE kind = 'tariff_rate' AND retracted = 0 AND importer IS ?"
            " AND id != ? AND valid_from < ? AND (valid_to IS NULL OR valid_to > ?)"
            " ORDER BY valid_from, id",
            [fact.importer, fact.id, end, fact.valid_from.isoformat()],
        )
        return first_overlap(fact, (fact_from_row(row, ()) for row in rows))

    def refuse_overlap(self, fact: Fact) -> None:
        other = self.overlap_of(fact)
        if other is not None:
            raise OverlapError(fact, other)

    def _fact_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM facts").fetchall()}

    # ---- internals ----------------------------------------------------------------------

    def _check_base(self, fact_id: str, base_revision: int) -> Fact:
        current = self.require(fact_id)
        if current.revision != base_revision:
            last = self.history(fact_id)[-1]
            raise ConflictError(fact_id, base_revision, current.revision, last.author)
        return current

    def _replace(
        self,
        current: Fact,
        new: Fact,
        action: str,
        by: Author,
        reason: str,
        *,
        check_overlap: bool = True,
    ) -> Fact:
        new = replace(new, revision=current.revision + 1)
        if action != "retract" and action != "undo":
            new = replace(
                new, retracted=current.retracted, retracted_reason=current.retracted_reason
            )
        if check_overlap and may_add_overlap(current, new):
            self.refuse_overlap(new)
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


def _check_change(current: Fact, effective: date, rate: float | None, status: str | None) -> None:
    """Refuse a change that is not one: see `FactWrites.change`."""
    problems = []
    if current.retracted:
        raise StoreError(
            f"fact {current.id} is retracted ({current.retracted_reason}); a retracted fact "
            "does not change (undo the retraction first, or add a new fact)"
        )
    inside = current.valid_from < effective and (
        current.valid_to is None or effective < current.valid_to
    )
    if not inside:
        end = current.valid_to.isoformat() if current.valid_to else "open"
        problems.append(
            FieldError(
                "effective",
                f"{effective.isoformat()} is not strictly inside {current.id}'s valid time "
                f"({current.valid_from.isoformat()} to {end}); give a day after its start and "
                "before its end",
            )
        )
    if rate is None and status is None:
        problems.append(FieldError("rate", "give the new rate or the new status"))
    if rate is not None and current.kind != "tariff_rate":
        problems.append(
            FieldError("rate", f"only tariff facts have a rate; {current.id} is a {current.kind}")
        )
    same_rate = rate is None or (current.rate is not None and float(rate) == current.rate)
    same_status = status is None or " ".join(status.split()) == (current.status or "")
    if (rate is not None or status is not None) and same_rate and same_status:
        problems.append(
            FieldError(
                "rate" if rate is not None else "status", "is the same as now; nothing changes"
            )
        )
    if problems:
        raise ValidationError(problems)

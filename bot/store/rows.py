"""Row <-> object conversions for the fact store: what a fact, source or revision looks
like as a SQLite row, and the JSON snapshot of a fact that a revision keeps.

Kept apart from the queries (bot/store/store.py) and the writes (bot/store/fact_writes.py)
so that the mapping between columns and fields lives in one place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from bot.store.model import Citation, Component, Fact, Revision, Source


def now() -> str:
    """The UTC time stamp the store writes (`updated_at`, `at`, `attempted_at`)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def fact_row(fact: Fact) -> dict[str, Any]:
    """The `facts` row for `fact`, stamped now (its citations go to `fact_sources`)."""
    return {
        "id": fact.id,
        "kind": fact.kind,
        "topic": fact.topic,
        "subject": fact.subject,
        "importer": fact.importer,
        "exporter": fact.exporter,
        "parties": json.dumps(list(fact.parties)),
        "rate": fact.rate,
        "rate_candidates": json.dumps(list(fact.rate_candidates)),
        "components": json.dumps([c.__dict__ for c in fact.components]),
        "status": fact.status,
        "statement": fact.statement,
        "court": fact.court,
        "due": fact.due.isoformat() if fact.due else None,
        "valid_from": fact.valid_from.isoformat(),
        "valid_to": fact.valid_to.isoformat() if fact.valid_to else None,
        "confidence": fact.confidence,
        "disputed": fact.disputed,
        "basis": fact.basis,
        "origins": json.dumps(list(fact.origins)),
        "origins_except": json.dumps(list(fact.origins_except)),
        "products": json.dumps(list(fact.products)),
        "products_except": json.dumps(list(fact.products_except)),
        "authority": fact.authority,
        "instrument": fact.instrument,
        "rate_kind": fact.rate_kind,
        "end_kind": fact.end_kind,
        "supersedes": fact.supersedes,
        "attributes": json.dumps(dict(fact.attributes), ensure_ascii=False),
        "recorded": fact.recorded.isoformat(),
        "revision": fact.revision,
        "retracted": int(fact.retracted),
        "retracted_reason": fact.retracted_reason,
        "updated_at": now(),
    }


def fact_from_row(row: Mapping[str, Any], citations: tuple[Citation, ...]) -> Fact:
    """The fact a `facts` row holds, with its citations (read from `fact_sources`)."""
    return Fact(
        id=row["id"],
        kind=row["kind"],
        topic=row["topic"],
        subject=row["subject"],
        statement=row["statement"],
        valid_from=date.fromisoformat(row["valid_from"]),
        valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
        recorded=date.fromisoformat(row["recorded"]),
        citations=citations,
        importer=row["importer"],
        exporter=row["exporter"],
        parties=tuple(json.loads(row["parties"])),
        rate=row["rate"],
        rate_candidates=tuple(json.loads(row["rate_candidates"])),
        components=tuple(Component(**c) for c in json.loads(row["components"])),
        status=row["status"],
        court=row["court"],
        due=date.fromisoformat(row["due"]) if row["due"] else None,
        confidence=row["confidence"],
        disputed=row["disputed"],
        basis=row["basis"],
        **measure_fields(row),
        revision=row["revision"],
        retracted=bool(row["retracted"]),
        retracted_reason=row["retracted_reason"],
        updated_at=row["updated_at"],
    )


def fact_snapshot(fact: Fact) -> dict[str, Any]:
    """What a revision keeps as `before`/`after`: the content and whether it is retracted,
    so `undo` can restore either state."""
    return {
        **fact.content(),
        "retracted": fact.retracted,
        "retracted_reason": fact.retracted_reason,
    }


def fact_from_snapshot(fact_id: str, snap: Mapping[str, Any], current: Fact) -> Fact:
    """The fact a revision's snapshot describes, numbered as `current` (undo writes it as
    the next revision)."""

    def day(key: str) -> date | None:
        return date.fromisoformat(snap[key]) if snap.get(key) else None

    return Fact(
        id=fact_id,
        kind=snap["kind"],
        topic=snap["topic"],
        subject=snap.get("subject"),
        statement=snap["statement"],
        valid_from=date.fromisoformat(snap["valid_from"]),
        valid_to=day("valid_to"),
        recorded=date.fromisoformat(snap["recorded"]),
        citations=tuple(Citation(c["source_id"], c.get("quote")) for c in snap["citations"]),
        importer=snap.get("importer"),
        exporter=snap.get("exporter"),
        parties=tuple(snap.get("parties", ())),
        rate=snap.get("rate"),
        rate_candidates=tuple(snap.get("rate_candidates", ())),
        components=tuple(Component(**c) for c in snap.get("components", ())),
        status=snap.get("status"),
        court=snap.get("court"),
        due=day("due"),
        confidence=snap["confidence"],
        disputed=snap.get("disputed"),
        basis=snap.get("basis"),
        **measure_fields_from_snapshot(snap),
        revision=current.revision,
        retracted=bool(snap.get("retracted")),
        retracted_reason=snap.get("retracted_reason"),
    )


def attributes_from(mapping: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """Sorted (name, value) pairs, lists made tuples: the hashable form a Fact holds."""
    items = (mapping or {}).items()
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in items))


def measure_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The measure fields of a `facts` row (columns added by migration 006)."""
    return {
        "origins": tuple(json.loads(row["origins"] or "[]")),
        "origins_except": tuple(json.loads(row["origins_except"] or "[]")),
        "products": tuple(json.loads(row["products"] or "[]")),
        "products_except": tuple(json.loads(row["products_except"] or "[]")),
        "authority": row["authority"],
        "instrument": row["instrument"],
        "rate_kind": row["rate_kind"],
        "end_kind": row["end_kind"],
        "supersedes": row["supersedes"],
        "attributes": attributes_from(json.loads(row["attributes"] or "{}")),
    }


def measure_fields_from_snapshot(snap: Mapping[str, Any]) -> dict[str, Any]:
    """The measure fields of a revision snapshot; absent in snapshots written before 006."""
    return {
        "origins": tuple(snap.get("origins", ())),
        "origins_except": tuple(snap.get("origins_except", ())),
        "products": tuple(snap.get("products", ())),
        "products_except": tuple(snap.get("products_except", ())),
        "authority": snap.get("authority"),
        "instrument": snap.get("instrument"),
        "rate_kind": snap.get("rate_kind"),
        "end_kind": snap.get("end_kind"),
        "supersedes": snap.get("supersedes"),
        "attributes": attributes_from(snap.get("attributes")),
    }


def source_from_row(row: Mapping[str, Any]) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        publisher=row["publisher"],
        published=date.fromisoformat(row["published"]),
        document=row["document"],
        document_file=row["document_file"],
    )


def revision_from_row(row: Mapping[str, Any]) -> Revision:
    return Revision(
        seq=row["seq"],
        fact_id=row["fact_id"],
        revision=row["revision"],
        action=row["action"],
        author=row["author"],
        author_id=row["author_id"],
        reason=row["reason"],
        at=row["at"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]),
    )

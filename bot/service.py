"""The few functions every door calls (CLI, Discord extensions, tests).

Adapters translate their input into these calls and their results into text or embeds;
they hold no rules of their own. Everything here is synchronous: the Discord side runs
it in a worker thread so the event loop never waits on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.store import Author, Fact, FactStore, FieldError, Revision, Source, ValidationError
from bot.store.facts_files import LoadReport, ensure_loaded, export_facts, load_facts
from bot.store.validate import parse_source


def open_store(path: str | Path) -> FactStore:
    """Open the database at `path`; a new (empty) one gets the bundled facts first."""
    store = FactStore.open(path)
    ensure_loaded(store)
    return store


def source_id_for(url: str) -> str:
    """A readable, stable id for a new source, derived from its URL."""
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.").split(":")[0]
    host = host.rsplit(".", 1)[0] if host.count(".") >= 1 else host
    tail = [p for p in parsed.path.split("/") if p][-1:] or [""]
    slug = re.sub(r"[^a-z0-9]+", "-", f"{host}-{tail[0]}".lower()).strip("-")
    return (slug[:80].rstrip("-")) or "source"


@dataclass(frozen=True)
class NewSource:
    """A source given inline with a new fact (CLI options, a Discord modal)."""

    url: str
    title: str
    publisher: str
    published: str | date

    def to_source(self, existing: Mapping[str, Source]) -> Source:
        for source in existing.values():
            if source.url == self.url.strip():
                return source
        raw = {
            "id": source_id_for(self.url.strip()),
            "url": self.url,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
        }
        try:
            return parse_source(raw)
        except ValidationError as exc:
            raise ValidationError(
                [FieldError(f"source_{e.field}", e.message) for e in exc.errors]
            ) from None


def add_fact(
    store: FactStore,
    raw: Mapping[str, Any],
    *,
    by: Author,
    reason: str,
    new_source: NewSource | None = None,
    quote: str | None = None,
) -> Fact:
    """Add a fact, optionally with a new source it cites, in one transaction.

    Facts added by moderators are recorded today unless `recorded` says otherwise.
    """
    data = dict(raw)
    with store.transaction():
        if new_source is not None:
            source = new_source.to_source(store.sources())
            store.put_source(source)
            citation: dict[str, Any] = {"source": source.id}
            if quote:
                citation["quote"] = quote
            data["citations"] = [*(data.get("citations") or []), citation]
        return store.add(data, by=by, reason=reason, default_recorded=date.today())


def update_fact(
    store: FactStore,
    fact_id: str,
    changes: Mapping[str, Any],
    *,
    base_revision: int,
    by: Author,
    reason: str,
    new_source: NewSource | None = None,
    quote: str | None = None,
) -> Fact:
    """Apply `changes` as a new revision; a new source, if given, is cited as well."""
    data = dict(changes)
    with store.transaction():
        if new_source is not None:
            current = store.require(fact_id)
            source = new_source.to_source(store.sources())
            store.put_source(source)
            citations = [
                {"source": c.source_id, **({"quote": c.quote} if c.quote else {})}
                for c in current.citations
            ]
            citations.append({"source": source.id, **({"quote": quote} if quote else {})})
            data["citations"] = citations
        return store.update(fact_id, data, base_revision=base_revision, by=by, reason=reason)


def retract_fact(
    store: FactStore, fact_id: str, *, by: Author, reason: str, base_revision: int | None = None
) -> Fact:
    return store.retract(fact_id, by=by, reason=reason, base_revision=base_revision)


def undo_fact(
    store: FactStore, fact_id: str, *, by: Author, reason: str, base_revision: int | None = None
) -> Fact:
    return store.undo(fact_id, by=by, reason=reason, base_revision=base_revision)


def fact_history(store: FactStore, fact_id: str) -> list[Revision]:
    return store.history(fact_id)


def list_facts(
    store: FactStore,
    *,
    kind: str | None = None,
    as_of: date | None = None,
    include_retracted: bool = False,
) -> list[Fact]:
    return store.facts(kind=kind, as_of=as_of, include_retracted=include_retracted)


def load_fact_files(store: FactStore, paths: list[Path]) -> LoadReport:
    return load_facts(store, paths)


def export_fact_files(store: FactStore, directory: Path) -> list[Path]:
    return export_facts(store, directory)


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "published": source.published.isoformat(),
    }


def fact_json(store: FactStore, fact: Fact) -> dict[str, Any]:
    """A fact as the JSON the CLI prints: content, state and its sources with quotes."""
    out: dict[str, Any] = {"id": fact.id, **fact.content()}
    out.pop("citations")
    out["revision"] = fact.revision
    out["retracted"] = fact.retracted
    out["retracted_reason"] = fact.retracted_reason
    out["sources"] = [
        {**source_json(source), "quote": quote} for source, quote in store.sources_of(fact)
    ]
    return out


def revision_json(rev: Revision) -> dict[str, Any]:
    return {
        "revision": rev.revision,
        "action": rev.action,
        "author": rev.author,
        "author_id": rev.author_id,
        "reason": rev.reason,
        "at": rev.at,
        "changed": rev.changed_fields(),
        "before": rev.before,
        "after": rev.after,
    }

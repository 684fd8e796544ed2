"""The few functions every door calls (CLI, Discord extensions, tests).

Adapters translate their input into these calls and their results into text or embeds;
they hold no rules of their own. Everything here is synchronous: the Discord side runs
it in a worker thread so the event loop never waits on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.store import (
    Author,
    Citation,
    ConflictError,
    Fact,
    FactStore,
    FieldError,
    Revision,
    Source,
    ValidationError,
)
from bot.store.facts_files import LoadReport, ensure_loaded, export_facts, load_facts
from bot.store.source_rules import parse_source, source_differences
from bot.store.succession import linked_revisions
from bot.store.validate import fact_to_raw


def open_store(path: str | Path) -> FactStore:
    """Open the database at `path`; a new (empty) one gets the bundled facts first."""
    store = FactStore.open(path)
    if not store.read_only:  # a replica is answered from as it is
        ensure_loaded(store)
    return store


def source_id_for(url: str, taken: Collection[str] = ()) -> str:
    """A readable id for a new source, derived from its URL, and never one in `taken`.

    Two URLs may end in the same path segment (…/2025/05/statement, …/2025/06/statement):
    the second gets `-2` (then `-3`, …), so a new source never takes a stored one's id.
    """
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.").split(":")[0]
    host = host.rsplit(".", 1)[0] if host.count(".") >= 1 else host
    tail = [p for p in parsed.path.split("/") if p][-1:] or [""]
    slug = re.sub(r"[^a-z0-9]+", "-", f"{host}-{tail[0]}".lower()).strip("-")
    base = (slug[:80].rstrip("-")) or "source"
    if len(base) < 2:
        base = f"source-{base}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: 80 - len(suffix)].rstrip("-") + suffix
    return candidate


@dataclass(frozen=True)
class NewSource:
    """A source given inline with a fact (CLI options, a Discord modal).

    Its URL is its identity: a URL already stored is that source (the other fields may
    then be left empty, or must repeat the stored values); a new URL needs them all.
    """

    url: str
    title: str | None = None
    publisher: str | None = None
    published: str | date | None = None

    def _raw(self, source_id: str, url: str) -> dict[str, Any]:
        return {
            "id": source_id,
            "url": url,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
        }

    def to_source(self, existing: Mapping[str, Source], *, today: date | None = None) -> Source:
        """The stored source with this URL, or a new one with an id no source has."""
        url = self.url.strip()
        for source in existing.values():
            if source.url == url:
                return self._same_as(source, today)
        missing = [
            name
            for name in ("title", "publisher", "published")
            if not str(getattr(self, name) or "").strip()
        ]
        if missing and url:
            raise ValidationError(
                [
                    FieldError(f"source_{name}", f"is required: {url} is not a stored source yet")
                    for name in missing
                ]
            )
        try:
            return parse_source(self._raw(source_id_for(url, existing.keys()), url), today=today)
        except ValidationError as exc:
            errors = exc.errors
            if any(e.field == "url" for e in errors):  # the id is derived from the URL
                errors = [e for e in errors if e.field != "id"]
            raise ValidationError(_prefixed(errors)) from None

    def _same_as(self, stored: Source, today: date | None) -> Source:
        """Re-citing `stored`: any title, publisher or date given must be the stored one."""
        raw = {
            k: v
            for k, v in self._raw(stored.id, stored.url).items()
            if k in ("id", "url") or str(v or "").strip()
        }
        given = {**source_json(stored), **raw}
        try:
            parsed = parse_source(given, today=today)
        except ValidationError as exc:
            # The stored URL and id are not the input; a source stored before today's URL
            # rules may still be cited.
            errors = [e for e in exc.errors if e.field not in ("id", "url")]
            if errors:
                raise ValidationError(_prefixed(errors)) from None
            return stored
        differences = source_differences(stored, parsed, prefix="source_", documents=False)
        if differences:
            raise ValidationError(differences)
        return stored


def _prefixed(errors: list[FieldError]) -> list[FieldError]:
    return [FieldError(f"source_{e.field}", e.message) for e in errors]


def _with_source(
    store: FactStore,
    data: dict[str, Any],
    new_source: NewSource | None,
    quote: str | None,
    base: list[dict[str, Any]],
) -> list[FieldError]:
    """Store the new source (inside the caller's transaction) and cite it; return the
    source's problems instead of raising, so they are reported with the fact's own."""
    if new_source is None:
        return []
    try:
        source = new_source.to_source(store.sources())
        store.put_source(source)
    except ValidationError as exc:
        return [e if e.field.startswith("source_") else _prefixed([e])[0] for e in exc.errors]
    data["citations"] = [*base, {"source": source.id, **({"quote": quote} if quote else {})}]
    return []


def _combined(source_errors: list[FieldError], exc: ValidationError) -> ValidationError:
    # A missing citation is a consequence of the bad source, not a separate problem.
    own = [e for e in exc.errors if not (source_errors and e.field == "citations")]
    return ValidationError(source_errors + own)


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
    Every problem (the source's and the fact's) is reported at once; nothing is written.
    """
    data = dict(raw)
    with store.transaction():
        source_errors = _with_source(
            store, data, new_source, quote, list(data.get("citations") or [])
        )
        try:
            fact = store.parse(data, default_recorded=date.today())
        except ValidationError as exc:
            raise _combined(source_errors, exc) from None
        if source_errors:
            raise ValidationError(source_errors)
        return store.add(fact, by=by, reason=reason)


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
    try:
        return _update(store, fact_id, data, base_revision, by, reason, new_source, quote)
    except ConflictError as exc:
        store.record_rejected_edit(exc, changes, by, reason)
        raise


def _update(
    store: FactStore,
    fact_id: str,
    data: dict[str, Any],
    base_revision: int,
    by: Author,
    reason: str,
    new_source: NewSource | None,
    quote: str | None,
) -> Fact:
    with store.transaction():
        current = store.require(fact_id)
        cited = [
            {"source": c.source_id, **({"quote": c.quote} if c.quote else {})}
            for c in current.citations
        ]
        source_errors = _with_source(store, data, new_source, quote, cited)
        if source_errors:
            try:
                store.parse({**fact_to_raw(current), **data, "id": fact_id})
            except ValidationError as exc:
                raise _combined(source_errors, exc) from None
            raise ValidationError(source_errors)
        return store.update(fact_id, data, base_revision=base_revision, by=by, reason=reason)


def change_fact(
    store: FactStore,
    fact_id: str,
    *,
    effective: date,
    rate: float | None = None,
    status: str | None = None,
    by: Author,
    reason: str,
    new_source: NewSource | None = None,
    quote: str | None = None,
    new_id: str | None = None,
    statement: str | None = None,
) -> tuple[Fact, Fact]:
    """A change in the world (a new rate or status from `effective`): the fact ends that
    day and its successor starts, in one transaction (see `FactStore.change`). A new
    source, if given, is what the successor cites (with `quote`); otherwise it keeps the
    old citations. Returns (ended fact, successor); nothing is written on any problem."""
    with store.transaction():
        citations = None
        if new_source is not None:
            try:
                source = new_source.to_source(store.sources())
            except ValidationError as exc:
                raise ValidationError(
                    [e if e.field.startswith("source_") else _prefixed([e])[0] for e in exc.errors]
                ) from None
            store.put_source(source)
            citations = (Citation(source.id, quote or None),)
        elif quote:
            raise ValidationError(
                [FieldError("quote", "goes with a new source; give --source-url too")]
            )
        return store.change(
            fact_id,
            effective=effective,
            rate=rate,
            status=status,
            by=by,
            reason=reason,
            citations=citations,
            new_id=new_id,
            statement=statement,
        )


def linked_history(store: FactStore, fact_id: str) -> list[tuple[str, Revision]]:
    """The revisions of the facts this one succeeded or was succeeded by that belong to
    its changes (`facts change`): the other half of its history."""
    return linked_revisions(store, store.require(fact_id))


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


def load_fact_files(
    store: FactStore, paths: list[Path], *, correct_sources: bool = False
) -> LoadReport:
    return load_facts(store, paths, correct_sources=correct_sources)


def export_fact_files(store: FactStore, directory: Path, fmt: str = "toml") -> list[Path]:
    return export_facts(store, directory, fmt)


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
        "fact_id": rev.fact_id,
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


from bot.assistant import Assistant  # noqa: E402  (re-exported for the doors)

__all__ = ["Assistant"]

"""The few functions every door calls (CLI, Discord extensions, tests).

Adapters translate their input into these calls and their results into text or embeds;
they hold no rules of their own. Everything here is synchronous: the Discord side runs
it in a worker thread so the event loop never waits on SQLite.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.store import (
    Author,
    ConflictError,
    Fact,
    FactStore,
    FieldError,
    Revision,
    Source,
    StoreError,
    ValidationError,
)
from bot.store.facts_files import LoadReport, ensure_loaded, export_facts, load_facts
from bot.store.source_rules import parse_source, source_differences
from bot.store.validate import fact_to_raw
from bot.understand.text import clean_for_display


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


class Assistant:
    """The question-answering service: one per process, shared by every door.

    Built once (rules and entities indexed, facts indexed). Before each question the
    store's change counters are checked (cheap): if the facts changed, in this process or
    any other, the fact index is rebuilt and event anchors ("before the truce") are
    re-read from the facts they name; if learned phrasings changed, the matcher is
    rebuilt with them. Bookkeeping writes (answer and miss records) rebuild nothing.
    """

    def __init__(self, store: FactStore, *, stale_after_days: int = 60, rules: Any = None) -> None:
        from bot.answer.compose import Composer
        from bot.answer.index import FactIndex
        from bot.understand.engine import Engine
        from bot.understand.rules import load_rules

        self.store = store
        self.rules = rules or load_rules()
        self.index = FactIndex(store)
        self.composer = Composer(
            self.index,
            store.vocab,
            {name: i.suggestion for name, i in self.rules.intents.items()},
            stale_after_days=stale_after_days,
        )
        self._engine_cls = Engine
        self._anchor_facts: tuple[Any, ...] | None = None
        self._engine_generation = -1
        self._phrasings_generation: int | None = None
        self.engine = self._build_engine()

    def _anchors(self) -> dict[str, date]:
        self.index.refresh()
        return {
            phrase: self.index.by_id[fact_id].valid_from
            for phrase, fact_id in self.rules.anchors.items()
            if fact_id in self.index.by_id
        }

    def _events(self) -> list[tuple[tuple[str, ...], tuple[str, ...], date]]:
        """Event clauses with the dates their facts give (an event whose fact is gone or
        is not a deadline when `at = "due"` is skipped: no date, no reading)."""
        out = []
        for event in self.rules.events:
            fact = self.index.by_id.get(event.fact)
            day = fact and (fact.due if event.at == "due" else fact.valid_from)
            if day:
                out.append((event.who, event.did, day))
        return out

    def _dating_facts(self) -> tuple[Any, ...]:
        ids = [*self.rules.anchors.values(), *(e.fact for e in self.rules.events)]
        return tuple(self.index.by_id.get(i) for i in ids)

    def _build_engine(self) -> Any:
        from bot.review import learned_phrasings

        self.index.refresh()  # before reading the dating facts, or they read as missing
        self._anchor_facts = self._dating_facts()
        self._engine_generation = self.index.generation
        self._phrasings_generation = self._phrasings_now()
        return self._engine_cls(
            self.rules,
            self.store.vocab,
            self._anchors(),
            learned=learned_phrasings(self.store),
            events=self._events(),
            event_topics=self._event_topics(),
        )

    def _event_topics(self) -> dict[str, str]:
        """Anchored facts whose kind is one intent's topic: talks, court rulings, leaders."""
        topic_of_kind = {
            "negotiation_status": "negotiation_status",
            "court_ruling": "court_ruling",
            "leader_contact": "leaders",
        }
        return {
            fid: topic_of_kind[fact.kind]
            for fid in self.rules.anchors.values()
            if (fact := self.index.by_id.get(fid)) is not None and fact.kind in topic_of_kind
        }

    def reindex(self, rules: Any = None) -> None:
        """Rebuild the matcher, e.g. after new phrasings were added to the rules."""
        if rules is not None:
            self.rules = rules
            self.composer.suggestions = {n: i.suggestion for n, i in rules.intents.items()}
        self.engine = self._build_engine()

    def _phrasings_now(self) -> int | None:
        """The learned phrasings' change counter (None if the file cannot be read now)."""
        try:
            return self.store.generations().get("phrasings")
        except sqlite3.OperationalError:
            return self._phrasings_generation

    def understand(self, question: str, as_of: date) -> Any:
        self.index.refresh()
        phrasings = self._phrasings_now()
        if phrasings != self._phrasings_generation:
            self.engine = self._build_engine()  # taught by a moderator, here or elsewhere
        elif self.index.generation != self._engine_generation:
            self._engine_generation = self.index.generation
            if self._dating_facts() != self._anchor_facts:
                self.engine = self._build_engine()
        return self.engine.understand(question, as_of)

    # ---- structured questions (slash commands) ------------------------------------------

    def _structured(self, intent: str, label: str, as_of: date | None, **kwargs: Any) -> Any:
        from bot.understand.engine import Understanding

        day = as_of or date.today()
        return self.composer.compose(Understanding.structured(intent, label=label, **kwargs), day)

    def rate(
        self, importer: str, exporter: str, *, as_of: date | None = None, day: date | None = None
    ) -> Any:
        """The rate `importer` puts on `exporter`'s goods on `day` (default: as_of)."""
        return self._structured(
            "tariff_rate",
            f"/rate {importer} {exporter}",
            as_of,
            importer=importer,
            exporter=exporter,
            day=day,
        )

    def status(self, parties: list[str], *, as_of: date | None = None) -> Any:
        return self._structured(
            "negotiation_status", f"/status {' '.join(parties)}", as_of, parties=parties
        )

    def rulings(self, *, as_of: date | None = None) -> Any:
        return self._structured("court_ruling", "/rulings", as_of)

    def deadlines(self, *, as_of: date | None = None) -> Any:
        self.index.refresh()
        return self.composer.deadlines(as_of or date.today())

    def timeline(self, importer: str, exporter: str, *, as_of: date | None = None) -> Any:
        self.index.refresh()
        return self.composer.timeline(importer, exporter, as_of or date.today())

    def fact_card(self, fact_id: str, *, as_of: date | None = None) -> Any:
        self.index.refresh()
        return self.composer.fact_card(fact_id, as_of or date.today())

    def chart(self, importer: str, exporter: str, *, as_of: date | None = None) -> Any:
        """A PNG step chart of the pair's rate over time (see `bot.chart`)."""
        from bot.chart import rate_chart

        self.index.refresh()
        series = list(self.index.pair(importer, exporter))
        return rate_chart(
            series,
            dict(self.index.sources),
            self.store.vocab,
            importer,
            exporter,
            as_of or date.today(),
        )

    def about(self, *, as_of: date | None = None) -> Any:
        return self._structured("help", "/about", as_of)

    def ask_as(self, question: str, intent: str, as_of: date | None = None) -> Any:
        """Answer `question` as `intent` (a clicked interpretation of an ambiguous one)."""
        day = as_of or date.today()
        understanding = self.understand(question, day)
        understanding.intent, understanding.ambiguous = intent, False
        return self.composer.compose(understanding, day)

    def learn(self, group_id: int, intent: str, by: str) -> str:
        """Teach the review group's question as a phrasing of `intent`; the matcher is
        re-indexed at once, so the same question is answered from now on."""
        from bot import review

        group = next((g for g in review.groups(self.store, limit=10_000) if g.id == group_id), None)
        if group is None:
            raise StoreError(
                f"there is no open review group {group_id}; `tradebot review` lists them"
            )
        phrasing = review.phrasing_from(self.understand(group.question, date.today()).matchable)
        review.learn(self.store, group_id, intent, phrasing, by)
        self.reindex()
        return phrasing

    def ask(self, question: str, as_of: date | None = None) -> Any:
        """Answer one question as of a date (default today)."""
        from bot.answer.compose import empty_question_answer

        day = as_of or date.today()
        if not clean_for_display(question):
            return empty_question_answer(question, day)
        understanding = self.understand(question, day)
        return self.composer.compose(understanding, day)

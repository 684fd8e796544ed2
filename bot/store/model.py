"""The shapes of what the store holds: sources, facts, revisions.

These are plain frozen dataclasses so every door (CLI, Discord, tests) passes the same
values around, and so a fact's *content* can be compared and serialised in one way for
revisions, file digests and exports. Facts and citations have slots (no dict per
instance): the answer index keeps every one of them in memory for the whole run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


def __getattr__(name: str) -> Any:
    """`KINDS`: the known fact kinds' names, from the kind registry (bot/data/kinds.toml,
    bot/kinds.py), read when asked so a kind added in a data overlay is known too.
    `leader_contact` holds what leaders said or did to each other."""
    if name == "KINDS":
        from bot.kinds import kind_names  # the registry reads data files; not at import

        return kind_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "medium", "low")


@dataclass(frozen=True)
class Component:
    """One layer of a stacked rate, e.g. the 10% reciprocal part of the US 30%."""

    name: str
    rate: float
    legal_basis: str | None = None
    authority: str | None = None
    """One of AUTHORITIES when known; None is dropped from the content, so a fact
    written before this field keeps its digest."""


@dataclass(frozen=True, slots=True)
class Citation:
    """A link from a fact to a source, with the exact supporting quote where we hold the text."""

    source_id: str
    quote: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    title: str
    publisher: str
    published: date
    document: str | None = None
    """Full text of the document when we hold it (quotes are checked against it)."""
    document_file: str | None = None
    """Where the facts files keep that text, relative to the facts directory."""

    def content(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published.isoformat(),
            "document_sha256": (
                hashlib.sha256(self.document.encode()).hexdigest() if self.document else None
            ),
        }


# Fields that make up a fact's content, in the order files and revisions show them.
CONTENT_FIELDS: tuple[str, ...] = (
    "kind",
    "topic",
    "subject",
    "importer",
    "exporter",
    "parties",
    "rate",
    "rate_candidates",
    "components",
    "status",
    "statement",
    "court",
    "due",
    "valid_from",
    "valid_to",
    "confidence",
    "disputed",
    "basis",
    "recorded",
    "citations",
)

MEASURE_FIELDS: tuple[str, ...] = (
    "origins",
    "origins_except",
    "products",
    "products_except",
    "authority",
    "instrument",
    "rate_kind",
    "supersedes",
    "attributes",
    "end_kind",
)
"""Fields added with the measures model (migration 006; `end_kind` with 007). They are
part of a fact's content only when set, so a fact written before them keeps its digest
and its history."""

AUTHORITIES: tuple[str, ...] = (
    "ieepa-reciprocal",
    "ieepa-fentanyl",
    "section-232",
    "section-301",
    "section-122",
    "section-201",
    "ad-cvd",
    "retaliation",
    "other",
)
"""The legal authority a measure is imposed under (model.md §4 `legal_authority`)."""

RATE_KINDS: tuple[str, ...] = ("additional", "floor", "suspended")
"""additional: N% on top of the normal duty; floor: the higher of the normal duty or N%
(all-in); suspended: the measure exists but charges nothing for now."""

MEASURE_STATUSES: tuple[str, ...] = (
    "announced",
    "threatened",
    "in force",
    "paused",
    "struck down",
    "expired",
)
"""A measure's status; a tariff fact with no status is in force during its valid time."""

END_KINDS: tuple[str, ...] = ("scheduled", "confirmed")
"""What a fact's `valid_to` means. scheduled: an expiry announced in advance (a truce, a
90-day pause, a 150-day surcharge), which may yet be extended; confirmed: we know it
ended then. Unset reads as confirmed (the record says it ended)."""


@dataclass(frozen=True, slots=True)
class Fact:
    """A sourced statement about the world with the interval during which it is true.

    `valid_from`/`valid_to` are *valid time*: `valid_to` is exclusive (the first day the
    fact no longer holds) or None while it still holds. `recorded` is when we learned it,
    which is what staleness warnings are measured against.
    """

    id: str
    kind: str
    statement: str
    valid_from: date
    recorded: date
    citations: tuple[Citation, ...]
    topic: str = "moderated"
    subject: str | None = None
    importer: str | None = None
    exporter: str | None = None
    parties: tuple[str, ...] = ()
    rate: float | None = None
    rate_candidates: tuple[float, ...] = ()
    components: tuple[Component, ...] = ()
    status: str | None = None
    court: str | None = None
    due: date | None = None
    valid_to: date | None = None
    confidence: str = "high"
    disputed: str | None = None
    basis: str | None = None
    # The measures model (see MEASURE_FIELDS). `exporter` stays the measure's first origin
    # (a party, a bloc such as EU, or WORLD); `origins` lists every origin when there are
    # several (CN, HK, MO), `origins_except` those a WORLD measure leaves out (GB).
    # `products` are product-group ids from bot/data/products.toml; empty means all goods.
    origins: tuple[str, ...] = ()
    origins_except: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    products_except: tuple[str, ...] = ()
    authority: str | None = None
    instrument: str | None = None
    rate_kind: str | None = None
    supersedes: str | None = None
    """The measure this one succeeded (`facts change` ends one and starts the next)."""
    end_kind: str | None = None
    """END_KINDS: is `valid_to` a scheduled expiry or a confirmed end? (None: confirmed.)"""
    attributes: tuple[tuple[str, Any], ...] = ()
    """Validated details of an event (place, participants, vote, …), as sorted pairs so
    the fact stays hashable; values are text or tuples of text."""
    # State kept by the store, not part of the content:
    revision: int = 0
    retracted: bool = False
    retracted_reason: str | None = None
    updated_at: str | None = field(default=None, compare=False)

    def content(self) -> dict[str, Any]:
        """The fact's content as JSON-ready values (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for name in CONTENT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif name in ("components", "citations"):
                value = [_drop_none(asdict(v)) for v in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        for name in MEASURE_FIELDS:
            value = getattr(self, name)
            if value in (None, ()):
                continue  # unset: the content (and digest) of a pre-measure fact is unchanged
            if name == "attributes":
                value = {k: list(v) if isinstance(v, tuple) else v for k, v in value}
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def digest(self) -> str:
        """A stable hash of the content: equal content, equal digest."""
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def scheduled_end(self) -> bool:
        """Is the end an announced expiry, not a known end? (Answers after it passes say
        "was scheduled to end", never "ended" or "in force".)"""
        return self.valid_to is not None and self.end_kind == "scheduled"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def origin_scope(self) -> tuple[str, ...]:
        """Every origin the measure names (its exporter when only one)."""
        return self.origins or ((self.exporter,) if self.exporter else ())

    @property
    def all_goods(self) -> bool:
        return not self.products

    def attribute(self, name: str) -> Any:
        return dict(self.attributes).get(name)

    @property
    def source_ids(self) -> list[str]:
        return [c.source_id for c in self.citations]


@dataclass(frozen=True)
class Revision:
    """One entry of a fact's append-only history."""

    fact_id: str
    revision: int
    action: str  # create | update | retract | undo
    author: str
    author_id: str | None
    reason: str
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any]
    seq: int = 0

    def changed_fields(self) -> list[str]:
        if self.before is None:
            return []
        keys = sorted(set(self.before) | set(self.after))
        return [k for k in keys if self.before.get(k) != self.after.get(k)]


SOURCE_EDITABLE: tuple[str, ...] = ("title", "publisher", "published")
"""A source's fields that an explicit edit may change; its URL is its identity."""


@dataclass(frozen=True)
class SourceRevision:
    """One explicit edit of a source's metadata (title, publisher, published).

    `seq` is numbered with fact revisions, so both form one change feed; `cited_by`
    lists the facts citing the source when it was edited ({id, kind, parties}).
    """

    source_id: str
    revision: int
    action: str  # edit
    author: str
    author_id: str | None
    reason: str
    at: str
    before: dict[str, Any]
    after: dict[str, Any]
    cited_by: tuple[dict[str, Any], ...] = ()
    seq: int = 0

    def changed_fields(self) -> list[str]:
        return [k for k in SOURCE_EDITABLE if self.before.get(k) != self.after.get(k)]


@dataclass(frozen=True)
class Author:
    """Who made a change: a moderator's display name and, for Discord, their user id."""

    name: str
    id: str | None = None


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}

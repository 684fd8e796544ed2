"""The Query: everything a question asks, typed and frozen, built once.

Understanding (bot/understand) reads a question's words and builds one Query at the end
of `Engine.understand()`; slash commands build theirs directly from their options. The
answer side (bot/answer) reads only the Query and the facts: it never reads words again,
so what a question means is decided in one place, and a new way of asking is a change to
understanding (or its data), never to the composer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from bot.dates import DateRange

MAX_UNDERSTOOD_CHARS = 2000
"""The longest question read (a Discord message's length): a longer one is answered by
asking for one question, never understood from a part of it as if that were the whole."""

ASPECTS = (
    "value",
    "when",
    "where",
    "who",
    "which",
    "why",
    "how_many",
    "yes_no",
    "compare",
    "duration",
    "sequence",
    "timeline",
)
"""What about the topic is asked (bot/data/aspects.toml; "compare" also when two dates
are joined by a comparing word). Strategies read it, never the question's words."""
DATE_ROLES = ("none", "asked", "future", "event")
"""How the question dates itself: no date, a date asked about, a date after today, or no
date but a named event ("in the Geneva truce"), whose weeks a change question asks about
(the composer finds the event's date in the facts)."""


@dataclass(frozen=True, slots=True)
class Query:
    """One question, as the answer strategies need it. Field groups: what is asked
    (intent, aspect, confidence), who and what it is about (sides, parties, product),
    when (dates and their role), and flags for how it is asked."""

    question: str
    """The original text, for display only (the answer's header and JSON): never parsed."""
    intent: str | None
    confidence: float = 1.0
    aspect: str = "value"
    candidates: tuple[tuple[str, float], ...] = ()
    """The closest readings (intent, score), best first: offered when `ambiguous`."""
    ambiguous: bool = False
    too_long: bool = False
    """Longer than MAX_UNDERSTOOD_CHARS: not read, answered by asking for one question."""

    # ---- sides and parties ------------------------------------------------------------
    importer: str | None = None
    exporter: str | None = None
    both_ways: bool = False
    """Two parties and no direction ("china usa tariffs"): both directions are asked."""
    product: str | None = None
    """A product group id (bot/data/products.toml), or None (all goods)."""
    authority: str | None = None
    """A legal authority (bot.store.model.AUTHORITIES) the question names; not read yet."""
    parties: tuple[str, ...] = ()
    """Every party named, in order of mention."""
    named_outright: tuple[str, ...] = ()
    """Parties named by name, alias or demonym, not (only) by their capital."""
    capitals: tuple[tuple[str, str], ...] = ()
    """(code, text) of parties named by a capital ("London"), which may be a place."""
    capital_venues: tuple[str, ...] = ()
    """Parties named only by a capital followed by a venue word ("the London talks")."""
    excluded: frozenset[str] = frozenset()
    """Parties and courts set aside ("deals besides China")."""
    venues: frozenset[str] = frozenset()
    """Parties named only as a place ("Trump and Xi met in Korea")."""
    courts: tuple[str, ...] = ()
    case: str | None = None
    """The court case named (bot/data/cases.toml: "who dissented?" is the IEEPA case,
    "refunds" their own), or None."""
    terms: tuple[str, ...] = ()
    """The question's content words (names of parties and function words left out), for
    full-text retrieval over the facts (bot/answer/retrieval.py)."""
    in_domain: bool = False
    """The question is inside the trade topic (a party named outright, a product, a court
    or case, or a trade word of bot/data/retrieval.toml) and no forbidden word says
    otherwise: the gate retrieval needs before it may answer."""
    officials: tuple[str, ...] = ()

    # ---- dates --------------------------------------------------------------------------
    dates: tuple[DateRange, ...] = ()
    """Every date the question names, in order."""
    date_asked: DateRange | None = None
    """The date the question is about (the one in its closing question, never the date
    someone said something)."""
    date_role: str = "none"
    named_events: tuple[str, ...] = ()
    """Fact ids of events the question names as a topic ("the London talks")."""

    # ---- how it is asked ----------------------------------------------------------------
    recently: bool = False
    """"had recently been cut": the change before the date, not one after it."""
    about_components: bool = False
    """Asks about a part of a rate ("the reciprocal part", "breakdown")."""
    original_schedule: bool = False
    """"when was it originally supposed to end?"."""
    about_extension: bool = False
    """"did it get extended?"."""
    asks_meaning: bool = False
    """Asks how or by what instrument ("which executive order?")."""
    fired: tuple[str, ...] = ()
    """The understanding rules that decided this reading, in words (`ask --explain`)."""
    follow_up: str | None = None
    """"lead" ("and Japan?"), "reverse" ("the other way?"), "before" or "after" ("and
    before that?") when the question continues the previous one (bot/followup.py)."""
    rate_bound: str | None = None
    """"above" or "below" when the quoted rate is a bound ("was it above 100%?"), else
    None (the rate itself is asked about)."""
    pending_only: bool = False
    """"which deals are close?": pending ones only."""
    status_asked: bool = False
    """"the current situation", "latest": a status question even without a party."""
    global_asked: bool = False
    """A tariff on every trading partner ("across the board")."""
    quotes_a_rate: bool = False
    """The question writes a percentage ("is 145% still a thing?")."""
    quoted_rates: tuple[float, ...] = ()
    """The percentages written in the question."""
    rate_numbers: tuple[float, ...] = ()
    """Bare numbers after a word that quotes a rate ("from 145 to what?"): rates only if
    one is tracked (the composer checks, it knows the facts)."""

    def __post_init__(self) -> None:
        if self.aspect not in ASPECTS:
            raise ValueError(f"aspect {self.aspect!r} is not one of {', '.join(ASPECTS)}")
        if self.date_role not in DATE_ROLES:
            raise ValueError(f"date_role {self.date_role!r} is not one of {', '.join(DATE_ROLES)}")

    @classmethod
    def structured(
        cls,
        intent: str,
        *,
        label: str,
        importer: str | None = None,
        exporter: str | None = None,
        parties: list[str] | tuple[str, ...] = (),
        day: date | None = None,
        today: date | None = None,
    ) -> Query:
        """A Query from a slash command's options: the codes as given (already checked
        against the vocabulary), one day if given; `label` is the command as shown."""
        codes = tuple(dict.fromkeys(c for c in (importer, exporter, *parties) if c))
        dates = (DateRange(day, day, day.isoformat()),) if day else ()
        role = "none" if day is None else "future" if today and day > today else "asked"
        return cls(
            question=label,
            intent=intent,
            importer=importer,
            exporter=exporter,
            parties=codes,
            named_outright=codes,
            dates=dates,
            date_asked=dates[0] if dates else None,
            date_role=role,
        )

    def to_json(self) -> dict[str, Any]:
        """The Query as JSON values (dates as ISO text, sets sorted)."""
        out: dict[str, Any] = {}
        for name, value in asdict(self).items():
            out[name] = _json_value(value)
        return out


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):  # a DateRange, through asdict
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value

"""Where things stand: trade talks, leaders' contacts, deals (strategies
`negotiation_status`, `leaders`, `deals`), and the generic `status` strategy that
answers any fact kind an intent in intents.toml names with `kind = "..."`."""

from __future__ import annotations

from datetime import date

from bot import due
from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.dates import DateRange
from bot.kinds import topic_word
from bot.query import Query
from bot.store import Fact

PENDING_STATUSES = frozenset({"close", "near", "pending", "talks ongoing"})
GENERIC_FOLLOW_UPS = ["What is the US tariff on Chinese goods?", "When does the truce end?"]


def negotiation_status(kit: Kit, asked: Asked) -> Answer:
    q, rng = asked.query, asked.rng
    # "Akazawa's talks in Washington": a negotiator named stands for the side he speaks for.
    speaking_for = [kit.vocab.officials[o].party for o in q.officials]
    parties = kit.topic_parties(q, default=[p for p in speaking_for if p and p != "US"])
    if (
        parties
        and parties != ["US"]
        and not kit.valid("negotiation_status", parties, rng, q)
        and not kit.named_events(q, "negotiation_status", rng)
        and kit.valid("deal_status", parties, rng, q)
    ):
        # "the US–India interim framework": no talks recorded, but the deal they made is
        return deals(kit, asked, parties)
    return status_answer(
        kit,
        "negotiation_status",
        asked,
        ["Have Trump and Xi spoken?", "When does the truce end?"],
        parties=parties,
    )


def leaders(kit: Kit, asked: Asked) -> Answer:
    q = asked.query
    # The officials' countries and any other party named, except places ("Trump and Xi
    # in Korea"): "Has Trump spoken with Japan's prime minister?" is about US and Japan.
    named = [p for p in q.parties if p not in q.venues]
    officials = {kit.vocab.officials[o].party for o in q.officials} - {None}
    parties = sorted(officials | set(named))  # type: ignore[arg-type]
    return status_answer(
        kit,
        "leader_contact",
        asked,
        ["Where do the US–China talks stand?", "What is the US tariff on Chinese goods?"],
        parties=parties,
    )


def deals(kit: Kit, asked: Asked, parties: list[str] | None = None) -> Answer:
    q, rng, base = asked.query, asked.rng, asked.base
    parties = kit.topic_parties(q) if parties is None else parties
    found = kit.valid("deal_status", parties, rng, q)
    if q.pending_only:  # "which deals are close?": pending ones only, if any
        # "is a Tokyo–Washington agreement close?" after it was made: the deal made.
        found = [f for f in found if f.status in PENDING_STATUSES] or (found if parties else [])
    if not found and parties:  # past a deal's scheduled end with nothing after it
        found = lapsed_facts(kit, "deal_status", parties, rng, q)
    if not found and parties and parties != ["US"]:  # "US deals" are any deals
        talks = kit.valid("negotiation_status", parties, rng, q)
        if talks:
            lines = [f"No deal is recorded for {kit.names.parties(parties)}."]
            lines += [kit.status_line(f, rng.end) for f in talks[-2:]]
            return kit.answer(base, lines, talks[-2:], ["Which trade deals are close?"])
    if not found:
        candidates = [f for f in kit.index.kind("deal_status") if set(parties) <= set(f.parties)]
        return kit.topic_missing(base, "deal_status", topic_word("deal_status"), rng, candidates)
    chosen = found[::-1][:3]
    return kit.answer(
        base,
        [kit.status_line(f, rng.end) for f in chosen],
        chosen,
        ["Where do the US–Japan talks stand?", "When does the truce end?"],
    )


def lapsed_facts(kit: Kit, kind: str, parties: list[str], rng: DateRange, q: Query) -> list[Fact]:
    """The latest fact of `kind` whose scheduled end passed by the date asked with nothing
    recorded after it: said as "scheduled to end; no record of whether it was extended
    or ended" (kit.status_line), never as current and never left out for older news."""
    before = DateRange(date.min, rng.start, "")
    found = kit.valid(kind, parties, before, q)
    return [f for f in found if due.lapsed(f, kit.index.following(f), rng.start)][-1:]


def generic_status(kit: Kit, asked: Asked) -> Answer:
    """Any kind of fact, by the intent's `kind`: the facts of that kind valid on the date
    asked that involve the parties named (statement, status, dates, sources), newest
    subject first; "no record" otherwise. No Python change for a new kind of news."""
    if not asked.kind:
        raise ValueError(f"intent {asked.query.intent!r} uses strategy 'status' without a kind")
    return status_answer(kit, asked.kind, asked, GENERIC_FOLLOW_UPS)


def status_answer(
    kit: Kit,
    kind: str,
    asked: Asked,
    follow_ups: list[str],
    parties: list[str] | None = None,
    limit: int = 2,
) -> Answer:
    q, rng, base = asked.query, asked.rng, asked.base
    parties = kit.topic_parties(q) if parties is None else parties
    named = kit.named_events(q, kind, rng)
    if named:  # "the London talks": a place, not a party to them
        places = {code for code, _ in q.capitals}
        parties = [p for p in parties if p not in places - set(q.named_outright)]
        parties = parties or [p for p in named[0].parties if p != "US"]  # its sides
    facts = kit.valid(kind, parties, rng, q)
    if not facts and not named:
        return _missing(kit, kind, q, parties, rng, base)
    # Newest per subject first; at most `limit` subjects.
    newest: dict[str, Fact] = {}
    for fact in facts:
        newest[fact.subject or fact.id] = fact
    chosen = sorted(
        newest.values(),
        key=lambda f: (f.status in PENDING_STATUSES, f.valid_from),
        reverse=True,
    )[:limit]
    # The event the question names comes first, even once later news replaced it.
    chosen = [*named[:1], *[f for f in chosen if f not in named[:1]]][: max(limit, 2)]
    lines = [kit.status_line(f, rng.end) for f in chosen]
    return kit.answer(base, lines, chosen, follow_ups)


def _missing(
    kit: Kit, kind: str, q: Query, parties: list[str], rng: DateRange, base: dict
) -> Answer:
    topic = topic_word(kind)
    if parties:
        topic += f" involving {kit.names.parties(parties)}"
    # The facts that would answer on another date: past their end, "now" gets the last.
    candidates = [f for f in kit.index.kind(kind) if all(p in f.parties for p in parties)]
    answer = kit.topic_missing(base, kind, topic, rng, candidates)
    if kind == "negotiation_status":  # "/status JP CN": which talks there are
        answer = _with_tracked_talks(kit, answer)
    return answer


def _with_tracked_talks(kit: Kit, answer: Answer) -> Answer:
    """A "no record" of talks, with the talks that are tracked (any date)."""
    subjects = sorted(
        {
            f.subject or kit.names.parties(list(f.parties))
            for f in kit.index.kind("negotiation_status")
        }
    )
    if not subjects:
        return answer
    line = f"Talks I track: {', '.join(subjects)}."
    answer.lines = [*answer.lines, line]
    answer.text = "\n".join(answer.lines)
    return answer

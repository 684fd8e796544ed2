"""The US–China truce: the arrangement and its deadlines (strategy `truce`)."""

from __future__ import annotations

from datetime import date

from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.dates import DateRange
from bot.store import Fact


def truce(kit: Kit, asked: Asked) -> Answer:
    q, rng, as_of, base = asked.query, asked.rng, asked.as_of, asked.base
    parties = kit.topic_parties(q, default=["US", "CN"])
    deals = _truces(kit.valid("deal_status", parties, rng, q))
    if not deals:
        # Past the last truce's end: that truce, said as ended or (a scheduled end with
        # nothing recorded after it) as due to end, never as in force.
        before = DateRange(date.min, rng.start, "")
        deals = [f for f in _truces(kit.valid("deal_status", parties, before, q))][-1:]
    deadlines = [
        f
        for f in kit.valid("deadline", parties, rng, q)
        if f.subject and "truce" in f.subject.lower()
    ]
    # "when did the Geneva truce take effect?": that truce, even once another replaced it
    named = [f for f in kit.named_events(q, "deal_status", as_of) if f not in deals]
    deals = named[:1] + deals
    if q.original_schedule:  # "when was it originally supposed to end?"
        first = truce_deadlines(kit, parties, date.min, rng.end)[:1]
        deadlines = first + [f for f in deadlines if f not in first]
    elif q.about_extension and rng.end < as_of:
        # "back in May there was a pause; did it get extended?": the latest one too.
        now = truce_deadlines(kit, parties, as_of, as_of)[-1:]
        deadlines += [f for f in now if f not in deadlines]
    lines: list[str] = []
    # The named truce first, then today's arrangement if another replaced it.
    shown_deals = list(dict.fromkeys(deals[:1] + deals[-1:])) if named else deals[-1:]
    for fact in shown_deals:
        lines.append(kit.status_line(fact, as_of))
    # "extended in August": the original date, the extension in that range and today's
    # date, oldest first (at most three).
    shown = (
        deadlines[-1:]
        if len(deadlines) < 2 or not (q.original_schedule or q.about_extension)
        else [deadlines[0], *deadlines[1:][-2:]]
    )
    for fact in shown:
        line = kit.deadline_line(fact, as_of)
        if q.asks_meaning and fact.status == "extended" and fact.statement:
            line += f" {fact.statement}"  # "which executive order extended it?"
        lines.append(line)
        if fact.basis:
            lines.append(kit.t["deadline"]["basis"].format(basis=fact.basis))
    used = shown_deals + shown
    if not used:
        topic = "the truce"
        if set(parties) - {"US", "CN"}:
            topic += f" involving {kit.names.parties(parties)}"
        return kit.topic_missing(base, "deal_status", topic, rng)
    return kit.answer(
        base,
        lines,
        used,
        ["What is the US tariff on Chinese goods?", "Where do the US–China talks stand?"],
    )


def _truces(facts: list[Fact]) -> list[Fact]:
    return [
        f
        for f in facts
        if f.subject and ("truce" in f.subject.lower() or "arrangement" in f.subject.lower())
    ]


def truce_deadlines(kit: Kit, parties: list[str], start: date, end: date) -> list[Fact]:
    """The truce's deadlines valid at some point between `start` and `end`, oldest first."""
    return [
        f
        for f in kit.valid("deadline", parties, DateRange(start, end, ""))
        if f.subject and "truce" in f.subject.lower()
    ]

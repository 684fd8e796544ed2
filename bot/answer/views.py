"""Structured views for slash commands that list rather than answer a question:
/deadlines, /timeline, /sources <fact>."""

from __future__ import annotations

from datetime import date

from bot.answer import ends
from bot.answer.answer import Answer
from bot.answer.kit import Kit
from bot.answer.names import capital
from bot.dates import DateRange, plus_days
from bot.present import human_date


def deadlines(kit: Kit, as_of: date, recent_days: int = 120) -> Answer:
    """Deadlines due from `recent_days` ago onwards, as recorded now (soonest first)."""
    base = {"question": "/deadlines", "intent": "truce", "confidence": 1.0, "as_of": as_of}
    today = DateRange(as_of, as_of, "today")
    due = sorted(
        (
            f
            for f in kit.index.kind("deadline")
            if f.due
            and f.due >= plus_days(as_of, -recent_days)
            and f.valid_from <= as_of
            and (f.valid_to is None or f.valid_to > as_of)
        ),
        key=lambda f: f.due or as_of,
    )
    if not due:
        latest = sorted(
            (f for f in kit.index.kind("deadline") if f.due), key=lambda f: f.due or as_of
        )
        lines = ["No deadline is due in the recorded window."]
        if latest:
            lines.append(
                f"The last recorded deadline was {human_date(latest[-1].due)}: "
                f"{latest[-1].statement}"
            )
        return kit.finish(kit.answer(base, lines, latest[-1:], []), today)
    lines = [f"{kit.deadline_line(f, as_of)} {f.statement}" for f in due]
    return kit.finish(kit.answer(base, lines, due, ["When does the truce end?"]), today)


def timeline(kit: Kit, importer: str, exporter: str, as_of: date) -> Answer:
    base = {
        "question": f"/timeline {importer} {exporter}",
        "intent": "rate_change",
        "confidence": 1.0,
        "as_of": as_of,
    }
    reported = kit.index.first_reported
    # What was known on `as_of`: a rate reported later is not in that day's timeline.
    series = [
        f for f in kit.index.series(importer, exporter) if reported.get(f.id, f.recorded) <= as_of
    ]
    subject = capital(kit.names.rate_subject(importer, exporter))
    rng = DateRange(as_of, as_of, "today")
    if not series:
        return kit.no_record_text(
            base,
            [kit.t["no_record"]["pair"].format(subject=subject)],
            rng,
            suggestions=kit.pair_suggestions(),
        )
    lines = [f"{subject}:"]
    for fact in series:
        end = "no end recorded"
        if fact.valid_to and ends.end_known(kit.index, fact, as_of):  # not one learned later
            end = human_date(fact.valid_to) + (" (scheduled)" if fact.scheduled_end else "")
        parts = f" ({kit.components(fact)})" if fact.components else ""
        note = f" [{fact.confidence} confidence]" if fact.confidence != "high" else ""
        lines.append(f"• {human_date(fact.valid_from)} – {end}: {kit.value(fact)}{parts}{note}")
    return kit.finish(kit.answer(base, lines, series, []), rng)


def fact_card(kit: Kit, fact_id: str, as_of: date) -> Answer:
    """One fact with every source and quote (for /sources)."""
    base = {
        "question": f"/sources {fact_id}",
        "intent": "sources",
        "confidence": 1.0,
        "as_of": as_of,
    }
    fact = kit.index.by_id.get(fact_id)
    if fact is None:
        line = f"I don't have a current fact with id '{fact_id}'."
        return Answer(
            **base,
            text=line,
            facts=[],
            sources=[],
            outcome="no_record",
            suggestions=[],
            lines=[line],
        )
    lines = [
        fact.statement,
        f"Valid from {human_date(fact.valid_from)}"
        + (f" until {human_date(fact.valid_to)}" if fact.valid_to else "")
        + f"; recorded {human_date(fact.recorded)}; confidence {fact.confidence}.",
    ]
    if fact.basis:
        lines.append(f"Basis: {fact.basis}")
    answer = kit.answer(base, lines, [fact], [])
    answer.quotes = {c.source_id: c.quote for c in fact.citations if c.quote}
    return kit.finish(answer, DateRange(as_of, as_of, "today"))

"""How a rate changed: from what to what and when (strategy `rate_change`), or the rate
at two dates the question compares (aspect `compare`)."""

from __future__ import annotations

from datetime import date

from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.answer.names import capital, on_range, overlaps
from bot.answer.products import ProductNote
from bot.answer.strategies import rate_layers
from bot.answer.strategies.rates import (
    Pair,
    asked_pairs,
    dated_suggestions,
    known_for,
    missing_line,
    tariff_rate,
    which_tariff,
)
from bot.answer.verdicts import yes_no_line
from bot.dates import DateRange
from bot.present import human_date
from bot.store import Fact


def rate_change(kit: Kit, asked: Asked) -> Answer:
    q, rng, as_of, base, until = asked.query, asked.rng, asked.as_of, asked.base, asked.until
    pairs, lines = asked_pairs(kit, q, rng)
    if not pairs:
        return which_tariff(kit, base, rng)
    if q.aspect == "compare" and len(q.dates) >= 2 and until is None:
        return compare_dates(kit, pairs, q.dates[0], q.dates[1], as_of, base)
    if q.product and _product_measured(kit, pairs, q.product, asked):
        # The all-goods series is not the product's history: show its layers instead.
        return tariff_rate(kit, asked)
    used: list[Fact] = []
    missing: list[str] = []
    for importer, exporter, _ in pairs:
        series = [f for f in kit.index.series(importer, exporter) if f.valid_from <= as_of]
        current = known_for(kit, series, rng, until, as_of)
        if not current:
            missing.append(missing_line(kit, importer, exporter, until or rng))
            continue
        used += _one_pair(kit, asked, importer, exporter, series, current, lines)
    if not used:
        return kit.no_record_text(
            base, missing, rng, suggestions=dated_suggestions(kit, pairs, rng)
        )
    caveats = ProductNote.for_question(q.product, kit.t).caveats(used)
    verdict = yes_no_line(kit, q, [], used, min(rng.end, as_of))
    head = [verdict] if verdict else []  # "did they raise it to 25%?": no, 15%
    return kit.answer(base, head + lines + caveats + missing, used, kit.rate_follow_ups(used))


def _product_measured(kit: Kit, pairs: list[Pair], product: str, asked: Asked) -> bool:
    """Does a measure of its own cover the product on the day asked, for any pair?"""
    day = rate_layers.answer_day(asked.rng, asked.until, asked.as_of)
    for importer, exporter, _ in pairs:
        if importer and exporter:
            v = rate_layers.view(kit, importer, exporter, product, day, asked.as_of, [])
            if any(not f.all_goods for f in v.selection.in_force):
                return True
    return False


def _one_pair(
    kit: Kit,
    asked: Asked,
    importer: str | None,
    exporter: str | None,
    series: list[Fact],
    current: list[Fact],
    lines: list[str],
) -> list[Fact]:
    """The change lines for one pair (appended to `lines`); returns the facts used."""
    q, rng = asked.query, asked.rng
    used: list[Fact] = []
    fact = current[-1]
    # A named product: these are the all-goods rates, labelled so (caveat in rate_change).
    note = ProductNote.for_question(q.product, kit.t)
    subject = note.subject(capital(kit.names.rate_subject(importer, exporter)), fact)
    # A date with no change inside it ("vs last summer", "before the truce") is a point to
    # compare with what came after; a date with a change inside ("the cut in May 2025",
    # "on 10 Nov 2025") asks about that change. A new fact with the same rate (an
    # extension) is not a change: changes are between runs of equal rates.
    changed_inside = [
        f
        for f in current
        if f.valid_from >= rng.start and run_start(kit, series, f) is f and series.index(f) > 0
    ]
    after = [
        f for f in series if f.valid_from > fact.valid_from and kit.value(f) != kit.value(fact)
    ]
    compare_with = None
    dated = bool(q.dates) or rng.text != "today"  # a date, or an event's weeks
    # "had recently been cut": the change before the date
    if dated and not changed_inside and after and not q.recently:
        compare_with, fact = current[-1], after[-1]
    elif dated and not changed_inside and not q.recently:
        # "did it change when the truce was extended?": no, and since when it held.
        lines.append(
            kit.t["change"]["unchanged"].format(
                subject=subject,
                when=on_range(rng),
                value=kit.value(fact),
                since=human_date(run_start(kit, series, fact).valid_from),
            )
        )
    start = run_start(kit, series, fact)
    earlier = [f for f in series if f.valid_from < start.valid_from]
    if compare_with is not None:
        earlier = [compare_with]
    if earlier:
        before = earlier[-1]
        lines.append(
            kit.t["change"]["changed"].format(
                subject=subject,
                before=kit.value(before),
                after=kit.value(fact),
                since=human_date(start.valid_from),
            )
        )
        used += [before, fact]
        if start is not fact:
            lines.append(
                kit.t["change"]["continued"].format(
                    value=kit.value(fact), since=human_date(fact.valid_from)
                )
            )
    else:
        lines.append(
            kit.t["change"]["first"].format(
                subject=subject,
                value=kit.value(fact),
                day=human_date(rng.end),
                since=human_date(fact.valid_from),
            )
        )
        used.append(fact)
    later = [
        f for f in series if f.valid_from > fact.valid_from and kit.value(f) != kit.value(fact)
    ]
    if later:
        lines.append(
            kit.t["change"]["later"].format(
                value=kit.value(later[0]), since=human_date(later[0].valid_from)
            )
        )
        used.append(later[0])
    for part in {fact, *later[:1]}:
        if part.exporter == "WORLD" and exporter != "WORLD":
            lines.append(
                kit.t["change"]["world"].format(
                    since=human_date(part.valid_from),
                    subject=part.subject or kit.names.rate_subject(importer, "WORLD"),
                    exporter=kit.names.short(exporter),
                )
            )
    # The parts of the rate now; the old rate's parts only when the question is about a
    # part ("the reciprocal tariff ... from what to what").
    for part in ([earlier[-1]] if earlier and q.about_components else []) + [fact]:
        if part.components:
            lines.append(
                kit.t["change"]["parts"].format(
                    when=f"From {human_date(part.valid_from)}",
                    components=kit.components(part),
                )
            )
    return used


def run_start(kit: Kit, series: list[Fact], fact: Fact) -> Fact:
    """The first fact of the run of equal rates that `fact` belongs to (an extension
    continues a rate; it does not change it)."""
    start = fact
    while True:
        before = [f for f in series if f.valid_to == start.valid_from and f is not start]
        if not before or kit.value(before[-1]) != kit.value(start):
            return start
        start = before[-1]


def compare_dates(
    kit: Kit, pairs: list[Pair], first: DateRange, second: DateRange, as_of: date, base: dict
) -> Answer:
    """ "April 2025 compared with now": the rate at the end of each period."""
    if second.start > as_of:
        second = DateRange(as_of, as_of, "today")
    lines: list[str] = []
    used: list[Fact] = []
    missing: list[str] = []
    for importer, exporter, _ in pairs:
        series = kit.index.series(importer, exporter)
        at = [
            next((f for f in reversed(series) if overlaps(f, DateRange(d.end, d.end, ""))), None)
            for d in (first, second)
        ]
        if None in at:
            for d, fact in zip((first, second), at, strict=True):
                if fact is None:
                    missing.append(missing_line(kit, importer, exporter, d))
            continue
        then, now = at
        lines.append(
            kit.t["change"]["compare"].format(
                subject=capital(kit.names.rate_subject(importer, exporter)),
                before=kit.value(then),
                then=on_range(first),
                after=kit.value(now),
                now=on_range(second),
                since=human_date(now.valid_from),
            )
        )
        used += [then, now] if then is not now else [then]
    if not used:
        return kit.no_record_text(base, missing, first, suggestions=kit.pair_suggestions())
    return kit.answer(base, lines + missing, used, kit.rate_follow_ups(used))

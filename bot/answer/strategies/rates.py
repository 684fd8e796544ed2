"""The rate one party puts on another's goods on the date asked (strategy `tariff_rate`),
and the rate helpers the change strategy shares.

A pair's all-goods rates form one series (bot/answer/index.py); when more measures apply
on the day asked, the answer is their layers (bot/answer/strategies/rate_layers.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.answer import ends
from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.answer.names import capital, on_range, overlaps
from bot.answer.products import ProductNote
from bot.answer.strategies import rate_layers
from bot.answer.verdicts import compare_line, pair_value, yes_no_line
from bot.dates import DateRange
from bot.present import human_date, percent
from bot.query import Query
from bot.store import Fact

MAX_READINGS = 4  # a lone country with more partners than this: list the first ones
Pair = tuple[str | None, str | None, bool]
"""(importer, exporter, is_a_reading): a pair the question is read as asking about."""


def tariff_rate(kit: Kit, asked: Asked) -> Answer:
    """`asked.until`: a future date asked about; a rate recorded to end before it is left
    out. A pair's answer is its series of all-goods rates unless more measures apply on
    the day (a product duty, a bloc's measure, a second authority, one not in force):
    then it is the layers and their total (bot/answer/strategies/rate_layers.py)."""
    q, rng, as_of, base, until = asked.query, asked.rng, asked.as_of, asked.base, asked.until
    pairs, lines = asked_pairs(kit, q, rng)
    if not pairs:
        return which_tariff(kit, base, rng)
    used: list[Fact] = []
    series_used: list[Fact] = []  # facts answered as one series (the product caveat's)
    missing: list[str] = []
    context: list[Fact] = []  # the replaced rates: cited, not the answer
    views: list[rate_layers.LayerView] = []
    values: list[tuple[str, str, float | None]] = []  # each pair's one rate, to compare
    # A named product: the all-goods rate is labelled so, never given as the product's.
    note = ProductNote.for_question(q.product, kit.t)
    for n, (importer, exporter, reading) in enumerate(pairs):
        series = kit.index.series(importer, exporter)
        facts = note.prefer(known_for(kit, series, rng, until, as_of))
        # "usa vs china tariffs": the first-named side in full, the other way in a line
        other_way = q.both_ways and n > 0 and not reading
        if not rng.is_day and rng.end == as_of:
            facts = facts[-1:]  # "since the truce", "after Busan": the rate now
        layers = None
        if importer and exporter and not other_way:
            day = rate_layers.answer_day(rng, until, as_of)
            today = [f for f in facts if f.is_valid_on(day)]
            layers = rate_layers.view(kit, importer, exporter, q.product, day, as_of, today)
            views.append(layers)
        if layers is not None and _layers_answer(layers, facts, rng, until):
            if reading:
                lines.append(
                    kit.t["rate"]["reading"].format(
                        subject=kit.names.rate_subject(importer, exporter)
                    )
                )
            lines.extend(layers.lines)
            used.extend(layers.used)
            values.append((importer, exporter, pair_value(layers, facts, True, layers.stack.day)))
            continue
        if not facts:
            missing.append(missing_line(kit, importer, exporter, until or rng))
            continue
        if reading:
            lines.append(
                kit.t["rate"]["reading"].format(subject=kit.names.rate_subject(importer, exporter))
            )
        for fact in facts:
            lines.extend(
                _series_lines(kit, fact, importer, exporter, as_of, series, note, other_way)
            )
            used.append(fact)
            series_used.append(fact)
            if not other_way:
                context.extend(previous(kit, fact, series))
        if importer and exporter and not other_way:
            day = rate_layers.answer_day(rng, until, as_of)
            values.append((importer, exporter, pair_value(layers, facts, False, day)))
        if layers is not None and not layers.layered:
            lines.extend(layers.lines)  # the "also:" line of product measures
            context.extend(layers.used)  # cited; the notes are about the rate asked
    if not used:
        answer = kit.no_record_text(
            base, missing, rng, suggestions=dated_suggestions(kit, pairs, rng)
        )
        if len(pairs) == 1 and until is None:  # "now", past the records: their last day
            ended = ends.records_ended(kit.index, kit.index.series(*pairs[0][:2]), rng.start)
            answer.last_day = ended[0] - timedelta(days=1) if ended else None
        return answer
    lines.extend(note.caveats(series_used))
    verdict = yes_no_line(kit, q, views, used, rng.end) or compare_line(
        kit, q, values, rate_layers.answer_day(rng, until, as_of)
    )
    if verdict:  # "is it still 145%?", "Chinese vs Vietnamese goods": the verdict first
        lines.insert(0, verdict)
    answer = kit.answer(base, lines + missing, used, kit.rate_follow_ups(used), context=context)
    return _with_layers(answer, views)


def _layers_answer(
    layers: rate_layers.LayerView, facts: list[Fact], rng: DateRange, until: DateRange | None
) -> bool:
    """Answer with the layers? For a day: whenever the one series would leave something
    out. For a period ("in 2025"), the series tells the rates through it, so the layers
    (of its last day) answer only when there is no series or the asked product has its
    own measure."""
    if not layers.layered:
        return False
    if not layers.selection.in_force:
        # Nothing is charged on what was asked that day (at most a threat, a proposal or
        # suspended countermeasures): "no record", with when the last record ended, is
        # the honest answer; a list of other goods' duties or of proposals is not.
        return False
    if rng.is_day or until is not None or not facts:
        return True
    # A period: the series tells the rates, unless the product has its own measure or a
    # measure was announced or threatened then (the series would leave it out).
    selection = layers.selection
    return bool(selection.not_in_force) or any(not f.all_goods for f in selection.in_force)


def _series_lines(
    kit: Kit,
    fact: Fact,
    importer: str | None,
    exporter: str | None,
    as_of: date,
    series: list[Fact],
    note: ProductNote,
    other_way: bool,
) -> list[str]:
    """One fact of a pair's series of all-goods rates, as answer lines."""
    if fact.exporter == "WORLD" and exporter != "WORLD":
        line = kit.t["rate"]["world"].format(
            subject=note.subject(capital(kit.names.rate_subject(importer, "WORLD")), fact),
            exporter=kit.names.short(exporter),
            value=kit.value(fact),
            since=human_date(fact.valid_from),
        )
        return [line, *rate_details(kit, fact, as_of, series=series)]
    if other_way:
        line = kit.t["rate"]["other_way"].format(
            subject=note.subject(kit.names.rate_subject(importer, exporter), fact),
            value=kit.value(fact),
            since=human_date(fact.valid_from),
        )
        return [line]
    return rate_lines(kit, fact, as_of, series, note)


def _with_layers(answer: Answer, views: list[rate_layers.LayerView]) -> Answer:
    """`ask --json` gets every layer and stacking rule; the text cites the rules' sources."""
    answer.layers = [item for v in views for item in v.json()]
    answer.stacking = [item for v in views if v.layered for item in v.rules()]
    sources, quotes = rate_layers.rule_sources(views)
    answer.sources.extend(s for s in sources if s not in answer.sources)
    for sid, quote in quotes.items():
        answer.quotes.setdefault(sid, quote)
    return answer


# ---- which pairs ------------------------------------------------------------------------


def pairs_asked(kit: Kit, q: Query) -> list[Pair]:
    """(importer, exporter, is_a_reading) pairs the question asks about."""
    if q.importer and q.exporter:
        if q.both_ways:
            return _two_sides(kit, q.importer, q.exporter)
        return [(q.importer, q.exporter, False)]
    kit.index.refresh()
    if q.exporter:
        # Who taxes this party's goods: by name, or through a tariff on every partner.
        # German goods: the importers with measures on the EU too.
        origins = [q.exporter, *sorted(kit.vocab.groups_of(q.exporter)), "WORLD"]
        importers = list(
            dict.fromkeys(i for o in origins for i in kit.index.importers_of.get(o, []))
        )
        if not importers:
            return [(None, q.exporter, False)]
        return [(i, q.exporter, True) for i in importers[:MAX_READINGS]]
    if q.importer:
        exporters = kit.index.exporters_of.get(q.importer, [])
        if not exporters:
            return [(q.importer, None, False)]
        return [(q.importer, e, True) for e in exporters[:MAX_READINGS]]
    if q.global_asked:
        return [(i, "WORLD", False) for i in kit.index.importers_of.get("WORLD", [])]
    return []


def _two_sides(kit: Kit, a: str, b: str) -> list[Pair]:
    """Two parties and no direction: each side's tariff on the other — unless neither
    is recorded and a third party taxes both ("Chinese vs Vietnamese goods",
    "Cambodia or Thailand?"): then that party's tariffs on each, read as such."""
    kit.index.refresh()
    if kit.index.series(a, b) or kit.index.series(b, a):
        return [(a, b, False), (b, a, False)]
    common = [
        i
        for i in kit.index.importers_of.get(a, [])
        if i in kit.index.importers_of.get(b, []) and i not in (a, b)
    ]
    if common:
        return [(common[0], a, True), (common[0], b, True)]
    return [(a, b, False), (b, a, False)]


def asked_pairs(kit: Kit, q: Query, rng: DateRange) -> tuple[list[Pair], list[str]]:
    """The pairs a rate question is about, and the lines that say how they were read
    when the question named no country (none: "which tariff?")."""
    pairs = pairs_asked(kit, q)
    if pairs:
        return pairs, []
    pairs, note = unnamed_pairs(kit, q, rng)
    return pairs, [note] if pairs else []


def unnamed_pairs(kit: Kit, q: Query, rng: DateRange) -> tuple[list[Pair], str]:
    """A rate question naming no country ("is 145% still a thing?", "what's the
    current tariff situation?"): the tracked pairs whose rate it quotes, or else every
    tracked pair with a rate on the date, and a line saying so. A question naming a
    country we cannot place gets none: that is "no record", not a guess."""
    if q.parties:
        return [], ""
    kit.index.refresh()
    if q.product:
        # "copper 232?", "did upholstered sofas go up to 30%?": a product's duties are
        # charged on every origin unless a country is named — the product decides which
        # tariff is meant, before any rate the question quotes.
        importers = kit.index.importers_of.get("WORLD", [])
        return [(i, "WORLD", False) for i in importers], kit.t["rate"]["unnamed_product"]
    # "went down from 145 to what?": a bare number that is a tracked rate, after a word
    # that quotes a rate (a year or a count is not one).
    tracked = [n for n in q.rate_numbers if n in kit.index.pairs_by_rate]
    if q.quotes_a_rate or tracked:
        rates = set(q.quoted_rates) | set(tracked)
        pairs = list(
            dict.fromkeys(p for r in sorted(rates) for p in kit.index.pairs_by_rate.get(r, []))
        )[:MAX_READINGS]
        if not pairs:
            return [], ""
        subjects = " and ".join(kit.names.rate_subject(*p) for p in pairs)
        note = kit.t["rate"]["quoted"].format(
            quoted=", ".join(sorted({percent(r) for r in rates})), subject=subjects
        )
        return [(i, e, False) for i, e in pairs], note
    if not q.dates and not q.status_asked:
        return [], ""  # "what is a tariff?" is not a question about today's rates
    pairs = [
        p for p in kit.index.recent_pairs if any(overlaps(f, rng) for f in kit.index.series(*p))
    ]
    return [(i, e, False) for i, e in pairs], kit.t["rate"]["unnamed"]


def which_tariff(kit: Kit, base: dict, rng: DateRange) -> Answer:
    """A tariff question without any party: say so and offer the tracked pairs."""
    line = kit.t["no_record"]["pair"].format(subject="that tariff")
    return kit.no_record_text(base, [line], rng, suggestions=kit.pair_suggestions())


# ---- one pair's rates -------------------------------------------------------------------


def known_for(
    kit: Kit, series: list[Fact], rng: DateRange, until: DateRange | None, as_of: date
) -> list[Fact]:
    """The rates for the dates asked about. For a future date (`until`): a rate already
    scheduled for it and reported by today (a cut announced for next week), else
    today's rate if it is recorded to last until then."""
    if until is None:
        return [f for f in series if overlaps(f, rng)]
    reported = kit.index.first_reported
    scheduled = [
        f for f in series if overlaps(f, until) and reported.get(f.id, f.recorded) <= as_of
    ]
    return scheduled or [f for f in series if overlaps(f, rng) and _lasts(f, until)]


def _lasts(fact: Fact, until: DateRange | None) -> bool:
    """Is the fact recorded to hold until the (future) date asked about?"""
    return until is None or fact.valid_to is None or fact.valid_to > until.start


def missing_line(kit: Kit, importer: str | None, exporter: str | None, rng: DateRange) -> str:
    subject = kit.names.rate_subject(importer, exporter)
    series = kit.index.series(importer, exporter)
    if not series:
        return kit.t["no_record"]["pair"].format(subject=subject)
    line = kit.t["no_record"]["date"].format(subject=subject, day=on_range(rng))
    latest = ends.latest_end(kit.index, series, rng.start)
    if latest:
        return f"{line} " + kit.latest_end_text(*latest)
    return f"{line} " + kit.t["no_record"]["starts"].format(
        since=human_date(min(f.valid_from for f in series))
    )


def previous(kit: Kit, fact: Fact, series: list[Fact] | None = None) -> list[Fact]:
    """The rate this one replaced (ended the day it began), if recorded."""
    if series is None:
        series = kit.index.series(fact.importer, fact.exporter)
    return [f for f in series if f.valid_to == fact.valid_from and f is not fact][-1:]


def rate_lines(
    kit: Kit,
    fact: Fact,
    as_of: date,
    series: list[Fact] | None = None,
    note: ProductNote | None = None,
) -> list[str]:
    subject = capital(kit.names.rate_subject(fact.importer, fact.exporter))
    if note is not None:
        subject = note.subject(subject, fact)  # "(all goods)" when a product was asked
    before = previous(kit, fact, series)
    replaced = ""
    if before:
        old = kit.value(before[-1])
        replaced = " (unchanged)" if old == kit.value(fact) else f" (before: {old})"
    lines = [
        kit.t["rate"]["value"].format(
            subject=subject,
            value=kit.value(fact),
            since=human_date(fact.valid_from),
            replaced=replaced,
        )
    ]
    return lines + rate_details(kit, fact, as_of, series=series)


def rate_details(kit: Kit, fact: Fact, as_of: date, series: list[Fact] | None = None) -> list[str]:
    lines = []
    if fact.components:
        lines.append(kit.t["rate"]["components"].format(components=kit.components(fact)))
    if fact.valid_to and fact.valid_to <= as_of:
        if series is None:
            series = kit.index.series(fact.importer, fact.exporter)
        successor = any(f.valid_from == fact.valid_to for f in series)
        key = "until_past" if successor else "ended"
        if not successor and fact.scheduled_end:
            key = "scheduled_past"  # never "ended": it may have been extended
        lines.append(kit.t["rate"][key].format(until=human_date(fact.valid_to)))
    elif fact.valid_to and ends.end_known(kit.index, fact, as_of):  # an end learned later: left out
        key = "scheduled_future" if fact.scheduled_end else "until_future"
        lines.append(kit.t["rate"][key].format(until=human_date(fact.valid_to)))
    if fact.disputed:
        lines.append(kit.t["rate"]["disputed"].format(disputed=fact.disputed))
    return lines


def dated_suggestions(kit: Kit, pairs: list[Pair], rng: DateRange) -> list[str]:
    """For a pair whose records ended before the date: ask about its last recorded day."""
    out = []
    for importer, exporter, _ in pairs:
        ended = [
            f
            for f in kit.index.series(importer, exporter)
            if f.valid_to and f.valid_to <= rng.start
        ]
        if ended:
            last = max(f.valid_to for f in ended if f.valid_to) - timedelta(days=1)
            out.append(
                f"What were {kit.names.rate_subject(importer, exporter)} on {human_date(last)}?"
            )
    return (out + kit.pair_suggestions())[:3]

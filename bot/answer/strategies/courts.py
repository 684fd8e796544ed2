"""The court cases over the tariffs (strategy `court_ruling`): the latest step of the case
asked about first, its earlier steps, then the other cases' latest steps."""

from __future__ import annotations

from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.answer.names import case_name, overlaps
from bot.cases import Case, load_cases
from bot.present import human_date
from bot.query import Query
from bot.store.model import Fact


def court_ruling(kit: Kit, asked: Asked) -> Answer:
    q, rng, as_of, base = asked.query, asked.rng, asked.as_of, asked.base
    rulings = _by_court(q, [f for f in kit.index.kind("court_ruling") if f.valid_from <= rng.end])
    if not rulings:
        return kit.topic_missing(base, "court_ruling", "a court ruling", rng)
    case, others = _split_by_case(q, rulings)
    in_case = sorted(others.pop(case.id, []) if case else rulings, key=_when)
    latest = in_case[-1]
    lines = [_latest_line(kit, latest)]
    earlier = in_case[-4:-1][::-1]
    if earlier:
        items = "; ".join(
            f"{human_date(f.valid_from)} {kit.vocab.court_name(f.court)}"
            f"{case_name(f) if f.subject != latest.subject else ''}: {f.status}"
            for f in earlier
        )
        lines.append(kit.t["court"]["earlier"].format(items=items))
    used = [latest, *earlier]
    elsewhere = [max(facts, key=_when) for facts in others.values() if facts]
    if elsewhere and not q.case:  # no case named: the other cases' news follows
        elsewhere.sort(key=_when, reverse=True)
        items = "; ".join(
            f"{human_date(f.valid_from)} {kit.vocab.court_name(f.court)} ({_label(f)}): {f.status}"
            for f in elsewhere
        )
        lines.append(kit.t["court"]["other_cases"].format(items=items))
        used.extend(elsewhere)
    court_deadlines = [
        f
        for f in kit.index.kind("deadline")
        if overlaps(f, rng) and any(w in (f.subject or "").lower() for w in ("court", "circuit"))
    ]
    for fact in court_deadlines[-1:]:
        lines.append(kit.deadline_line(fact, as_of) + " " + fact.statement)
        used.append(fact)
    return kit.answer(
        base,
        lines,
        used,
        ["What did the Supreme Court decide?", "What is the US tariff on Chinese goods?"],
    )


def _when(fact: Fact) -> tuple:
    return (fact.valid_from, fact.id)


def _by_court(q: Query, rulings: list[Fact]) -> list[Fact]:
    """The rulings of the courts named, with the rest of their cases (a stay of the trade
    court's ruling is the appeals court's, but answers "is the CIT ruling paused?"); a
    court set aside ("another court besides the CIT") takes its cases with it."""
    courts = [c for c in q.courts if c not in q.excluded]
    if len(courts) < len(q.courts):
        cases = {f.subject for f in rulings if f.court in q.excluded}
        rulings = [
            f for f in rulings if f.court not in q.excluded and f.subject not in cases
        ] or rulings
    if courts:
        cases = {f.subject for f in rulings if f.court in courts}
        rulings = [f for f in rulings if f.court in courts or f.subject in cases] or rulings
    return rulings


def _split_by_case(q: Query, rulings: list[Fact]) -> tuple[Case | None, dict[str, list[Fact]]]:
    """The case answered (the one named, else the default; None when no ruling left
    belongs to it) and the rulings of every case by id (facts of no known case under
    "")."""
    cases = load_cases()
    grouped: dict[str, list[Fact]] = {}
    for fact in rulings:
        owner = next((c.id for c in cases.cases if c.holds(fact.subject)), "")
        grouped.setdefault(owner, []).append(fact)
    case = cases.get(q.case) if q.case else cases.default
    if case is None or not grouped.get(case.id):
        # The case asked has no ruling by the date (or only other courts were named).
        case = next((c for c in cases.cases if grouped.get(c.id)), None)
    if case is None:
        return None, {}
    return case, grouped


def _label(fact: Fact) -> str:
    case = next((c for c in load_cases().cases if c.holds(fact.subject)), None)
    return case.label if case else (fact.subject or "")


def _latest_line(kit: Kit, fact: Fact) -> str:
    named = fact.attribute("case")
    vote = fact.attribute("vote")
    extra = "".join([f", {named}" if named else case_name(fact).replace(" (", ", ", 1).rstrip(")")])
    said = fact.statement.replace("–", "-")
    status = f"{fact.status} {vote}" if vote and vote not in said else fact.status
    return kit.t["court"]["latest"].format(
        since=human_date(fact.valid_from),
        court=kit.vocab.court_name(fact.court) + extra,
        status=status,
        statement=fact.statement,
    )

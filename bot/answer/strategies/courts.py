"""The court cases over the tariffs: the latest ruling first (strategy `court_ruling`)."""

from __future__ import annotations

from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.answer.names import case_name, overlaps
from bot.present import human_date


def court_ruling(kit: Kit, asked: Asked) -> Answer:
    q, rng, as_of, base = asked.query, asked.rng, asked.as_of, asked.base
    rulings = [f for f in kit.index.kind("court_ruling") if f.valid_from <= rng.end]
    courts = [c for c in q.courts if c not in q.excluded]
    if len(courts) < len(q.courts):  # "another court besides the CIT": its case too
        cases = {f.subject for f in rulings if f.court in q.excluded}
        rulings = [
            f for f in rulings if f.court not in q.excluded and f.subject not in cases
        ] or rulings
    if courts:
        # The named court's rulings and the rest of the same case (a stay of the trade
        # court's ruling is the appeals court's, but answers "is the CIT ruling paused?").
        cases = {f.subject for f in rulings if f.court in courts}
        named = [f for f in rulings if f.court in courts or f.subject in cases]
        rulings = named or rulings
    if not rulings:
        return kit.topic_missing(base, "court_ruling", "a court ruling", rng)
    rulings = sorted(rulings, key=lambda f: (f.valid_from, f.id))
    latest = rulings[-1]
    lines = [
        kit.t["court"]["latest"].format(
            since=human_date(latest.valid_from),
            court=kit.vocab.court_name(latest.court),
            status=latest.status,
            statement=latest.statement,
        )
    ]
    earlier = rulings[-4:-1][::-1]
    if earlier:
        items = "; ".join(
            f"{human_date(f.valid_from)} {kit.vocab.court_name(f.court)}"
            f"{case_name(f) if f.subject != latest.subject else ''}: {f.status}"
            for f in earlier
        )
        lines.append(kit.t["court"]["earlier"].format(items=items))
    used = [latest, *earlier]
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

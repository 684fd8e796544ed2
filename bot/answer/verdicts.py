"""The first line of a rate answer when the question asks yes or no, or compares: the
verdict, computed from the rates the answer states (never from the question's words)."""

from __future__ import annotations

from datetime import date

from bot.answer.kit import Kit
from bot.answer.strategies import rate_layers
from bot.present import human_date, percent
from bot.query import Query
from bot.store import Fact


def yes_no_line(
    kit: Kit, q: Query, views: list[rate_layers.LayerView], used: list[Fact], day: date
) -> str | None:
    """ "No: 30% on 20 May 2025." for a yes/no question quoting a rate ("still 145%?"),
    when the answer states one rate for the day; None otherwise (nothing to say yes or
    no to). The quoted rate is not repeated: it is the user's number, not a fact."""
    if q.aspect != "yes_no":
        return None
    quoted = set(q.quoted_rates) | {n for n in q.rate_numbers if n in kit.index.pairs_by_rate}
    if not quoted:
        return None
    values = {
        v.stack.total if v.stack.total is not None else v.stack.floor
        for v in views
        if v.layered and v.selection.in_force
    } - {None}
    if not values:
        values = {
            f.rate
            for f in used
            if f.kind == "tariff_rate" and f.rate is not None and f.is_valid_on(day)
        }
    if len(values) != 1:
        return None
    value = values.pop()
    if q.rate_bound == "above":
        yes = all(value > r for r in quoted)
    elif q.rate_bound == "below":
        yes = all(value < r for r in quoted)
    else:
        yes = value in quoted
    return kit.t["rate"]["yes" if yes else "no"].format(value=percent(value), day=human_date(day))


def pair_value(
    view: rate_layers.LayerView | None, facts: list[Fact], layered: bool, day: date
) -> float | None:
    """The one rate a pair's answer states for the day: its layers' total (or all-in
    floor), else its all-goods rate; None when it states no single number."""
    if layered and view is not None:
        total = view.stack.total if view.stack.total is not None else view.stack.floor
        return total
    rates = {f.rate for f in facts if f.rate is not None and f.is_valid_on(day)}
    return rates.pop() if len(rates) == 1 else None


def compare_line(
    kit: Kit, q: Query, values: list[tuple[str, str, float | None]], day: date
) -> str | None:
    """ "On 15 Sep 2025: US tariffs on Chinese goods 30%, US tariffs on Vietnamese goods
    20% — higher on the first." for a comparison of two pairs with one rate each."""
    if q.aspect != "compare" or len(values) != 2 or any(v is None for _, _, v in values):
        return None
    (i1, e1, v1), (i2, e2, v2) = values
    if v1 == v2:
        which = kit.t["rate"]["compare_same"]
    else:
        high = (i1, e1) if v1 > v2 else (i2, e2)  # type: ignore[operator]
        which = kit.t["rate"]["compare_higher"].format(subject=kit.names.rate_subject(*high))
    return kit.t["rate"]["compare"].format(
        day=human_date(day),
        first=f"{kit.names.rate_subject(i1, e1)} {percent(v1)}",  # type: ignore[arg-type]
        second=f"{kit.names.rate_subject(i2, e2)} {percent(v2)}",  # type: ignore[arg-type]
        which=which,
    )

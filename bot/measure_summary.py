"""A fact's form clauses in the form's own words, and what an edit changed in them.

`forms.change_summary` names the value, valid time and statement. The fields a tariff
measure's first line carries as clauses (products, origins, authority, rate kind,
instrument) and an event's attributes are said here, the way the form reads them
("origins: all except GB"), so a moderator's confirmation shows how the line was read.
Which clauses a kind has comes from the kind registry (bot/data/kinds.toml).
"""

from __future__ import annotations

from bot import kinds
from bot.form_clauses import clause_name, scope_text
from bot.store import Fact

SCOPES = ("origins", "products")  # shown with their `_except` part: "all except GB"
SAID_ELSEWHERE = ("status",)  # forms.change_summary names it


def clause_texts(fact: Fact) -> dict[str, str]:
    """Each clause the fact's kind offers, by its form name, with the fact's value ('' if
    unset), in the registry's order."""
    registry = kinds.load_kinds()
    spec = registry.get(fact.kind)
    if spec is None:
        return {}
    out: dict[str, str] = {}
    for name in registry.clauses(spec.name):
        if name.endswith("_except") or name in SAID_ELSEWHERE:
            continue
        if name in spec.attributes:
            value = fact.attribute(name)
            text = ", ".join(value) if isinstance(value, tuple) else str(value or "")
        elif name in SCOPES:
            covered, left_out = getattr(fact, name), getattr(fact, f"{name}_except")
            text = scope_text(covered, left_out, everything="all") if covered or left_out else ""
        else:
            value = getattr(fact, name)
            text = str(value) if value else ""
        out[clause_name(name)] = text
    return out


def clause_summary(before: Fact | None, after: Fact) -> str:
    """'products: steel, aluminum; authority: section-232' for a new fact; for an edit,
    only what changed: 'rate kind: — → floor'. '' when there is nothing to say."""
    new = clause_texts(after)
    if before is None:
        return "; ".join(f"{name}: {text}" for name, text in new.items() if text)
    old = clause_texts(before)
    return "; ".join(
        f"{name}: {old.get(name) or '—'} → {text or '—'}"
        for name, text in new.items()
        if old.get(name, "") != text
    )

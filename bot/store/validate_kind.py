"""Reading a fact's kind-specific fields by the rules its kind declares in kinds.toml.

Which fields a kind requires, allows or refuses is data (bot/kinds.py); how each field is
read and the few rules that need arithmetic or cross-field logic (`CHECKS`, named in the
data) are here. Error wording is the parser's: the field, then what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.kinds import CHECKS, KIND_FIELDS, Kinds, KindSpec
from bot.store import validate_measure as measure
from bot.store.checker import STATUS_PATTERN, Checker
from bot.store.model import Component
from bot.vocabulary import Vocabulary

HELP = {
    "importer": "the party that charges the tariff, a code such as US",
    "exporter": "the party whose goods are charged, a code such as CN; or give origins",
    "rate": "percent, 0–1000; or rate_candidates when sources disagree",
    "status": "a short status word such as 'stalled' or 'stayed'",
    "parties": 'the parties involved, e.g. ["US", "CN"]',
    "due": "the date it falls due, YYYY-MM-DD",
}
"""What to give, for "is required" errors; a field not listed is named only."""

EMPTY: dict[str, Any] = {
    name: () if how in ("parties", "rates", "components", "origins", "products") else None
    for name, how in KIND_FIELDS.items()
}
"""Every kind-specific `Fact` field at its default (unset)."""


def kind_fields(
    c: Checker, raw: Mapping[str, Any], spec: KindSpec, registry: Kinds, vocab: Vocabulary
) -> dict[str, Any]:
    """The kind-specific `Fact` fields, read and checked; problems go to `c`."""
    fields = dict(EMPTY)
    given = {name for name in KIND_FIELDS if raw.get(name) not in (None, "", [], ())}
    for name in KIND_FIELDS:
        if name in given and name not in spec.fields:
            takers = registry.kinds_with(name)
            c.fail(name, f"only applies to {', '.join(takers) or 'no'} facts, not {spec.name}")
    for group in spec.required:
        if not given & set(group):
            c.fail(group[0], f"is required for a {spec.name} ({_help(group[0], vocab)})")
    for name in KIND_FIELDS:
        if name in given and name in spec.fields:
            fields[name] = _read(c, name, raw[name], spec, vocab)
    if fields["products"] and fields["products_except"]:
        measure.check_products(c, fields)
    for check in CHECKS:  # in CHECKS order: filling in exporter comes first
        if check in spec.checks:
            RULES[check](c, fields, vocab)
    return fields


def _help(name: str, vocab: Vocabulary) -> str:
    if name == "court":
        return f"one of: {', '.join(sorted(vocab.courts))}"
    return HELP.get(name, name.replace("_", " "))


def _read(c: Checker, name: str, value: Any, spec: KindSpec, vocab: Vocabulary) -> Any:
    how = KIND_FIELDS[name]
    if how == "party":
        return c.party(name, value, vocab)
    if how == "parties":
        return tuple(c.party_list(name, value, vocab, '["US", "CN"]'))
    if how == "rate":
        return c.rate(name, value)
    if how == "rates":
        return _rates(c, name, value)
    if how == "components":
        return tuple(_components(c, value))
    if how == "status":
        return _status(c, spec)
    if how == "court":
        return _court(c, value, vocab)
    if how == "date":
        return c.day(name)
    if how == "origins":
        return measure.origins(c, name, value, vocab)
    if how == "products":
        return measure.products(c, name, value)
    if how == "choice":
        return measure.choice(c, name, value)
    return measure.instrument(c, name)


def _rates(c: Checker, name: str, value: Any) -> tuple[float, ...]:
    if not isinstance(value, list | tuple):
        c.fail(name, "must be a list of rates, e.g. [10, 15]")
        return ()
    parsed = [c.rate(name, item) for item in value]
    return tuple(rate for rate in parsed if rate is not None)


def _status(c: Checker, spec: KindSpec) -> str | None:
    status = c.text("status", limit="subject")
    if status is None:
        return None
    if spec.statuses:
        status = status.lower()
        if status not in spec.statuses:
            c.fail(
                "status",
                f"'{status}' is not a status of a {spec.name}; use one of: "
                f"{', '.join(spec.statuses)}",
            )
            return None
    elif not STATUS_PATTERN.match(status):
        c.fail("status", "must be 2–40 lower-case letters, spaces, '_' or '-', e.g. 'stalled'")
        return None
    return status


def _court(c: Checker, value: Any, vocab: Vocabulary) -> str | None:
    court = vocab.court_code(value) if isinstance(value, str) else None
    if court is None:
        c.fail(
            "court",
            f"'{value}' is not a known court; use one of: {', '.join(sorted(vocab.courts))}",
        )
    return court


COMPONENT_KEYS = ("name", "rate", "legal_basis", "authority")


def _components(c: Checker, raw: Any) -> list[Component]:
    if not isinstance(raw, list | tuple):
        c.fail("components", "must be a list of {name, rate, legal_basis, authority} tables")
        return []
    out = []
    for i, item in enumerate(raw, 1):
        where = f"components[{i}]"
        if not isinstance(item, Mapping):
            c.fail(where, "must be a table with name and rate")
            continue
        sub = Checker(item)
        name = sub.text("name", required=True, limit="component")
        rate = sub.rate("rate", item.get("rate"))
        legal = sub.text("legal_basis")
        authority = None
        if item.get("authority") not in (None, ""):
            authority = measure.choice(sub, "authority", item.get("authority"))
        for key in item:
            if key not in COMPONENT_KEYS:
                sub.fail(key, f"unknown field; known fields: {', '.join(sorted(COMPONENT_KEYS))}")
        for err in sub.errors:
            c.fail(f"{where}.{err.field}", err.message)
        if name and rate is not None and not sub.errors:
            out.append(Component(name=name, rate=rate, legal_basis=legal, authority=authority))
    return out


# ---- the named rules (kinds.toml `checks`) ----------------------------------------------


def _importer_not_exporter(c: Checker, f: dict[str, Any], vocab: Vocabulary) -> None:
    importer = f["importer"]
    if importer and importer == f["exporter"]:
        c.fail("exporter", "must differ from importer (a tariff is put on another party)")
    elif importer and importer in f["origins"]:
        c.fail("origins", f"must not include the importer {importer} (a tariff is on others)")


def _origins_name_exporter(c: Checker, f: dict[str, Any], vocab: Vocabulary) -> None:
    measure.check_origins(c, f, vocab)


def _rate_or_candidates(c: Checker, f: dict[str, Any], vocab: Vocabulary) -> None:
    candidates, rate = f["rate_candidates"], f["rate"]
    if candidates and len(candidates) < 2:
        c.fail("rate_candidates", "needs at least two rates when sources disagree")
    if candidates and rate is not None:
        c.fail("rate_candidates", "give either rate or rate_candidates, not both")
    if candidates and not c.raw.get("disputed"):
        c.fail("disputed", "is required with rate_candidates: say how the sources disagree")


def _components_add_up(c: Checker, f: dict[str, Any], vocab: Vocabulary) -> None:
    if f["components"] and f["rate"] is not None:
        total = sum(comp.rate for comp in f["components"])
        if abs(total - f["rate"]) > 0.01:
            c.fail(
                "components", f"add up to {total:g}% but rate is {f['rate']:g}%; make them agree"
            )


def _floor_needs_rate(c: Checker, f: dict[str, Any], vocab: Vocabulary) -> None:
    if f["rate_kind"] == "floor" and f["rate"] is None:
        c.fail("rate_kind", "floor needs a rate: the N of 'the higher of the normal duty or N%'")


def _parties_from_measure(c: Checker, f: dict[str, Any], vocab: Vocabulary) -> None:
    """A measure's parties are its importer and its origins (alerts match on them)."""
    if f["importer"] and f["exporter"]:
        scope = f["origins"] or (f["exporter"],)
        f["parties"] = tuple(dict.fromkeys((f["importer"], *scope)))


RULES: dict[str, Callable[[Checker, dict[str, Any], Vocabulary], None]] = {
    "importer_not_exporter": _importer_not_exporter,
    "origins_name_exporter": _origins_name_exporter,
    "rate_or_candidates": _rate_or_candidates,
    "components_add_up": _components_add_up,
    "floor_needs_rate": _floor_needs_rate,
    "parties_from_measure": _parties_from_measure,
}

"""How a measure is succeeded (`facts change`): the successor's id and statement, and the
revisions that tie a fact to the one it succeeded and to the ones that succeed it.

A change in the world ends one fact and starts another, so the history of either is only
half the story: `linked_revisions` gives the other half for `facts history`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from bot.store.model import Fact, Revision
from bot.store.rows import revision_from_row

if TYPE_CHECKING:
    from bot.store.store import FactStore

MAX_ID = 80
STATEMENT_MAX = 400
_FROM_SUFFIX = re.compile(r"-from-\d{4}-\d{2}-\d{2}(?:-\d+)?\Z")


def successor_id(old_id: str, effective: date, taken: Collection[str]) -> str:
    """`<old-id>-from-2025-11-10`, readable and never one in `taken`. A successor of a
    successor replaces the date rather than piling one on another."""
    suffix = f"-from-{effective.isoformat()}"
    base = _FROM_SUFFIX.sub("", old_id)[: MAX_ID - len(suffix) - 3].rstrip("-") + suffix
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def value_words(fact: Fact) -> str:
    """The fact's value as a short phrase: '20%', '10% or 15%', 'paused', 'in force'."""
    parts = []
    if fact.rate is not None:
        parts.append(f"{fact.rate:g}%")
    elif fact.rate_candidates:
        parts.append(" or ".join(f"{r:g}%" for r in fact.rate_candidates))
    if fact.status:
        parts.append(fact.status)
    elif fact.kind == "tariff_rate" and not parts:
        parts.append("in force")
    return ", ".join(parts)


def successor_statement(old: Fact, new: Fact, effective: date) -> str:
    """The old statement with the change said after it, so it stays true of the successor
    without guessing which number in it to rewrite ("lowered from 145% to 30%")."""
    day = f"{effective.day} {effective:%b %Y}"
    now, was = [], []
    if (new.rate, new.rate_candidates) != (old.rate, old.rate_candidates):
        now.append(_rate_words(new))
        was.append(_rate_words(old))
    if new.status != old.status:
        now.append(_status_words(new))
        was.append(_status_words(old))
    note = f" (from {day}: {', '.join(now)}; was {', '.join(was)})."
    base = old.statement.rstrip().rstrip(".")
    room = STATEMENT_MAX - len(note)
    if len(base) > room:
        base = base[: room - 1].rstrip() + "…"
    return base + note


def _rate_words(fact: Fact) -> str:
    if fact.rate is not None:
        return f"{fact.rate:g}%"
    return " or ".join(f"{r:g}%" for r in fact.rate_candidates) or "no rate"


def _status_words(fact: Fact) -> str:
    return fact.status or ("in force" if fact.kind == "tariff_rate" else "no status")


def linked_revisions(store: FactStore, fact: Fact) -> list[tuple[str, Revision]]:
    """The other half of the changes a fact took part in: the revision that ended the fact
    it succeeded (written just before its own first revision), and the first revision of
    each fact that succeeds it. (fact id, revision) pairs in the order written."""
    out: list[tuple[str, Revision]] = []
    with store.reading() as db:
        if fact.supersedes:
            rows = db.query(
                "SELECT * FROM revisions WHERE fact_id = ? AND seq = "
                "(SELECT seq - 1 FROM revisions WHERE fact_id = ? AND revision = 1)",
                [fact.supersedes, fact.id],
            )
            ended = [revision_from_row(r) for r in rows]
            out += [
                (fact.supersedes, rev)
                for rev in ended
                if rev.after.get("valid_to") == fact.valid_from.isoformat()
            ]
        rows = db.query(
            "SELECT r.* FROM revisions r JOIN facts f ON f.id = r.fact_id "
            "WHERE f.supersedes = ? AND r.revision = 1",
            [fact.id],
        )
        out += [(r["fact_id"], revision_from_row(r)) for r in rows]
    return sorted(out, key=lambda pair: pair[1].seq)

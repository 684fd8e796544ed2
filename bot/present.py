"""Plain-text renderings of facts, sources and revisions shared by the CLI and Discord."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.store import Fact, Revision, Source
from bot.store.model import SourceRevision
from bot.vocabulary import Vocabulary


def human_date(day: date | None) -> str:
    """'14 May 2025': unambiguous for readers on both sides of the Atlantic."""
    return f"{day.day} {day:%b %Y}" if day else "open"


def percent(value: float) -> str:
    return f"{value:g}%"


def value_text(fact: Fact) -> str:
    """The fact's value in a few words: '30%', '10% or 15% (sources disagree)', 'stalled'."""
    if fact.kind == "tariff_rate":
        if fact.rate is not None:
            return percent(fact.rate)
        return " or ".join(percent(r) for r in fact.rate_candidates) + " (sources disagree)"
    if fact.kind == "deadline" and fact.due:
        return f"{fact.status} — due {human_date(fact.due)}"
    return fact.status or ""


def parties_text(fact: Fact, vocab: Vocabulary) -> str:
    if fact.kind == "tariff_rate":
        return f"{vocab.party_name(fact.importer)} on {vocab.party_name(fact.exporter)}"
    return " – ".join(vocab.party_name(p) for p in fact.parties)


def validity_text(fact: Fact) -> str:
    end = f"until {human_date(fact.valid_to)}" if fact.valid_to else "no end recorded"
    return f"from {human_date(fact.valid_from)}, {end}"


def components_text(fact: Fact) -> str:
    return " + ".join(f"{percent(c.rate)} {c.name}" for c in fact.components)


def fact_line(fact: Fact, vocab: Vocabulary) -> str:
    flags = []
    if fact.confidence != "high":
        flags.append(f"{fact.confidence} confidence")
    if fact.retracted:
        flags.append("RETRACTED")
    extra = f" [{', '.join(flags)}]" if flags else ""
    return (
        f"{fact.id}  {fact.kind}  {parties_text(fact, vocab)}: {value_text(fact)}  "
        f"({validity_text(fact)}){extra}"
    )


def source_line(source: Source) -> str:
    return f"{source.title} — {source.publisher}, {human_date(source.published)} <{source.url}>"


def fact_detail(fact: Fact, sources: list[tuple[Source, str | None]], vocab: Vocabulary) -> str:
    lines = [
        f"{fact.id} (revision {fact.revision}, topic {fact.topic})",
        f"  kind:       {fact.kind}",
        f"  parties:    {parties_text(fact, vocab)}",
        f"  value:      {value_text(fact)}",
    ]
    if fact.components:
        lines.append(f"  components: {components_text(fact)}")
    if fact.court:
        lines.append(f"  court:      {vocab.court_name(fact.court)}")
    lines += [
        f"  statement:  {fact.statement}",
        f"  valid:      {validity_text(fact)}",
        f"  recorded:   {human_date(fact.recorded)}",
        f"  confidence: {fact.confidence}",
    ]
    if fact.disputed:
        lines.append(f"  disputed:   {fact.disputed}")
    if fact.basis:
        lines.append(f"  basis:      {fact.basis}")
    if fact.retracted:
        lines.append(f"  RETRACTED:  {fact.retracted_reason}")
    lines.append("  sources:")
    for source, quote in sources:
        lines.append(f"    - {source_line(source)}")
        if quote:
            lines.append(f"      “{quote}”")
    return "\n".join(lines)


def revision_line(rev: Revision) -> str:
    who = rev.author + (f" ({rev.author_id})" if rev.author_id else "")
    changed = ""
    if rev.before is not None:
        diffs = [
            f"{k}: {_short(rev.before.get(k))} → {_short(rev.after.get(k))}"
            for k in rev.changed_fields()
        ]
        changed = "\n" + "\n".join(f"      {d}" for d in diffs)
    return f"  r{rev.revision} {rev.at} {rev.action} by {who}: {rev.reason}{changed}"


def _short(value: Any, limit: int = 80) -> str:
    text = "—" if value in (None, [], "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_revision_line(rev: SourceRevision, *, name_source: bool = False) -> str:
    """'  r2 2026-… edit by alice: why' and one indented line per changed field (before →
    after): the same words in `tradebot sources history` and Discord's /fact source-history."""
    who = rev.author + (f" ({rev.author_id})" if rev.author_id else "")
    what = f"source {rev.source_id} " if name_source else ""
    diffs = "".join(
        f"\n      {key}: {rev.before.get(key)} → {rev.after.get(key)}"
        for key in rev.changed_fields()
    )
    return f"  {what}r{rev.revision} {rev.at} {rev.action} by {who}: {rev.reason}{diffs}"

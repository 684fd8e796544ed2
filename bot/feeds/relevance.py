"""Is a Federal Register document a lead worth a moderator's time, and why (in words)?

The rules are data (bot/data/watch.toml [relevance]); the decision is applied in a fixed
order so that its `why` names the one rule that decided:

1. a type that is not watched             -> not relevant ("type 'Notice' is not watched")
2. no watched agency                       -> not relevant ("agency not watched: ...")
3. an excluded phrase in title or abstract -> not relevant ("title mentions 'administrative
   review' (excluded)") — routine antidumping reviews name duties but change no tariff
4. a watched term in title or abstract     -> relevant ("title mentions 'Section 232';
   agency: Industry and Security Bureau")
5. otherwise                               -> not relevant ("no tariff term in title or
   abstract")

Terms match whole words, any case; a space in a term also matches a hyphen or several
spaces. The phrase quoted in `why` is the document's own spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.feeds.documents import Document
from bot.feeds.watch import Rules


@dataclass(frozen=True)
class Decision:
    relevant: bool
    why: str


@lru_cache(maxsize=512)
def _pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<![\w])" + r"[\s\-]+".join(words) + r"(?![\w])", re.IGNORECASE)


def first_match(text: str | None, terms: tuple[str, ...]) -> str | None:
    """The text's own spelling of the term it mentions first (the longest one there)."""
    if not text:
        return None
    best: re.Match[str] | None = None
    for term in terms:
        match = _pattern(term).search(text)
        if match and (
            best is None
            or match.start() < best.start()
            or (match.start() == best.start() and match.end() > best.end())  # the longer
        ):
            best = match
    return " ".join(best.group().split()) if best else None


def _where(document: Document, terms: tuple[str, ...]) -> tuple[str, str] | None:
    for place, text in (("title", document.title), ("abstract", document.abstract)):
        found = first_match(text, terms)
        if found:
            return place, found
    return None


def decide(document: Document, rules: Rules) -> Decision:
    """Relevant or not, with the rule that decided in `why`."""
    if document.type not in rules.types:
        return Decision(False, f"type '{document.type}' is not watched")
    watched = [a for a in document.agencies if a.slug in rules.agencies]
    if not watched:
        names = ", ".join(document.agency_names) or "none named"
        return Decision(False, f"agency not watched: {names}")
    agencies = "agency: " + ", ".join(a.name for a in watched)
    excluded = _where(document, rules.exclude_terms)
    if excluded:
        place, phrase = excluded
        return Decision(False, f"{place} mentions '{phrase}' (excluded); {agencies}")
    found = _where(document, rules.terms)
    if found:
        place, phrase = found
        return Decision(True, f"{place} mentions '{phrase}'; {agencies}")
    return Decision(False, f"no tariff term in title or abstract; {agencies}")

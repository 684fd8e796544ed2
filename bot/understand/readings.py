"""Close calls between readings of a question, decided by how it is asked.

The matcher scores each intent; these rules reorder the best few when the wording says
which reading is meant: a question comparing two dates is about a change, "is it still
30%?" about the rate, a truce closing a change question is its occasion, a named event
decides for its own topic. Each rule only moves readings that were already close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot.understand.dates import DateRange
from bot.understand.rules import SLOTS
from bot.understand.text import normalise


@dataclass(frozen=True)
class Candidate:
    """One reading of a question: an intent, its score, and what earned it."""

    intent: str
    score: float
    similarity: float
    evidence: float
    example: str


COMPARING = frozenset({"vs", "versus", "against", "compared", "with", "and", "v"})
BETWEEN_DATES = COMPARING | {"to", "the", "in", "on", "at", "of", "or"}


_FROM_TO = re.compile(r"\bfrom (?:zpercent|\d{1,3}) to (?:what|zpercent|\d{1,3})\b")


def compares_dates(slot_words: list[str]) -> bool:
    """Two dates joined by a comparing word: "May 2025 against January 2026", "April
    2025 with now", "on 1 May and on 1 June" (not "in April ... what is it today")."""
    at = [i for i, w in enumerate(slot_words) if w == SLOTS["{date}"]]
    if len(at) < 2:
        return False
    between = set(slot_words[at[0] + 1 : at[1]])
    return bool(between & COMPARING) and between <= BETWEEN_DATES


# Asking what the rate is today, in words that also suit a change: "is it still 30%?",
# "has it dropped below 25% yet?", "did China drop it to zero?", "did it change? What is
# it now?". The rate answer says when it last changed, so it answers all of them.
_STILL_VALUE = re.compile(
    r"\bstill (?:at |on )?(?:zpercent|\d+)\b"
    # "today, before the cut kicks in": a date, then what comes after it
    r"|\bzdate before\b|\bbefore (?:that|this|it) (?:happens|kicks in|takes effect)\b"
    r"|\bsince when\b|\b(?:kicked in|taken effect|took effect) yet\b"
)

_THRESHOLD = re.compile(r"\b(?:below|under|above|over|beneath) (?:zpercent|\d+)\b|\bto zero\b")
_LAST_ASKS_NOW = re.compile(
    r"\bwhat (?:is|are|s) (?:it|they|the rate|the tariff|that)(?: at)?"
    r"(?: now| today| right now| currently| zdate)?$"
)


def asks_current_value(question: str, matchable: str) -> bool:
    if _STILL_VALUE.search(matchable) or _THRESHOLD.search(matchable):
        return True
    parts = [p for p in re.split(r"[?!.]", question) if p.strip()]
    return len(parts) > 1 and bool(_LAST_ASKS_NOW.search(normalise(parts[-1])))


# "how much did the US cut tariffs in the Geneva truce?": the truce closing a change
# question is its occasion, not its topic.
_TRUCE_OCCASION = re.compile(r"\b(?:in|with|under|during|through|by) the (?:\w+ )?truce$")
CHANGE_MARGIN = 0.15  # a change reading with change words this close to the rate wins
CHANGE_WORD_MARGIN = 0.05  # a rate reading this close wins over a change with no change word
OCCASION_MARGIN = 0.15
NAMED_TOPIC_MARGIN = 0.1  # a named event's own intent wins when this close to the top


def compares_two_points(
    slot_words: list[str], matchable: str, dates: list[DateRange], today: date, current: bool
) -> bool:
    """Does the question compare two points in time (a change question)?"""
    return (
        compares_dates(slot_words)
        # "today, before the Geneva thing kicks in" is today's rate, not a comparison
        or (before_and_now(dates, today) and not current and "zdate zdate" not in matchable)
        or bool(_FROM_TO.search(matchable))  # "from 145 to what?"
    )


def before_and_now(dates: list[DateRange], today: date) -> bool:
    """ "What was it before the truce, and what is it now?": an earlier date named by what
    came after it, and today: a comparison."""
    before = [d for d in dates if d.text.startswith(("before ", "prior to ", "ahead of "))]
    now = [d for d in dates if d.start == d.end == today and d not in before]
    return bool(before and now and before[0].end < today)


def prefer_change(candidates: list[Candidate], compares: bool = False) -> list[Candidate]:
    """A rate question with change words ("cut", "from what to what") or comparing two
    dates ("April 2025 compared with now") is a rate_change: its answer gives the rate
    too, so preferring it loses nothing."""
    if not candidates or candidates[0].intent != "tariff_rate":
        return candidates
    change = next((c for c in candidates if c.intent == "rate_change"), None)
    if compares:  # "May 2025 against January 2026": a comparison
        top = candidates[0]
        change = change or Candidate("rate_change", top.score, top.similarity, 0.0, "")
        return [change, *[c for c in candidates if c.intent != "rate_change"]]
    if change and change.evidence > 0 and change.score >= candidates[0].score - CHANGE_MARGIN:
        # Preferred, the change reading is as sure as the rate reading it stands in for.
        promoted = replace(change, score=max(change.score, candidates[0].score))
        return [promoted, *[c for c in candidates if c is not change]]
    return candidates


def truce_as_occasion(candidates: list[Candidate], matchable: str) -> list[Candidate]:
    """The change reading first, and the truce set back, when the question ends "... in
    the Geneva truce" and both readings were close."""
    top_two = {c.intent: c for c in candidates[:2]}
    truce, change = top_two.get("truce"), top_two.get("rate_change")
    if (
        truce is None
        or change is None
        or change.evidence == 0
        or change.score < truce.score - OCCASION_MARGIN
        or not _TRUCE_OCCASION.search(matchable)
    ):
        return candidates
    best = max(truce.score, change.score)
    lifted = replace(change, score=best)
    occasion = replace(truce, score=best - OCCASION_MARGIN)  # not the topic
    rest = [c for c in candidates if c is not change and c is not truce]
    return [lifted, *sorted([occasion, *rest], key=lambda c: -c.score)]


def change_needs_a_change_word(candidates: list[Candidate]) -> list[Candidate]:
    """A change reading with no change word at all ("what tariff am I paying on top of
    the normal duty?") does not beat a close rate reading: a change question names one."""
    if len(candidates) < 2 or candidates[0].intent != "rate_change" or candidates[0].evidence:
        return candidates
    rate = next((c for c in candidates[:3] if c.intent == "tariff_rate"), None)
    if rate is None or rate.score < candidates[0].score - CHANGE_WORD_MARGIN:
        return candidates
    lifted = replace(rate, score=candidates[0].score + 0.001)
    return [lifted, *[c for c in candidates if c is not rate]]


def prefer_rate(candidates: list[Candidate]) -> list[Candidate]:
    """The rate first when a change reading leads it (see `asks_current_value`)."""
    if len(candidates) < 2 or candidates[0].intent != "rate_change":
        return candidates
    rate = next((c for c in candidates if c.intent == "tariff_rate"), None)
    if rate is None:
        return candidates
    # It inherits the change reading's score: the same question, read for its ask.
    lifted = replace(rate, score=max(rate.score, candidates[0].score))
    return [lifted, *[c for c in candidates if c is not rate]]


def named_topic(candidates: list[Candidate], topics: list[str], margin: float) -> list[Candidate]:
    """ "Has the London framework been signed off?": the named event is talks, so a
    close reading as talks wins over "deals"."""
    if not topics or len(candidates) < 2:
        return candidates
    named = next((c for c in candidates[:2] if c.intent == topics[0]), None)
    other = next(c for c in candidates[:2] if c is not named) if named else None
    if named is None or other is None or named.score < other.score - NAMED_TOPIC_MARGIN:
        return candidates
    # First, and clear of the other reading (not a coin toss to ask about).
    lifted = replace(named, score=max(named.score, other.score + margin))
    return [lifted, *[c for c in candidates if c is not named]]


def reading_of(candidates: list[Candidate]) -> tuple:
    """What a re-ranking rule can change: the order of the readings and the top score."""
    return (tuple(c.intent for c in candidates[:2]), candidates[0].score if candidates else 0.0)


def fired_rules(
    top: Candidate | None, reranked: list[str], product: str | None, case: str | None
) -> list[str]:
    """The rules behind a reading: the closest example phrasing and the evidence words,
    the re-ranking rules that changed it, the product and court case named."""
    out = []
    if top is not None:
        out.append(
            f"{top.intent}: closest example {top.example!r} (similarity {top.similarity:.2f}, "
            f"keyword evidence {top.evidence:.2f})"
        )
    out += [f"re-ranked: {name}" for name in reranked]
    if product:
        out.append(f"product named: {product} (bot/data/products.toml)")
    if case:
        out.append(f"court case named: {case} (bot/data/cases.toml)")
    return out

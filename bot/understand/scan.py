"""Scans of a question's text that take time in proportion to its length.

A backtracking regex that starts a match at every position of a run it then scans to
the end (`^(.+?)\\s+now that` over a run of spaces, or one `re.search` of the whole text
per name found) costs time in the square of the text's length: a 100 KB question took
seconds. The scans here start at most twice per run of spaces and read the text once,
so their work grows with the length only; tests count that work.
"""

from __future__ import annotations

import re

# "[,;]?\s+ now that": the separator starts at a comma/semicolon, or at the first space
# after a non-space character, never inside a run of spaces (the lookbehind fails there
# at once), so each run is read at most twice whatever its length.
_TRAILING_TURN = re.compile(
    r"(?:[,;]|(?<!\s))\s+(now that|given that|seeing (?:as|that))\b", re.IGNORECASE
)
# A word written with a possessive ("china's", "china’s"): matches only at a word's start
# (`\b`) and never gives back what `\w++` took.
_POSSESSIVE = re.compile(r"\b(\w++)['’](?=\w)")


def trailing_context(question: str) -> str | None:
    """The ask before a trailing turn: "what's the tariff now, given that they met?" asks
    "what's the tariff now". The first turn with no comma after it, with at least one
    character before it; the same as matching
    `^(.+?)[,;]?\\s+(?:now that|given that|seeing (?:as|that))\\b[^,]*$` (IGNORECASE,
    DOTALL), in linear time."""
    last_comma = question.rfind(",")
    for match in _TRAILING_TURN.finditer(question):
        if match.end() <= last_comma:
            continue  # a comma after the turn: "[^,]*$" fails, and so for every later one
        if match.start() > 0:
            return question[: match.start()]
        # The separator opens the text: the ask is its first character if the rest of
        # the separator (at least one space) still comes before the turn.
        if match.start(1) - match.start() >= 2:
            return question[:1]
    return None


def possessive_words(lowered: str) -> frozenset[str]:
    """Every word followed by an apostrophe and a letter ("china's"): a party written this
    way is the owner ("China's tariffs"). One pass, instead of one search per name."""
    return frozenset(m.group(1) for m in _POSSESSIVE.finditer(lowered))

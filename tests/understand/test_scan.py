"""The linear scans give what the backtracking regexes they replace gave, and they cannot
start a match inside a run of spaces (where the old regex rescanned the run from every
position: a 100 KB question took seconds)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.understand.scan import _TRAILING_TURN, possessive_words, trailing_context

# The regexes as they were, kept as the specification.
OLD_TRAILING = re.compile(
    r"^(.+?)[,;]?\s+(?:now that|given that|seeing (?:as|that))\b[^,]*$",
    re.IGNORECASE | re.DOTALL,
)


def old_trailing(question: str) -> str | None:
    match = OLD_TRAILING.match(question)
    return match.group(1) if match else None


def old_possessive(lowered: str, last: str) -> bool:
    return bool(re.search(rf"\b{re.escape(last)}['’]s?\b", lowered))


PIECES = [
    " ", "  ", "\n", "\t", ",", ";", ", ", "a", "x", "what's the rate", "Now That", "now that",
    "given that", "seeing as", "seeing that", "now thatx", "nowthat", "the talks", "?",
]  # fmt: skip
WORDS = ["china", "us", "japan", "'", "’", "s", "x", "chinas", " ", ".", "_", "1"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_trailing_context_is_the_old_regex(question: str) -> None:
    assert trailing_context(question) == old_trailing(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what's the tariff now, given that they met?", "what's the tariff now"),
        ("what's the tariff now given that, they met", None),  # a comma after the turn
        ("what's the tariff now given that they met", "what's the tariff now"),
        ("what's the rate ,  now that they met", "what's the rate "),
        ("  now that x", " "),
        (", now that x", ","),
        ("now that x", None),
    ],
)
def test_trailing_context_examples(question: str, expected: str | None) -> None:
    assert trailing_context(question) == expected == old_trailing(question)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map("".join))
def test_possessive_words_are_the_old_search(lowered: str) -> None:
    owners = possessive_words(lowered)
    for last in ("china", "us", "japan", "chinas", "s", "x"):
        assert (last in owners) == old_possessive(lowered, last), last


@pytest.mark.parametrize("space", [" ", "\n", "\t ", "\u3000"])
def test_no_match_can_start_inside_a_run_of_spaces(space: str) -> None:
    """Linear by construction: whatever follows, the separator cannot begin at a space
    that follows a space, so each run is scanned from its first character only (the old
    `^(.+?)[,;]?\\s+` tried every position of the run, rescanning the rest each time)."""
    run = space * 40
    text = "what is it" + run
    inside = range(len("what is it") + 2, len(text))
    for start in inside:
        assert _TRAILING_TURN.match(text[:start] + " now that", start) is None
    # At the run's first character it can, and does for a turn after the run.
    assert trailing_context(text + "now that x") == "what is it"

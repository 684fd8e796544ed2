"""Long questions: read whole up to MAX_UNDERSTOOD_CHARS, answered "too long" beyond it,
never understood from their first few hundred characters as if that were the question."""

from __future__ import annotations

from datetime import date

import pytest

from bot.understand.text import MAX_UNDERSTOOD_CHARS

DAY = date(2025, 6, 1)
CONTEXT = (
    "I import bicycles and parts for my shop and I keep reading different things in the "
    "news every week. "
)
ASK = "What is the US tariff on Chinese goods?"


def test_the_ask_after_500_characters_of_context_is_read(assistant) -> None:
    question = CONTEXT * 8 + ASK  # 839 characters: the ask used to be cut off
    assert len(question) > 800
    answer = assistant.ask(question, DAY)
    assert answer.intent == "tariff_rate" and "30%" in answer.text
    assert answer.question == question


def test_a_question_of_the_longest_length_is_read(assistant) -> None:
    question = (CONTEXT * 30)[: MAX_UNDERSTOOD_CHARS - len(ASK) - 1] + " " + ASK
    assert len(question) == MAX_UNDERSTOOD_CHARS
    assert assistant.ask(question, DAY).intent == "tariff_rate"


@pytest.mark.parametrize(
    "question",
    [
        "tariff china " * 8000,
        "7" * 100_000,
        "tariff" + " " * 100_000 + "china?",
        CONTEXT * 30 + ASK,
    ],
)
def test_a_longer_question_is_answered_too_long_without_being_read(
    assistant_factory, monkeypatch, question: str
) -> None:
    assistant = assistant_factory()

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a too-long question must not be read")

    monkeypatch.setattr(assistant.engine, "_understand", never)
    answer = assistant.ask(question, DAY)
    assert answer.intent is None and answer.facts == []
    assert f"{len(question.strip()):,} characters" in answer.text
    assert f"{MAX_UNDERSTOOD_CHARS:,}" in answer.text and "one question" in answer.text
    assert answer.question == question  # echoed whole, not cut

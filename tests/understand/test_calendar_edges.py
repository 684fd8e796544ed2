"""Dates at the calendar's edges (1 Jan 1, 31 Dec 9999) are answered, never a crash.

Python's `date` stops at year 1 and year 9999: "before 0001-01-01", "tomorrow" as of
9999-12-31 or "last month" as of 0001-01-01 used to raise OverflowError or ValueError.
They now stop at the edge, which no fact reaches, so the answer is "no record".
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer.compose import range_label
from bot.understand.dates import DateRange, DateReader, clamp_year, plus_days

FIRST, LAST = date.min, date.max


@pytest.fixture(scope="module")
def reader() -> DateReader:
    return DateReader({"truce": date(2025, 5, 14)})


@pytest.mark.parametrize(
    ("text", "today", "start", "end"),
    [
        ("before 0001-01-01", date(2025, 6, 1), FIRST, FIRST),
        ("yesterday", FIRST, FIRST, FIRST),
        ("tomorrow", LAST, LAST, LAST),
        ("last week", FIRST, FIRST, FIRST),
        ("next week", LAST, LAST, LAST),
        ("last month", FIRST, FIRST, date(1, 1, 31)),
        ("next month", LAST, date(9999, 12, 1), LAST),
        ("last year", FIRST, FIRST, date(1, 12, 31)),
        ("next year", LAST, date(9999, 1, 1), LAST),
        ("999 weeks ago", FIRST, FIRST, FIRST),
        ("999 years ago", date(5, 6, 1), date(1, 1, 1), date(1, 1, 1)),
        ("this winter", FIRST, date(1, 12, 1), date(2, 2, 28)),
        ("this winter", LAST, date(9999, 12, 1), LAST),
        ("at christmas", FIRST, date(1, 12, 25), date(1, 12, 25)),
        ("since may", FIRST, date(1, 5, 1), date(1, 5, 31)),
    ],
)
def test_relative_dates_stop_at_the_calendars_edges(
    reader: DateReader, text: str, today: date, start: date, end: date
) -> None:
    _, found = reader.read(text, today)
    assert [(d.start, d.end) for d in found] == [(start, end)]


def test_saturating_helpers() -> None:
    assert plus_days(LAST, 1) == LAST and plus_days(FIRST, -1) == FIRST
    assert plus_days(date(2025, 1, 31), 1) == date(2025, 2, 1)
    assert clamp_year(0) == 1 and clamp_year(10_000) == 9999 and clamp_year(2025) == 2025


def test_range_label_at_the_last_day() -> None:
    assert range_label(DateRange(date(9999, 12, 1), LAST, "")) == "1 Dec 9999 to 31 Dec 9999"


@pytest.mark.parametrize(
    ("question", "today"),
    [
        ("What was the US tariff on Chinese goods before 0001-01-01?", date(2025, 6, 1)),
        ("What is the US tariff on Chinese goods tomorrow?", LAST),
        ("What was the US tariff on Chinese goods last month?", FIRST),
        ("What will the US tariff on Chinese goods be next year?", LAST),
        ("US tariff on Chinese goods 999 days ago?", FIRST),
        ("US tariff on Chinese goods since May?", LAST),
    ],
)
def test_edge_questions_are_answered_no_record(assistant, question: str, today: date) -> None:
    answer = assistant.ask(question, today)
    assert answer.outcome == "no_record"
    # A question about the date it is asked, past the records, gets the latest record
    # after its "no record" line (issue 15); nothing is said to hold on the date asked.
    assert "don't have a record" in answer.text.splitlines()[0]
    assert not answer.facts or "My latest record, as it stood on" in answer.text


@pytest.mark.parametrize("today", [FIRST, date(1, 1, 2), LAST])
def test_slash_commands_at_the_edges(assistant, today: date) -> None:
    for answer in (
        assistant.deadlines(as_of=today),
        assistant.rulings(as_of=today),
        assistant.rate("US", "CN", as_of=today),
        assistant.timeline("US", "CN", as_of=today),
        assistant.status(["CN"], as_of=today),
    ):
        assert answer.text


DATE_WORDS = [
    "before", "after", "since", "on", "in", "during", "last", "next", "this", "ago",
    "tomorrow", "yesterday", "today", "now", "week", "month", "year", "years", "days", "may",
    "december", "winter", "summer", "christmas", "thanksgiving", "early", "late", "end of",
    "between", "and", "the truce", "0001-01-01", "9999-12-31", "12/31/9999", "1/1/0001",
    "1 jan", "31 dec", "999", "10", "a", "2025", "1900", "2099", "US", "China", "tariff",
    "talks", "deadline", "court", "?", ",", ".",
]  # fmt: skip


@pytest.mark.parametrize("question", ["may 0", "US tariff on China on 0 may", "dec 0 2025"])
def test_a_day_zero_is_no_date_not_a_crash(assistant, question: str) -> None:
    # Found by the property test below: "may 0" asked on 1 Jan 2000 raised ValueError.
    answer = assistant.ask(question, date(2000, 1, 1))
    assert answer.text


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=12)), max_size=12),
    today=st.dates(),
)
def test_any_question_on_any_date_is_answered(assistant, words: list[str], today: date) -> None:
    answer = assistant.ask(" ".join(words), today)
    assert answer.text and answer.as_of == today

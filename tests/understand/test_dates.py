from datetime import date

import pytest

from bot.understand.dates import SENTINEL, DateReader

TODAY = date(2025, 9, 15)


@pytest.fixture(scope="module")
def reader() -> DateReader:
    return DateReader({"truce": date(2025, 5, 14), "busan meeting": date(2025, 10, 30)})


def one(reader: DateReader, text: str) -> tuple[date, date]:
    _, found = reader.read(text.lower(), TODAY)
    assert len(found) == 1, found
    return found[0].start, found[0].end


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("rate on 1 May 2025", date(2025, 5, 1), date(2025, 5, 1)),
        ("rate on the 3rd of june, 2025", date(2025, 6, 3), date(2025, 6, 3)),
        ("rate on May 14th 2025?", date(2025, 5, 14), date(2025, 5, 14)),
        ("rate on 2025-05-13", date(2025, 5, 13), date(2025, 5, 13)),
        ("rate on 7/4/2025", date(2025, 7, 4), date(2025, 7, 4)),
        ("as of June 2025", date(2025, 6, 1), date(2025, 6, 30)),
        ("in sept 2025", date(2025, 9, 1), date(2025, 9, 30)),
        ("during 2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("in december", date(2024, 12, 1), date(2024, 12, 31)),  # most recent December
        ("on 3 august", date(2025, 8, 3), date(2025, 8, 3)),
        ("last month", date(2025, 8, 1), date(2025, 8, 31)),
        ("two weeks ago", date(2025, 9, 1), date(2025, 9, 1)),
        ("3 months ago", date(2025, 6, 15), date(2025, 6, 15)),
        ("right now", TODAY, TODAY),
        ("yesterday", date(2025, 9, 14), date(2025, 9, 14)),
        ("last week", date(2025, 9, 8), date(2025, 9, 14)),  # what happened in it
        ("next week", date(2025, 9, 16), date(2025, 9, 22)),
        ("before the truce", date(2025, 5, 13), date(2025, 5, 13)),
        ("the week before the truce", date(2025, 5, 13), date(2025, 5, 13)),
        ("this fall", date(2025, 9, 1), date(2025, 11, 30)),
        ("before 14 May 2025", date(2025, 5, 13), date(2025, 5, 13)),
        ("since May 2025", date(2025, 5, 1), TODAY),
        ("since june", date(2025, 6, 1), TODAY),
        ("the day after the truce", date(2025, 5, 15), date(2025, 5, 15)),
        ("right after the truce", date(2025, 5, 14), date(2025, 5, 21)),  # the week after
        ("since the truce", date(2025, 5, 14), TODAY),
    ],
)
def test_date_forms(reader: DateReader, text: str, start: date, end: date) -> None:
    assert one(reader, text) == (start, end)


def test_date_is_replaced_by_a_placeholder(reader: DateReader) -> None:
    text, found = reader.read("what was the rate on 1 may 2025 please", TODAY)
    assert SENTINEL in text and "2025" not in text and len(found) == 1


@pytest.mark.parametrize(
    "text",
    [
        "rate on 30 february 2025",
        "the 30% tariff",
        "may i ask about tariffs",
        "in may we trust",
        "what about 2025-13-45",
        "145 percent",
    ],
)
def test_non_dates_and_impossible_dates_are_ignored(reader: DateReader, text: str) -> None:
    _, found = reader.read(text, TODAY)
    assert found == []


def test_unknown_event_is_not_a_date(reader: DateReader) -> None:
    _, found = reader.read("before the olympics", TODAY)
    assert found == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("rate on christmas day 2025", date(2025, 12, 25)),
        ("on new year's eve 2025", date(2025, 12, 31)),
        ("around thanksgiving 2025", date(2025, 11, 27)),  # the fourth Thursday
        ("on halloween", date(2025, 10, 31)),  # six weeks ahead: this year's
        ("at christmas", date(2024, 12, 25)),  # over 60 days ahead: last year's
    ],
)
def test_named_days(reader: DateReader, text: str, day: date) -> None:
    assert one(reader, text) == (day, day)


@pytest.fixture(scope="module")
def event_reader() -> DateReader:
    return DateReader(
        {"truce": date(2025, 5, 14)},
        [
            (
                ("supreme court", "scotus", "justices"),
                ("ruled", "ruling", "killed", "struck"),
                TODAY,
            ),
            (("trump", "xi"), ("met", "meeting"), date(2025, 9, 1)),
            (("90 days", "truce"), ("ran out", "expired"), date(2025, 8, 12)),
        ],
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "left"),
    [
        ("the rate after scotus struck the ieepa ones down?", TODAY, TODAY, "the rate"),
        ("tariffs after the ruling by the justices", None, None, "tariffs"),
        ("how much lower since trump met with xi", date(2025, 9, 1), TODAY, "how much lower"),
        ("did rates rise once the 90 days ran out", date(2025, 8, 12), date(2025, 8, 12), "rise"),
        ("the rate the week trump met xi?", date(2025, 9, 1), date(2025, 9, 1), "the rate"),
    ],
)
def test_event_clauses_become_dates(event_reader, text, start, end, left) -> None:
    rest, found = event_reader.read(text, TODAY)
    if start is None:  # "the ruling by the justices": the noun form is an event too
        assert len(found) == 1 and found[0].event
        return
    assert [(f.start, f.end, f.event) for f in found] == [(start, end, True)]
    assert left in rest and "trump" not in rest and "scotus" not in rest


def test_questions_about_the_event_itself_are_not_clauses(event_reader) -> None:
    # "when did ..." asks for the event's date: no clause, no date.
    assert event_reader.read("when did the supreme court rule", TODAY)[1] == []
    assert event_reader.read("did trump and xi ever meet", TODAY)[1] == []


def test_events_can_be_left_as_words(event_reader) -> None:
    rest, found = event_reader.read("what happened after the justices ruled", TODAY, events=False)
    assert found == [] and "justices ruled" in rest


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("during summer 2025", date(2025, 6, 1), date(2025, 8, 31)),
        ("last summer", date(2025, 6, 1), date(2025, 8, 31)),  # asked mid-September
        ("in winter 2025", date(2025, 12, 1), date(2026, 2, 28)),
        ("in early june 2025", date(2025, 6, 1), date(2025, 6, 10)),
        ("around mid-july", date(2025, 7, 11), date(2025, 7, 20)),
        ("at the end of august 2025", date(2025, 8, 21), date(2025, 8, 31)),
        ("in late 2025", date(2025, 9, 1), date(2025, 12, 31)),
    ],
)
def test_seasons_and_parts_of_months(reader: DateReader, text: str, start: date, end: date) -> None:
    assert one(reader, text) == (start, end)


def test_fall_the_verb_is_not_a_season(reader: DateReader) -> None:
    _, found = reader.read("did the rate fall after the talks", TODAY)
    assert found == []

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
        ("before the truce", date(2025, 5, 13), date(2025, 5, 13)),
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

"""The Query: built once by understanding (every word test the composer used to make is a
named field), frozen, and what slash commands build directly."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from bot.dates import DateRange
from bot.query import MAX_UNDERSTOOD_CHARS, Query
from bot.understand.query_flags import QUERY_WORD_LISTS, parse_query_words
from bot.understand.rules import RulesError

DAY = date(2025, 7, 1)


def query(assistant, question: str, day: date = DAY) -> Query:
    q = assistant.understand(question, day).query
    assert isinstance(q, Query)
    return q


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("had the US tariff on China recently been cut?", "recently"),
        ("what is the reciprocal part of the US tariff on China?", "about_components"),
        ("when was the truce originally supposed to end?", "original_schedule"),
        ("did the truce get extended?", "about_extension"),
        ("which executive order extended the truce?", "asks_meaning"),
        ("which trade deals are close?", "pending_only"),
        ("what's the current tariff situation?", "status_asked"),
        ("what are the US tariffs across the board?", "global_asked"),
        ("is 145% still a thing?", "quotes_a_rate"),
    ],
)
def test_each_way_of_asking_sets_its_flag_and_a_plain_question_sets_none(
    assistant, question: str, flag: str
) -> None:
    assert getattr(query(assistant, question), flag) is True
    assert getattr(query(assistant, "What is the US tariff on Japanese goods?"), flag) is False


def test_rates_written_and_bare_numbers_that_may_be_rates(assistant) -> None:
    assert query(assistant, "is 145% still a thing?").quoted_rates == (145.0,)
    bare = query(assistant, "the tariff went down from 145 to what?")
    assert bare.rate_numbers == (145.0,) and bare.quoted_rates == ()
    assert query(assistant, "tariffs in 2025?").rate_numbers == ()  # a year is no rate


def test_two_dates_compared_make_the_aspect_compare(assistant) -> None:
    q = query(assistant, "US tariff on Chinese goods in April 2025 compared with January 2026?")
    assert q.aspect == "compare" and len(q.dates) == 2
    assert query(assistant, "US tariff on Chinese goods in April 2025?").aspect == "value"


def test_the_date_asked_is_the_closing_questions_and_never_when_someone_said_it(
    assistant,
) -> None:
    q = query(assistant, "My supplier says it dropped in November. What is it now?")
    assert q.date_asked is not None and q.date_asked.start == DAY and q.date_role == "asked"
    said = query(assistant, "are the Japan talks still stalled, like Bessent said in May?")
    assert said.dates and said.date_asked is None and said.date_role == "none"


def test_a_date_after_today_is_future(assistant) -> None:
    q = query(assistant, "what will the US tariff on China be on 1 Dec 2025?")
    assert q.date_role == "future" and q.date_asked.start == date(2025, 12, 1)


def test_a_named_event_without_a_date_dates_the_question_by_the_event(assistant) -> None:
    q = query(assistant, "how much did the US cut tariffs in the Geneva truce?")
    assert q.named_events and q.date_asked is None and q.date_role == "event"


def test_parties_set_aside_and_parties_named_only_as_places(assistant) -> None:
    assert query(assistant, "any trade deals besides China?").excluded == {"CN"}
    assert query(assistant, "any trade deals apart from Japan?").excluded == {"JP"}
    assert not query(assistant, "what is the tariff on goods made in China?").venues
    met = query(assistant, "what did Trump and Xi agree when they met in Korea?")
    assert "KR" in met.venues and "KR" in met.parties
    london = query(assistant, "what came out of the London talks?")
    assert london.capital_venues == ("GB",) and ("GB", "london") in london.capitals
    assert "GB" not in london.named_outright


def test_sides_product_and_question_text(assistant) -> None:
    q = query(assistant, "What is the US tariff on Chinese steel?")
    assert (q.importer, q.exporter, q.product) == ("US", "CN", "steel")
    assert q.question == "What is the US tariff on Chinese steel?" and q.authority is None
    both = query(assistant, "china usa tariffs?")
    assert both.both_ways and {both.importer, both.exporter} == {"US", "CN"}


def test_a_question_too_long_to_read_is_only_flagged(assistant) -> None:
    q = query(assistant, "tariff " * (MAX_UNDERSTOOD_CHARS // 5))
    assert q.too_long and q.intent is None and q.parties == ()


def test_the_query_is_frozen_and_checks_its_aspect_and_date_role() -> None:
    q = Query(question="q", intent="tariff_rate")
    with pytest.raises(FrozenInstanceError):
        q.intent = "truce"  # type: ignore[misc]
    with pytest.raises(ValueError, match="aspect 'colour'"):
        Query(question="q", intent=None, aspect="colour")
    with pytest.raises(ValueError, match="date_role 'soon'"):
        Query(question="q", intent=None, date_role="soon")


def test_a_slash_command_query_holds_its_options_and_nothing_read_from_words() -> None:
    q = Query.structured(
        "tariff_rate",
        label="/rate US CN",
        importer="US",
        exporter="CN",
        day=date(2025, 5, 1),
        today=DAY,
    )
    assert (q.importer, q.exporter, q.parties, q.named_outright) == (
        "US",
        "CN",
        ("US", "CN"),
        ("US", "CN"),
    )
    assert q.date_asked == DateRange(date(2025, 5, 1), date(2025, 5, 1), "2025-05-01")
    assert q.date_role == "asked" and not q.venues and not q.excluded
    later = Query.structured("tariff_rate", label="/rate", day=date(2026, 1, 1), today=DAY)
    assert later.date_role == "future"


def test_the_query_as_json(assistant) -> None:
    data = query(assistant, "US tariff on Chinese goods on 2 May 2025").to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["date_asked"]["start"] == "2025-05-02" and data["excluded"] == []


def test_query_word_lists_are_validated() -> None:
    good = {name: ["word"] for name in QUERY_WORD_LISTS}
    assert parse_query_words({"query_words": good}).recently == frozenset({"word"})
    with pytest.raises(RulesError, match=r"\[query_words\] is missing"):
        parse_query_words({})
    with pytest.raises(RulesError, match="close must be a non-empty list"):
        parse_query_words({"query_words": {**good, "close": []}})
    with pytest.raises(RulesError, match="'two words' is not one lower-case word"):
        parse_query_words({"query_words": {**good, "venue": ["two words"]}})
    assert (
        "apart"
        in parse_query_words({"query_words": {**good, "excluding": ["apart from"]}}).excluding_first
    )
    with pytest.raises(RulesError, match="unknown list"):
        parse_query_words({"query_words": {**good, "colour": ["red"]}})

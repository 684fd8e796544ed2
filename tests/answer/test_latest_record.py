"""Issue 15: questions about now, asked after the records end, get the latest record
framed as past; a scheduled end passed with nothing after it is never "in force" nor
"ended"; every "no record" says how far the records go; an end learned after the date
asked as of is not shown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.service import Assistant
from bot.store import Source
from tests.answer.test_strategies import status_fact
from tests.conftest import MOD, rate_fact

TODAY = date(2026, 12, 6)


def seed(store, *raws: dict) -> Assistant:
    for raw in raws:
        store.add(raw, by=MOD, reason="seed")
    return Assistant(store)


@pytest.fixture
def surcharge(fresh_db) -> Assistant:
    """US tariffs on Japanese goods: 10% from 24 Feb 2026, scheduled to end 24 Jul 2026."""
    return seed(
        fresh_db,
        rate_fact(
            id="jp-10",
            rate=10,
            valid_from="2026-02-24",
            valid_to="2026-07-24",
            end_kind="scheduled",
            recorded="2026-03-01",
        ),
    )


def test_now_after_a_scheduled_end_gives_the_latest_record_framed_as_past(surcharge) -> None:
    a = surcharge.ask("what is the US tariff on Japanese goods now?", TODAY)
    assert a.outcome == "no_record"  # nothing is said to hold today
    first, second = a.text.splitlines()[:2]
    assert "valid on 6 Dec 2026" in first
    assert "scheduled to end on 24 Jul 2026" in first and "extended or ended" in first
    assert second == "My latest record, as it stood on 23 Jul 2026:"
    assert "10% from 24 Feb 2026" in a.text
    assert a.facts == ["jp-10"] and a.sources and "Source:" in a.text  # cited
    assert "Ask about a date up to 23 Jul 2026" in a.text
    assert "My records run to 1 Mar 2026" in a.text
    assert "In force until" not in a.text and "ended on 24 Jul" not in a.text


def test_confirmed_end_says_ended(fresh_db) -> None:
    bot = seed(
        fresh_db,
        rate_fact(id="jp-10", rate=10, valid_from="2026-02-24", valid_to="2026-07-24"),
    )
    a = bot.ask("what is the US tariff on Japanese goods now?", TODAY)
    assert a.outcome == "no_record"
    assert "The latest record for that ended on 24 Jul 2026" in a.text
    assert "scheduled" not in a.text and "10%" in a.text


def test_a_date_asked_explicitly_is_not_rewritten(surcharge) -> None:
    a = surcharge.ask("what was the US tariff on Japanese goods on 1 Sep 2026?", TODAY)
    assert a.outcome == "no_record" and a.facts == []
    assert not re.search(r"\d+%", a.text)  # the date was asked: no other day's number


def test_before_the_end_a_scheduled_end_is_said_as_such(surcharge) -> None:
    a = surcharge.ask("what is the US tariff on Japanese goods?", date(2026, 5, 1))
    assert a.outcome == "answer" and "Scheduled to end on 24 Jul 2026" in a.text


@pytest.fixture
def truce(fresh_db) -> Assistant:
    """A US–China truce in force from 10 Nov 2025, scheduled to end on 10 Nov 2026."""
    return seed(
        fresh_db,
        status_fact(
            "kl",
            "in force",
            ["US", "CN"],
            "US–China truce",
            valid_from="2025-11-10",
            valid_to="2026-11-10",
            end_kind="scheduled",
        ),
    )


def test_status_past_its_scheduled_end_is_not_shown_as_current(truce) -> None:
    bot = truce
    a = bot.ask("is the US China deal still in force?", TODAY)
    first = a.text.splitlines()[0]
    assert first.startswith("US–China truce — recorded as in force from 10 Nov 2025;")
    assert "scheduled to end on 10 Nov 2026" in first and "extended or ended" in first


def test_old_status_says_it_is_old_in_words(fresh_db) -> None:
    deals = seed(fresh_db, status_fact("uk", "signed", ["US", "GB"], "US–UK deal"))
    a = deals.ask("is there a US UK deal?", date(2026, 6, 1))
    assert a.text.startswith("As of my latest record (20 Aug 2025,")


def test_every_no_record_states_the_cutoff(fresh_db) -> None:
    bot = seed(fresh_db, rate_fact(id="jp-10", rate=10, valid_from="2025-04-05"))
    a = bot.ask("what does India charge on goods from Vietnam?", date(2025, 9, 1))
    assert a.outcome == "no_record" and "My records run to 1 Jun 2025" in a.text
    # as of a date before a fact was recorded, that fact does not move the cut-off
    early = bot.ask("what does India charge on goods from Vietnam?", date(2025, 5, 1))
    assert "My records run to" not in early.text


@pytest.fixture
def learned_later(fresh_db) -> Assistant:
    """24% from 9 Apr 2025 whose end (7 Aug 2025) was learned on 1 Aug 2025, when the
    15% that followed it was first reported."""
    fresh_db.put_source(
        Source("src-late", "https://example.org/late", "Late", "Example", date(2025, 8, 1))
    )
    bot = seed(
        fresh_db,
        rate_fact(
            id="jp-24",
            rate=24,
            valid_from="2025-04-09",
            valid_to="2025-08-07",
            recorded="2025-08-01",
        ),
        rate_fact(
            id="jp-15",
            rate=15,
            valid_from="2025-08-07",
            recorded="2025-08-01",
            citations=[{"source": "src-late"}],
        ),
    )
    return bot


def test_end_learned_after_the_as_of_date_is_not_shown(learned_later) -> None:
    bot = learned_later
    early = bot.ask("US tariff on Japanese goods?", date(2025, 6, 1))
    assert "24%" in early.text and "7 Aug 2025" not in early.text
    later = bot.ask("US tariff on Japanese goods?", date(2025, 8, 2))
    assert "In force until 7 Aug 2025" in later.text


def test_timeline_as_of_a_past_day_shows_only_what_was_known(learned_later) -> None:
    bot = learned_later
    early = bot.timeline("US", "JP", as_of=date(2025, 6, 1)).text
    assert "9 Apr 2025 – no end recorded: 24%" in early and "15%" not in early
    later = bot.timeline("US", "JP", as_of=date(2025, 8, 2)).text
    assert "9 Apr 2025 – 7 Aug 2025: 24%" in later and "7 Aug 2025 – no end recorded: 15%" in later


def test_a_now_answer_made_only_of_lapsed_records_is_a_no_record(truce) -> None:
    bot = truce
    now = bot.ask("is the US China truce deal still on?", TODAY)
    assert now.outcome == "no_record" and now.facts == ["kl"] and "Source:" in now.text
    before = bot.ask("is the US China truce deal still on?", date(2026, 11, 1))
    assert before.outcome == "answer"  # still within its term
    asked_then = bot.ask("was the US China truce deal on in May 2026?", TODAY)
    assert asked_then.outcome == "answer"  # a date in the past: the record answers it


def test_retrieval_names_the_newest_record_of_a_subject_and_its_scheduled_end(fresh_db) -> None:
    first = status_fact(
        "pause-1",
        "paused",
        ["EU", "US"],
        "EU countermeasures package",
        valid_from="2025-08-07",
        valid_to="2026-02-07",
        end_kind="scheduled",
        statement="The EU suspended its countermeasures package on bourbon for six months.",
    )
    second = status_fact(
        "pause-2",
        "paused",
        ["EU", "US"],
        "EU countermeasures package",
        valid_from="2026-02-07",
        valid_to="2026-08-07",
        end_kind="scheduled",
        statement="The Commission kept the package suspended for another six months.",
    )
    bot = seed(fresh_db, first, second)
    a = bot.ask("is the EU still holding back its countermeasures package on bourbon?", TODAY)
    assert a.facts == ["pause-2"] and a.outcome == "no_record"
    assert "scheduled to end on 7 Aug 2026, and I have no record of whether" in a.text
    then = bot.ask("EU countermeasures package on bourbon in September 2025?", TODAY)
    assert then.facts == ["pause-1"]  # a date asked: the record of that date


def test_a_layer_shows_its_end_when_it_was_known(fresh_db) -> None:
    bot = seed(
        fresh_db,
        rate_fact(
            id="all-10",
            rate=10,
            exporter="WORLD",
            authority="other",
            valid_from="2026-02-24",
            valid_to="2026-09-01",
            recorded="2026-04-20",  # this end was learned on 20 Apr 2026
        ),
        rate_fact(
            id="steel-50",
            rate=50,
            exporter="WORLD",
            products=["steel"],
            authority="section-232",
            valid_from="2025-06-04",
            valid_to="2026-07-24",
            end_kind="scheduled",
            recorded="2025-06-04",
        ),
    )
    a = bot.ask("US tariff on Japanese steel?", date(2026, 5, 1))
    assert "50%, from 4 Jun 2025, scheduled to end on 24 Jul 2026" in a.text
    assert "10%, from 24 Feb 2026, until 1 Sep 2026" in a.text
    early = bot.ask("US tariff on Japanese steel?", date(2026, 4, 1))
    assert "10%, from 24 Feb 2026\n" in early.text  # its end was not known yet

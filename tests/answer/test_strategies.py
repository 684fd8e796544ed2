"""Answer strategies read only the Query: each flag a question sets changes the answer the
way it should, on small fact sets of the test's own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.answer.compose import Composer, StrategyError
from bot.answer.strategies import STRATEGIES
from bot.dates import DateRange
from bot.query import Query
from bot.service import Assistant
from bot.understand.rules import INTENT_NAMES, load_rules
from tests.conftest import MOD, rate_fact

DAY = date(2025, 9, 1)


def month(year: int, number: int) -> DateRange:
    last = date(year, number + 1, 1) if number < 12 else date(year + 1, 1, 1)
    return DateRange(date(year, number, 1), date.fromordinal(last.toordinal() - 1), "m")


@pytest.fixture
def rates(fresh_db) -> Assistant:
    """US tariffs on Japanese goods: 10% from 5 Apr 2025, 15% from 7 Aug 2025."""
    fresh_db.add(
        rate_fact(id="jp-10", rate=10, valid_from="2025-04-05", valid_to="2025-08-07"),
        by=MOD,
        reason="seed",
    )
    fresh_db.add(rate_fact(id="jp-15", rate=15, valid_from="2025-08-07"), by=MOD, reason="seed")
    return Assistant(fresh_db)


def status_fact(fid: str, status: str, parties: list[str], subject: str, **more) -> dict:
    return {
        "id": fid,
        "kind": "deal_status",
        "subject": subject,
        "parties": parties,
        "status": status,
        "statement": f"{subject}: {status}.",
        "valid_from": "2025-06-01",
        "recorded": "2025-08-20",
        "citations": [{"source": "src-a"}],
        **more,
    }


@pytest.fixture
def deals(fresh_db) -> Assistant:
    fresh_db.add(status_fact("uk", "signed", ["US", "GB"], "US–UK deal"), by=MOD, reason="seed")
    fresh_db.add(status_fact("in", "pending", ["US", "IN"], "US–India deal"), by=MOD, reason="seed")
    return Assistant(fresh_db)


def rate_query(**fields) -> Query:
    return Query(question="q", intent="tariff_rate", importer="US", exporter="JP", **fields)


def test_a_rate_query_answers_with_the_rate_and_its_source(rates) -> None:
    a = rates.composer.compose(rate_query(), DAY)
    assert a.outcome == "answer" and "15%" in a.text and "(before: 10%)" in a.text
    assert "Example News" in a.text and a.facts[0] == "jp-15"


def test_recently_asks_about_the_change_before_the_date_not_after(rates) -> None:
    may = month(2025, 5)
    change = replace(rate_query(), intent="rate_change", dates=(may,), date_asked=may)
    later = rates.composer.compose(change, DAY)
    assert "from 10% to 15%" in later.text
    before = rates.composer.compose(replace(change, recently=True), DAY)
    assert "from 10% to 15%" not in before.text and "10%" in before.text


def test_the_compare_aspect_gives_the_rate_at_each_date(rates) -> None:
    may, august = month(2025, 5), DateRange(date(2025, 8, 20), date(2025, 8, 20), "d")
    q = replace(
        rate_query(), intent="rate_change", dates=(may, august), date_asked=may, aspect="compare"
    )
    a = rates.composer.compose(q, DAY)
    assert "10%" in a.lines[0] and "15%" in a.lines[0] and "May 2025" in a.lines[0]
    plain = rates.composer.compose(replace(q, aspect="value"), DAY)
    assert plain.lines != a.lines


def test_a_quoted_rate_reads_as_the_pair_that_has_it(rates) -> None:
    q = Query(question="q", intent="tariff_rate", quotes_a_rate=True, quoted_rates=(15.0,))
    a = rates.composer.compose(q, DAY)
    assert a.outcome == "answer" and "US tariffs on Japanese goods" in a.text
    bare = replace(q, quotes_a_rate=False, quoted_rates=(), rate_numbers=(15.0,))
    assert rates.composer.compose(bare, DAY).facts == a.facts
    untracked = replace(bare, rate_numbers=(99.0,))  # not a tracked rate: no reading
    assert rates.composer.compose(untracked, DAY).outcome == "no_record"


def test_pending_only_leaves_out_signed_deals(deals) -> None:
    q = Query(question="q", intent="deals")
    both = deals.composer.compose(q, DAY)
    assert {"uk", "in"} <= set(both.facts)
    pending = deals.composer.compose(replace(q, pending_only=True), DAY)
    assert pending.facts == ["in"] and "US–UK" not in pending.text


def test_excluded_parties_are_left_out(deals) -> None:
    q = Query(question="q", intent="deals", parties=("US", "IN"), excluded=frozenset({"IN"}))
    a = deals.composer.compose(q, DAY)
    assert "in" not in a.facts and "uk" in a.facts


def test_ambiguous_offers_the_close_readings_and_answers_neither(rates) -> None:
    q = rate_query(ambiguous=True, candidates=(("truce", 0.6), ("court_ruling", 0.59)))
    a = rates.composer.compose(q, DAY)
    assert a.outcome == "clarify" and a.interpretations == ["truce", "court_ruling"]
    assert a.facts == [] and len(a.suggestions) == 2


def test_every_built_in_intent_names_a_strategy_that_exists() -> None:
    rules = load_rules()
    for name in INTENT_NAMES:
        assert rules.intents[name].strategy in STRATEGIES, name


def test_an_unknown_strategy_fails_when_the_composer_is_built_not_when_asked(rates) -> None:
    with pytest.raises(StrategyError, match="intent 'truce' names strategy 'guess'"):
        Composer(rates.index, rates.store.vocab, {}, routes={"truce": ("guess", None)})
    with pytest.raises(StrategyError, match="must name the fact kind"):
        Composer(rates.index, rates.store.vocab, {}, routes={"x": ("status", None)})
    rules = load_rules()
    rules.intents["truce"] = replace(rules.intents["truce"], strategy="guess")
    with pytest.raises(StrategyError, match="guess"):
        rates.reindex(rules)
    assert rates.ask("When does the truce end?", DAY).intent == "truce"  # old rules kept

"""New sources given with a fact (CLI options, Discord form): the URL is the identity, ids
are unique, and re-citing a URL never changes what is stored."""

from __future__ import annotations

from datetime import date

import pytest

from bot import forms, service
from bot.service import NewSource, source_id_for
from bot.store import FactStore, Source, ValidationError
from tests.conftest import MOD, rate_fact


def test_urls_ending_alike_get_distinct_ids() -> None:
    first = source_id_for("https://www.ustr.gov/2025/05/statement")
    assert first == "ustr-statement"
    assert source_id_for("https://www.ustr.gov/2025/06/statement", {first}) == "ustr-statement-2"
    taken = {first, "ustr-statement-2"}
    assert source_id_for("https://www.ustr.gov/2025/07/statement", taken) == "ustr-statement-3"
    long_url = "https://example.org/" + "a" * 120
    long_id = source_id_for(long_url)
    assert len(source_id_for(long_url, {long_id})) <= 80


def test_a_second_url_with_the_same_last_segment_is_a_new_source(fresh_db: FactStore) -> None:
    """Before: the second URL got the first one's id and silently replaced it."""
    first = NewSource(
        "https://example.org/2025/05/statement", "May statement", "USTR", "2025-05-01"
    )
    second = NewSource(
        "https://example.org/2025/06/statement", "June statement", "USTR", "2025-06-01"
    )
    service.add_fact(
        fresh_db, rate_fact(id="fact-may", citations=[]), by=MOD, reason="seed", new_source=first
    )
    service.add_fact(
        fresh_db,
        rate_fact(id="fact-june", exporter="KR", citations=[]),  # JP would overlap fact-may
        by=MOD,
        reason="seed",
        new_source=second,
    )
    may = fresh_db.require("fact-may").source_ids[0]
    june = fresh_db.require("fact-june").source_ids[0]
    assert may != june
    assert fresh_db.require_source(may).title == "May statement"
    assert fresh_db.require_source(june).title == "June statement"


def test_re_citing_a_url_with_another_title_names_the_difference(fresh_db: FactStore) -> None:
    again = NewSource("https://example.org/a", "Example A (updated)", "Example News", "2025-06-01")
    with pytest.raises(ValidationError) as err:
        service.add_fact(fresh_db, rate_fact(citations=[]), by=MOD, reason="seed", new_source=again)
    [error] = err.value.errors
    assert error.field == "source_title"
    assert (
        "https://example.org/a is already cited as 'Example A' (you gave 'Example A (updated)')"
        in (error.message)
    )
    assert "`tradebot sources edit src-a`" in error.message
    assert fresh_db.get("xx-rate", missing_ok=True) is None
    assert fresh_db.require_source("src-a").title == "Example A"


def test_re_citing_a_url_with_another_date_or_publisher_is_refused(fresh_db: FactStore) -> None:
    again = NewSource("https://example.org/a", "Example A", "Other News", "2025-06-02")
    with pytest.raises(ValidationError) as err:
        again.to_source(fresh_db.sources())
    assert {e.field for e in err.value.errors} == {"source_publisher", "source_published"}


@pytest.mark.parametrize(
    "again",
    [
        NewSource("https://example.org/a", "Example A", "Example News", "2025-06-01"),
        NewSource("https://example.org/a", " Example  A ", "Example News", date(2025, 6, 1)),
        NewSource("https://example.org/a"),
        NewSource(" https://example.org/a ", "", "", ""),
    ],
)
def test_re_citing_with_same_metadata_or_only_the_url_cites_the_stored_source(
    fresh_db: FactStore, again: NewSource
) -> None:
    fact = service.add_fact(
        fresh_db, rate_fact(citations=[]), by=MOD, reason="seed", new_source=again
    )
    assert fact.source_ids == ["src-a"]
    assert len(fresh_db.sources()) == 2


def test_a_new_url_needs_title_publisher_and_date(fresh_db: FactStore) -> None:
    with pytest.raises(ValidationError) as err:
        NewSource("https://example.org/new", "A title").to_source(fresh_db.sources())
    assert {e.field for e in err.value.errors} == {"source_publisher", "source_published"}
    assert "is not a stored source yet" in str(err.value)


def test_a_new_source_published_in_the_future_is_refused(fresh_db: FactStore) -> None:
    new = NewSource("https://example.org/new", "A title", "A publisher", "2025-07-02")
    with pytest.raises(ValidationError, match="source_published: 2025-07-02 is after today"):
        new.to_source(fresh_db.sources(), today=date(2025, 7, 1))


def test_a_legacy_stored_url_can_still_be_cited(fresh_db: FactStore) -> None:
    """A source stored before today's URL rules stays citable by its URL."""
    legacy = Source("legacy", "https://example.org/page_(1)", "Old page", "Old", date(2024, 1, 1))
    fresh_db.db["sources"].insert(
        {**legacy.__dict__, "published": "2024-01-01", "recorded_at": "x"}
    )
    assert NewSource(legacy.url).to_source(fresh_db.sources()).id == "legacy"


def test_discord_form_accepts_just_the_url_of_a_stored_source(fresh_db: FactStore) -> None:
    raw, new_source = forms.form_input(
        "tariff_rate", forms.FactForm("25", "", "2025-04-03", "https://example.org/a")
    )
    assert new_source == NewSource("https://example.org/a")
    fact = service.add_fact(
        fresh_db, {**rate_fact(citations=[]), **raw}, by=MOD, reason="seed", new_source=new_source
    )
    assert fact.source_ids == ["src-a"]

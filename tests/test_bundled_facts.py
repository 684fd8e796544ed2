"""The bundled fact set: sourced, quotes literal, and saying what the founding article says."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from bot.store import FactStore
from bot.store.facts_files import bundled_facts_dir

ARTICLE_ID = "britishwire-2025-05-30"
SEED_ARTICLE_SHA256 = "a77db3046b5334f1ece15e3df87a9789a4eb8ca3849cb43ce2bc7abaa090e635"


def test_every_fact_has_a_source_with_https_url(bundled_store: FactStore) -> None:
    for fact in bundled_store.facts(include_retracted=True):
        sources = bundled_store.sources_of(fact)
        assert sources, fact.id
        assert all(s.url.startswith("https://") for s, _ in sources), fact.id


def test_bundled_article_is_the_founding_article() -> None:
    # The founding article (shared/seed/article.txt, outside the repository) is pinned by
    # its SHA-256, so the check runs in a fresh clone too.
    bundled = (bundled_facts_dir() / "documents" / f"{ARTICLE_ID}.txt").read_bytes()
    assert hashlib.sha256(bundled).hexdigest() == SEED_ARTICLE_SHA256


def test_every_article_quote_is_literally_in_the_article(bundled_store: FactStore) -> None:
    article = (bundled_facts_dir() / "documents" / f"{ARTICLE_ID}.txt").read_text()
    quotes = [
        quote
        for fact in bundled_store.facts(include_retracted=True)
        for source, quote in bundled_store.sources_of(fact)
        if source.id == ARTICLE_ID
    ]
    assert len(quotes) >= 12
    for quote in quotes:
        assert quote and quote in article, quote


def rate_on(store: FactStore, importer: str, exporter: str, day: date) -> float | None:
    found = store.valid_on(day, "tariff_rate", importer=importer, exporter=exporter)
    [fact] = [f for f in found if f.all_goods]  # product measures are other layers
    return fact.rate


def test_article_rates_and_their_change_on_14_may_2025(bundled_store: FactStore) -> None:
    change = date(2025, 5, 14)
    assert rate_on(bundled_store, "US", "CN", change - timedelta(days=1)) == 145
    assert rate_on(bundled_store, "US", "CN", change) == 30
    assert rate_on(bundled_store, "CN", "US", change - timedelta(days=1)) == 125
    assert rate_on(bundled_store, "CN", "US", change) == 10


def test_us_30_percent_keeps_its_components(bundled_store: FactStore) -> None:
    found = bundled_store.valid_on(date(2025, 6, 1), "tariff_rate", importer="US", exporter="CN")
    [fact] = [f for f in found if f.all_goods]
    assert sorted(c.rate for c in fact.components) == [10, 20]
    assert sum(c.rate for c in fact.components) == fact.rate


def test_truce_deadline_is_90_days_after_14_may(bundled_store: FactStore) -> None:
    [deadline] = bundled_store.valid_on(date(2025, 6, 1), "deadline", ["US", "CN"])
    assert deadline.due == date(2025, 5, 14) + timedelta(days=90) == date(2025, 8, 12)
    assert "90 days" in (deadline.basis or "")  # says how it was computed


def test_article_events_are_dated_from_its_weekdays(bundled_store: FactStore) -> None:
    cit = bundled_store.require("cit-vos-selections-ruling")
    assert (cit.court, cit.valid_from) == ("CIT", date(2025, 5, 28))
    assert date(2025, 5, 28).strftime("%A") == "Wednesday"
    stalled = bundled_store.require("us-cn-talks-stalled")
    assert (stalled.status, stalled.valid_from) == ("stalled", date(2025, 5, 29))
    assert date(2025, 5, 29).strftime("%A") == "Thursday"


@pytest.mark.parametrize(
    ("kind", "parties", "day", "status"),
    [
        ("negotiation_status", ["US", "CN"], date(2025, 5, 30), "stalled"),
        ("leader_contact", ["US", "CN"], date(2025, 5, 30), "call urged"),
        ("negotiation_status", ["JP"], date(2025, 5, 30), "talks ongoing"),
        ("deal_status", ["US", "CN"], date(2025, 5, 30), "in force"),
    ],
)
def test_article_statuses(bundled_store: FactStore, kind, parties, day, status) -> None:
    statuses = [f.status for f in bundled_store.valid_on(day, kind, parties)]
    assert status in statuses


def test_appeal_stay_and_supreme_court_hope_are_recorded(bundled_store: FactStore) -> None:
    [stay] = [
        f for f in bundled_store.valid_on(date(2025, 5, 30), "court_ruling") if f.status == "stayed"
    ]
    quotes = " ".join(q or "" for _, q in bundled_store.sources_of(stay))
    assert "Supreme Court" in quotes and "appeals" in quotes


def test_the_section_122_surcharge_is_10_and_the_15_was_only_announced(
    bundled_store: FactStore,
) -> None:
    # Issue 13: checked against CBP's guidance and the proclamation, 10% replaced the
    # earlier "10% or 15%"; the announced 15% is its own fact, never in force.
    surcharge = bundled_store.require("us-world-section-122-surcharge")
    assert surcharge.rate == 10 and surcharge.rate_candidates == ()
    assert "15%" in (surcharge.disputed or "") and "implemented it" in surcharge.disputed
    announced = bundled_store.require("us-world-section-122-15-announced")
    assert announced.rate == 15 and announced.status == "announced"
    assert bundled_store.require("us-cn-leaders-call").confidence == "medium"


def test_no_two_measures_of_one_scope_overlap(bundled_store: FactStore) -> None:
    from bot.store.overlap import is_checked, scope_key

    rates = [f for f in bundled_store.facts(kind="tariff_rate") if is_checked(f)]
    for a in rates:
        for b in rates:
            if a.id < b.id and scope_key(a) == scope_key(b):
                a_end = a.valid_to or date.max
                b_end = b.valid_to or date.max
                assert a_end <= b.valid_from or b_end <= a.valid_from, (a.id, b.id)


def test_timeline_high_rows_are_covered(bundled_store: FactStore) -> None:
    """Each high-confidence timeline event has a fact valid from its date."""
    starts = {f.valid_from for f in bundled_store.facts()}
    for day in [
        "2025-04-10",
        "2025-05-10",
        "2025-05-12",
        "2025-05-14",
        "2025-05-28",
        "2025-05-29",
        "2025-05-30",
        "2025-06-10",
        "2025-08-11",
        "2025-08-29",
        "2025-09-09",
        "2025-10-30",
        "2025-11-04",
        "2025-11-05",
        "2025-11-10",
        "2026-02-20",
    ]:
        assert date.fromisoformat(day) in starts, day

"""`FactStore.change`: a change in the world ends a fact and starts its successor, in one
transaction, with both revisions in the history and the change feed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.store import Citation, FactStore, StoreError, ValidationError
from bot.store.succession import linked_revisions, successor_id
from tests.conftest import MOD, rate_fact

DAY = date(2025, 11, 10)


def counts(store: FactStore) -> tuple[int, int]:
    return store.db["facts"].count, store.db["revisions"].count


def test_change_ends_the_fact_and_starts_a_linked_successor(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(valid_to="2026-06-01"), by=MOD, reason="seed")
    ended, successor = fresh_db.change(
        "xx-rate", effective=DAY, rate=15, by=MOD, reason="deal signed"
    )
    assert (ended.valid_from, ended.valid_to, ended.rate) == (date(2025, 4, 3), DAY, 25)
    assert successor.id == "xx-rate-from-2025-11-10"
    assert (successor.valid_from, successor.valid_to) == (DAY, date(2026, 6, 1))
    assert (successor.rate, successor.supersedes, successor.recorded) == (
        15,
        "xx-rate",
        date.today(),
    )
    assert successor.citations == ended.citations  # none given: the old ones
    assert "(from 10 Nov 2025: 15%; was 25%)" in successor.statement
    # The past keeps its value; the future has the new one.
    on = {d: [f.rate for f in fresh_db.valid_on(d, "tariff_rate")] for d in (date(2025, 6, 1), DAY)}
    assert on == {date(2025, 6, 1): [25], DAY: [15]}


def test_both_revisions_are_in_each_history_and_the_change_feed(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    head = fresh_db.feed_head()
    ended, successor = fresh_db.change("xx-rate", effective=DAY, rate=15, by=MOD, reason="deal")
    feed = fresh_db.changes_since(head)
    assert [(c.fact_id, c.action, c.reason) for c in feed] == [  # type: ignore[union-attr]
        ("xx-rate", "update", "deal"),
        (successor.id, "create", "deal"),
    ]
    assert [r.seq for _, r in linked_revisions(fresh_db, ended)] == [feed[1].seq]
    assert [r.seq for _, r in linked_revisions(fresh_db, successor)] == [feed[0].seq]
    assert fresh_db.history("xx-rate")[-1].after["valid_to"] == "2025-11-10"


def test_status_change_keeps_the_rate_and_given_citations_replace_old(
    fresh_db: FactStore,
) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    cite = (Citation("doc-b", "The tariff was raised to 40% today."),)
    _, successor = fresh_db.change(
        "xx-rate", effective=DAY, status="paused", by=MOD, reason="paused", citations=cite
    )
    assert (successor.rate, successor.status, successor.citations) == (25, "paused", cite)
    assert "(from 10 Nov 2025: paused; was in force)" in successor.statement


def test_measure_fields_are_carried_over_and_rate_breakdown_dropped(fresh_db: FactStore) -> None:
    base = fresh_db.parse(
        rate_fact(components=[{"name": "reciprocal", "rate": 10}, {"name": "other", "rate": 15}])
    )
    measure = replace(base, products=("steel",), authority="section-232", instrument="Procl. 1")
    fresh_db.add(measure, by=MOD, reason="seed")
    _, successor = fresh_db.change("xx-rate", effective=DAY, rate=50, by=MOD, reason="raised")
    assert (successor.products, successor.authority, successor.instrument) == (
        ("steel",),
        "section-232",
        "Procl. 1",
    )
    assert successor.components == ()  # the breakdown described the old 25%


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"effective": date(2025, 4, 3), "rate": 15}, "not strictly inside"),
        ({"effective": date(2025, 1, 1), "rate": 15}, "not strictly inside"),
        ({"effective": date(2026, 6, 1), "rate": 15}, "not strictly inside"),
        ({"effective": DAY}, "give the new rate or the new status"),
        ({"effective": DAY, "rate": 25}, "the same as now"),
        ({"effective": DAY, "rate": 2000}, "outside 0–1000"),
        ({"effective": DAY, "rate": 15, "new_id": "taken"}, "'taken' already exists"),
        ({"effective": DAY, "rate": 15, "new_id": "Bad Id"}, "id:"),
    ],
)
def test_refusals_are_one_clear_message_and_write_nothing(
    fresh_db: FactStore, kwargs: dict, message: str
) -> None:
    fresh_db.add(rate_fact(valid_to="2026-06-01"), by=MOD, reason="seed")
    fresh_db.add(
        rate_fact(id="taken", exporter="CN", statement="The US taxes Chinese goods at 25%."),
        by=MOD,
        reason="seed",
    )
    before = counts(fresh_db)
    with pytest.raises(ValidationError) as caught:
        fresh_db.change("xx-rate", by=MOD, reason="a change", **kwargs)
    assert message in str(caught.value)
    assert counts(fresh_db) == before
    assert fresh_db.require("xx-rate").valid_to == date(2026, 6, 1)


def test_rate_on_a_non_tariff_fact_and_a_retracted_fact_are_refused(fresh_db: FactStore) -> None:
    talks = {
        "id": "talks",
        "kind": "negotiation_status",
        "parties": ["US", "JP"],
        "status": "ongoing",
        "statement": "The US and Japan are negotiating.",
        "valid_from": "2025-05-01",
        "recorded": "2025-06-01",
        "citations": [{"source": "src-a"}],
    }
    fresh_db.add(talks, by=MOD, reason="seed")
    with pytest.raises(ValidationError, match="only tariff facts have a rate"):
        fresh_db.change("talks", effective=DAY, rate=10, by=MOD, reason="nonsense")
    _, successor = fresh_db.change("talks", effective=DAY, status="stalled", by=MOD, reason="why")
    assert successor.status == "stalled" and successor.supersedes == "talks"
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fresh_db.retract("xx-rate", by=MOD, reason="duplicate")
    before = counts(fresh_db)
    with pytest.raises(StoreError, match="retracted"):
        fresh_db.change("xx-rate", effective=DAY, rate=10, by=MOD, reason="too late")
    assert counts(fresh_db) == before


def test_successor_ids_are_readable_unique_and_do_not_pile_up_dates() -> None:
    assert successor_id("us-cn", DAY, set()) == "us-cn-from-2025-11-10"
    assert successor_id("us-cn", DAY, {"us-cn-from-2025-11-10"}) == "us-cn-from-2025-11-10-2"
    assert successor_id("us-cn-from-2025-11-10", date(2026, 1, 1), set()) == (
        "us-cn-from-2026-01-01"
    )
    assert len(successor_id("x" * 80, DAY, set())) <= 80


def test_a_change_of_a_change_chains(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    _, second = fresh_db.change("xx-rate", effective=DAY, rate=15, by=MOD, reason="one")
    _, third = fresh_db.change(second.id, effective=date(2026, 1, 1), rate=10, by=MOD, reason="two")
    assert third.id == "xx-rate-from-2026-01-01" and third.supersedes == second.id
    rates = [f.rate for f in fresh_db.facts(kind="tariff_rate")]
    assert rates == [25, 15, 10]

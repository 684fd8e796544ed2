"""A moderator's confirmation names a measure's clauses as the form reads them."""

from __future__ import annotations

from dataclasses import replace

from bot.measure_summary import clause_summary, clause_texts
from tests.conftest import rate_fact


def steel(store):
    return store.parse(
        rate_fact(
            id="steel",
            exporter="WORLD",
            origins=["WORLD"],
            origins_except=["GB"],
            products=["steel", "aluminum"],
            authority="section-232",
            instrument="Proclamation 10947",
            rate=50,
            statement="The US charges 50% on steel and aluminum from everyone but the UK.",
        )
    )


def test_a_new_measure_names_every_clause_it_sets(fresh_db) -> None:
    assert clause_summary(None, steel(fresh_db)) == (
        "products: steel, aluminum; origins: all except GB; authority: section-232; "
        "instrument: Proclamation 10947"
    )


def test_an_edit_names_only_what_changed(fresh_db) -> None:
    before = steel(fresh_db)
    after = replace(before, rate_kind="floor", instrument=None, products=("steel",))
    assert clause_summary(before, after) == (
        "products: steel, aluminum → steel; rate kind: — → floor; "
        "instrument: Proclamation 10947 → —"
    )
    assert clause_summary(before, replace(before, rate=25)) == ""


def test_an_all_goods_fact_of_old_says_nothing(fresh_db) -> None:
    fact = fresh_db.parse(rate_fact())
    assert clause_summary(None, fact) == ""
    assert set(clause_texts(fact)) >= {"products", "origins", "authority", "rate kind"}


def test_event_attributes_are_clauses_too(fresh_db) -> None:
    talks = fresh_db.parse(
        {
            "id": "talks",
            "kind": "negotiation_status",
            "parties": ["US", "CN"],
            "status": "ongoing",
            "statement": "US and Chinese negotiators met in Geneva.",
            "valid_from": "2025-05-10",
            "recorded": "2025-06-01",
            "citations": [{"source": "src-a"}],
            "attributes": {"place": "Geneva", "participants": ["Scott Bessent", "He Lifeng"]},
        }
    )
    assert clause_summary(None, talks) == "place: Geneva; participants: Scott Bessent, He Lifeng"

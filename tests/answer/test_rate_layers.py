"""Tariff answers with layers: a product's own duties, a bloc's measure, the total the
stacking rules give, measures not in force, and the "also:" line of a country answer.
Each test builds its own small set of measures."""

from __future__ import annotations

from datetime import date

import pytest

from bot.service import Assistant
from tests.conftest import MOD, rate_fact

JUNE = date(2025, 6, 10)


def seed(store, *facts: dict) -> Assistant:
    for raw in facts:
        store.add(raw, by=MOD, reason="seed")
    return Assistant(store)


CN_ALL_GOODS = rate_fact(
    id="cn-30",
    exporter="CN",
    rate=30,
    statement="US tariffs on Chinese goods are 30%.",
    valid_from="2025-05-14",
    valid_to="2025-11-10",
    components=[
        {"name": "reciprocal tariff (IEEPA)", "rate": 10},
        {"name": "fentanyl-related duty (IEEPA)", "rate": 20},
    ],
)
STEEL_WORLD = rate_fact(
    id="steel-50",
    exporter="WORLD",
    origins=["WORLD"],
    origins_except=["GB"],
    products=["steel", "aluminum"],
    authority="section-232",
    instrument="Proclamation 10947",
    rate=50,
    statement="Steel and aluminum from every partner but the UK pay 50%.",
    valid_from="2025-06-04",
)


@pytest.fixture
def china(fresh_db) -> Assistant:
    return seed(fresh_db, CN_ALL_GOODS, STEEL_WORLD)


def test_a_product_with_its_own_measure_gets_every_layer_and_the_stacked_total(china) -> None:
    answer = china.ask("US tariff on Chinese steel on 10 June 2025?", JUNE)
    text = answer.text
    assert answer.outcome == "answer"
    assert "Section 232 (steel and aluminum): 50% on the steel content" in text
    assert "Proclamation 10947" in text
    assert "20%" in text and "fentanyl" in text  # the fentanyl duty adds
    # the reciprocal tariff is charged on the rest of the value only (rule from 4 Jun 2025)
    assert "10% on the rest" in text
    assert "normal (MFN) duty, which I don't track" in text
    assert "(all goods)" not in text and "I have no record of one" not in text
    assert {"cn-30", "steel-50"} <= set(answer.facts)
    # the stacking rule is cited with its own source
    assert any(s.id == "stacking:metals-share-reciprocal" for s in answer.sources)


def test_layers_in_json_carry_authority_rate_scope_dates_and_instrument(china) -> None:
    data = china.ask("US tariff on Chinese steel on 10 June 2025?", JUNE).to_json()
    by_fact = {(layer["fact"], layer["name"]): layer for layer in data["layers"]}
    steel = by_fact[("steel-50", None)]
    assert steel["authority"] == "section-232" and steel["rate"] == 50
    assert steel["products"] == ["steel", "aluminum"] and steel["origins"] == ["WORLD"]
    assert steel["origins_except"] == ["GB"] and steel["instrument"] == "Proclamation 10947"
    assert steel["valid_from"] == "2025-06-04" and steel["valid_to"] is None
    fentanyl = by_fact[("cn-30", "fentanyl-related duty (IEEPA)")]
    assert fentanyl["authority"] == "ieepa-fentanyl" and fentanyl["rate_kind"] == "additional"
    assert [r["rule"] for r in data["stacking"]]
    assert all(r["url"] and r["quote"] for r in data["stacking"])


def test_before_the_product_measure_began_the_product_gets_the_caveat(china) -> None:
    answer = china.ask("US tariff on Chinese steel on 20 May 2025?", JUNE)
    assert "steel-50" not in answer.facts
    assert "(all goods)" in answer.text and "I have no record of one" in answer.text


def test_a_product_without_a_measure_is_never_given_the_all_goods_total_as_its_rate(
    china,
) -> None:
    answer = china.ask("US tariff on Chinese smartphones on 10 June 2025?", JUNE)
    assert "steel-50" not in answer.facts  # another product's measure never answers
    assert "(all goods)" in answer.text
    assert "Product-specific duties" in answer.text


def test_a_country_question_leads_with_all_goods_and_lists_product_measures(china) -> None:
    answer = china.ask("US tariff on Chinese goods on 10 June 2025?", JUNE)
    lines = answer.text.splitlines()
    assert lines[0].startswith("US tariffs on Chinese goods: 30%")
    assert any(
        line.startswith("Also:") and "steel and aluminum 50% (Section 232)" in line
        for line in lines
    )


def test_a_party_left_out_of_a_world_measure_does_not_get_it(fresh_db) -> None:
    bot = seed(fresh_db, STEEL_WORLD)
    answer = bot.ask("US tariff on British steel on 10 June 2025?", JUNE)
    assert "50%" not in answer.text and "steel-50" not in answer.facts


def test_a_bloc_measure_answers_for_a_member_state(fresh_db) -> None:
    eu = rate_fact(
        id="eu-15",
        exporter="EU",
        origins=["EU"],
        authority="ieepa-reciprocal",
        rate_kind="floor",
        rate=15,
        statement="EU goods pay the higher of the normal duty or 15%.",
        valid_from="2025-08-07",
    )
    bot = seed(fresh_db, eu)
    answer = bot.ask("US tariff on German goods on 1 September 2025?", JUNE)
    assert answer.outcome == "answer" and "eu-15" in answer.facts
    assert "higher of the normal (MFN) duty or 15%" in answer.text


def test_a_measure_not_in_force_is_named_as_such_and_not_counted(fresh_db) -> None:
    announced = rate_fact(
        id="pharma-100",
        exporter="WORLD",
        origins=["WORLD"],
        products=["pharmaceuticals"],
        authority="section-232",
        status="announced",
        rate=100,
        statement="A 100% duty on branded drugs was announced.",
        valid_from="2025-10-01",
    )
    bot = seed(fresh_db, rate_fact(id="jp-15", rate=15, valid_from="2025-08-07"), announced)
    answer = bot.ask("US tariff on Japanese pharmaceuticals on 2 October 2025?", JUNE)
    text = answer.text
    assert "Announced, not in force" in text and "100%" in text
    assert "Total additional duty: 15%" in text  # the announced 100% is not added


def test_a_steel_duty_does_not_become_a_change_of_the_country_rate(fresh_db) -> None:
    bot = seed(
        fresh_db,
        rate_fact(id="ca-25", exporter="CA", rate=25, valid_from="2025-03-04"),
        rate_fact(
            id="ca-steel",
            exporter="CA",
            products=["steel"],
            authority="section-232",
            rate=50,
            valid_from="2025-06-04",
        ),
    )
    answer = bot.ask("How did the US tariff on Canadian goods change?", date(2025, 7, 1))
    assert "were 25% on 1 Jul 2025" in answer.text
    assert "50%" not in answer.text and "ca-steel" not in answer.facts
    steel = bot.ask("What is the US tariff on Canadian steel?", date(2025, 7, 1)).text
    assert "Section 232 (steel): 50%" in steel and "tariff on all goods: 25%" in steel


def test_a_change_question_about_a_measured_product_gets_its_layers(china) -> None:
    answer = china.ask("How did the US tariff on Chinese steel change?", JUNE)
    assert "Section 232 (steel and aluminum): 50%" in answer.text
    assert "I have no record of one" not in answer.text


def test_a_change_question_about_an_unmeasured_product_is_labelled_all_goods(china) -> None:
    answer = china.ask("How did the US tariff on Chinese smartphones change?", JUNE)
    assert "(all goods)" in answer.text and "Product-specific duties" in answer.text

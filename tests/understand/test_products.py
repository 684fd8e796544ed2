"""The product a question names is recorded on its Understanding, in any language read;
named beside a tariff word ("copper 232?") it is evidence of a tariff question."""

from __future__ import annotations

from datetime import date

import pytest

DAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("question", "product"),
    [
        ("What is the US tariff on Chinese steel?", "steel"),
        ("China's tariff on US soybeans?", "soybeans"),
        ("US tariff on Chinese EVs right now", "electric-vehicles"),
        ("US tariff on Chinese chips", "semiconductors"),
        ("¿Cuál es el arancel de EE.UU. sobre el acero chino?", "steel"),
        ("Wie hoch ist der US-Zoll auf chinesischen Stahl?", "steel"),
        ("Qual é a tarifa dos EUA sobre aço chinês?", "steel"),
        ("Quel est le droit de douane américain sur l'acier chinois ?", "steel"),
        ("美国对中国钢铁的关税是多少？", "steel"),
    ],
)
def test_a_named_product_is_recorded_and_the_question_is_still_a_tariff_question(
    assistant, question, product
) -> None:
    understood = assistant.understand(question, DAY)
    assert understood.intent == "tariff_rate"
    assert understood.product == product


def test_the_product_changes_neither_intent_nor_direction(assistant) -> None:
    with_product = assistant.understand("US tariff on Chinese steel on 1 June 2025", DAY)
    without = assistant.understand("US tariff on Chinese goods on 1 June 2025", DAY)
    assert with_product.product == "steel" and without.product is None
    assert (with_product.intent, with_product.direction) == (without.intent, without.direction)


def test_potato_chips_stay_out_of_scope_and_name_no_product(assistant) -> None:
    understood = assistant.understand("what's the best potato chips brand?", DAY)
    assert understood.intent is None and understood.product is None


def test_parts_of_a_deal_are_not_auto_parts(assistant) -> None:
    understood = assistant.understand("which parts of the deal with Japan are done?", DAY)
    assert understood.intent == "deals" and understood.product is None


def test_a_question_naming_no_product_has_none(assistant) -> None:
    assert assistant.understand("US tariffs on Chinese goods?", DAY).product is None


@pytest.mark.parametrize(
    "question",
    [
        "When did the copper 232 start?",
        "What's the Section 232 rate on softwood lumber?",
        "Are bananas from Ecuador tariffed?",
        "Kitchen cabinets from Vietnam — what Section 232 rate applies?",
    ],
)
def test_a_product_named_with_a_tariff_word_is_a_tariff_question(assistant, question) -> None:
    u = assistant.understand(question, date(2025, 10, 20))
    assert u.intent == "tariff_rate" and u.product is not None


def test_a_product_question_naming_no_country_gets_every_origins_duties(assistant) -> None:
    a = assistant.ask("When did the copper 232 start?", date(2025, 10, 20))
    assert "copper from all trading partners" in a.text and "50%" in a.text
    parts = assistant.ask("auto parts 232 start date?", date(2025, 10, 20))
    assert "Section 232 (auto parts): 25%" in parts.text and "(cars): 25%" not in parts.text

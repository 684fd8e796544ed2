"""A tariff answer to a question naming a product gives the all-goods rate labelled as
such, with one line saying product-specific duties may apply: never as the product's rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from bot.answer.compose import load_templates
from bot.answer.products import ProductNote
from bot.service import Assistant
from tests.conftest import MOD, rate_fact

CAVEAT_US = (
    "Product-specific duties (e.g. Section 232 or Section 301) may also apply to steel; "
    "I have no record of one."
)


@pytest.fixture
def small(fresh_db) -> Assistant:
    """US tariffs on Chinese goods 30% from 14 May 2025; China's on US goods 10%."""
    fresh_db.add(
        rate_fact(
            id="us-cn",
            exporter="CN",
            rate=30,
            statement="The US applies a 30% tariff on Chinese goods.",
            valid_from="2025-05-14",
        ),
        by=MOD,
        reason="seed",
    )
    fresh_db.add(
        rate_fact(
            id="cn-us",
            importer="CN",
            exporter="US",
            rate=10,
            statement="China applies a 10% tariff on US goods.",
            valid_from="2025-05-14",
        ),
        by=MOD,
        reason="seed",
    )
    return Assistant(fresh_db)


def ask(assistant: Assistant, question: str):
    return assistant.ask(question, date(2025, 7, 1))


def test_a_named_product_gets_the_all_goods_label_and_the_caveat(small) -> None:
    answer = ask(small, "US tariff on Chinese steel on 1 June 2025")
    assert answer.outcome == "answer" and answer.facts == ["us-cn"]
    assert answer.lines[0].startswith("US tariffs on Chinese goods (all goods): 30%")
    assert CAVEAT_US in answer.lines
    assert answer.to_json()["product"] == "steel"


def test_the_caveat_adds_no_number(small) -> None:
    answer = ask(small, "US tariff on Chinese steel on 1 June 2025")
    assert re.findall(r"\d+(?:\.\d+)?%", "\n".join(answer.lines)) == ["30%"]


def test_chinas_tariffs_get_the_retaliation_caveat(small) -> None:
    answer = ask(small, "China's tariff on US soybeans?")
    assert "China's tariffs on American goods (all goods): 10%" in answer.text
    assert (
        "Product-specific retaliatory duties may also apply to soybeans; I have no record of one."
        in answer.lines
    )
    assert "Section 232" not in answer.text


def test_a_question_with_no_product_has_no_caveat_or_label(small) -> None:
    answer = ask(small, "US tariff on Chinese goods on 1 June 2025")
    assert answer.outcome == "answer" and "30%" in answer.text
    assert "Product-specific" not in answer.text and "(all goods)" not in answer.text
    assert answer.to_json()["product"] is None


def test_no_record_answers_stay_as_they_were(small) -> None:
    with_product = ask(small, "UK tariff on Chinese steel?")
    without = ask(small, "UK tariff on Chinese goods?")
    assert with_product.outcome == without.outcome == "no_record"
    assert with_product.text == without.text
    assert "Product-specific" not in with_product.text


@dataclass(frozen=True)
class _ScopedFact:
    """A fact with a product scope, as a later issue will record them."""

    importer: str
    products: tuple[str, ...]


def test_a_fact_scoped_to_the_product_is_preferred_and_needs_no_caveat() -> None:
    note = ProductNote.for_question("electric-vehicles", load_templates())
    all_goods = _ScopedFact("US", ())
    autos, steel = _ScopedFact("US", ("autos",)), _ScopedFact("US", ("steel",))
    assert note.prefer([all_goods, steel, autos]) == [autos]  # EVs are autos
    assert note.prefer([all_goods, steel]) == [all_goods]  # never another product's rate
    assert note.subject("US tariffs on Chinese goods", autos) == "US tariffs on Chinese goods"
    assert note.caveats([autos]) == []
    assert note.caveats([all_goods]) and "electric vehicles" in note.caveats([all_goods])[0]


def test_no_product_no_note() -> None:
    note = ProductNote.for_question(None, load_templates())
    fact = _ScopedFact("US", ())
    assert note.subject("X", fact) == "X" and note.caveats([fact]) == []

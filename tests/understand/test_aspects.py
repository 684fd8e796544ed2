"""How a question asks (Query.aspect), read from bot/data/aspects.toml."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bot import datafiles
from bot.understand.aspects import AspectsError, parse_aspects

DAY = date(2025, 10, 1)


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("What is the US tariff on Chinese goods?", "value"),
        ("When did CBP stop collecting IEEPA duties?", "when"),
        ("auto parts 232 start date?", "when"),
        ("What's the lumber rate, and when did it start?", "when"),
        ("Where did the two sides meet in May?", "where"),
        ("who dissented?", "who"),
        ("Fact-check: who wrote the majority opinion?", "who"),
        ("Which executive order set the 10% baseline?", "which"),
        ("Why did the London talks stall?", "why"),
        ("How many justices dissented?", "how_many"),
        ("is the 145% still in force?", "yes_no"),
        ("Since April 2026, is the steel 232 still charged on the metal content?", "yes_no"),
        ("Broker here: how long did the first truce rate stay in force?", "duration"),
        ("was the Stockholm round before or after Madrid?", "sequence"),
        ("walk me through this year's rate changes", "timeline"),
        ("is China's rate higher than the US one?", "compare"),
        ("Gilt der Zoll noch?", "yes_no"),
    ],
)
def test_the_aspect_is_read_from_the_asking_part(assistant, question: str, aspect: str) -> None:
    assert assistant.understand(question, DAY).query.aspect == aspect


def test_a_rule_with_an_unknown_aspect_or_no_phrases_is_refused() -> None:
    data = tomllib.loads(datafiles.read_text("aspects.toml"))
    bad = {**data, "aspects": [{"name": "whenever", "starts": ["when"]}]}
    with pytest.raises(AspectsError, match="whenever"):
        parse_aspects(bad)
    with pytest.raises(AspectsError, match="needs `starts` or `contains`"):
        parse_aspects({**data, "aspects": [{"name": "when"}]})

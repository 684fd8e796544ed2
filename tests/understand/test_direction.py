"""Who taxes whom, on paraphrases that were not used to write the rules."""

from datetime import date

import pytest

DAY = date(2025, 6, 10)


@pytest.mark.parametrize(
    ("question", "importer", "exporter"),
    [
        ("How big is the American tariff on goods made in China?", "US", "CN"),
        ("the duty Washington levies on Chinese products", "US", "CN"),
        ("What does the US government charge on imports from the PRC?", "US", "CN"),
        ("tariff America puts on Chinese stuff", "US", "CN"),
        ("China's tariffs on US products", "CN", "US"),
        ("the levy China applies to goods shipped from the US", "CN", "US"),
        ("What are Beijing's duties on American exports?", "CN", "US"),
        ("How much does the PRC tax US-made goods?", "CN", "US"),
        ("tariffs imposed by China on american soybeans", "CN", "US"),
        ("what import tax do chinese customs put on goods from america", "CN", "US"),
        ("how much duty on goods going from China to the US", "US", "CN"),
        ("did China raise its retaliatory tariffs", "CN", None),
        ("give me the numbers for US duties on Chinese-made parts", "US", "CN"),
        ("news on Beijing's tariffs against American soybeans?", "CN", "US"),
        ("how big a cut has China made to its levies on US goods", "CN", "US"),
        # The party that retaliates levies; a country's buyers pay its tariffs; a
        # country's exporters pay the other's.
        ("PRC retaliation tariffs on america, how high", "CN", "US"),
        ("japan retaliatory duty level", "JP", None),
        ("what do american buyers of chinese furniture pay in tariffs", "US", "CN"),
        ("I'm a Chinese exporter: what does the US charge me", "US", "CN"),
        ("retaliation duties china vs american goods", "CN", "US"),
        ("US duty on furniture from Fujian", "US", "CN"),  # a province, not Fiji
        ("rate lookup: exporter JP, importer US", "US", "JP"),
        ("what does Japan apply to US-origin cars?", "JP", "US"),
        # Product names are goods; where goods arrive levies; a demonym after the goods
        # (Romance word order) names their origin; Japanese particles follow their noun.
        ("What reciprocal tariff are South African wines paying at the US border?", "US", "ZA"),
        ("O café brasileiro ainda paga a sobretaxa para entrar nos EUA?", "US", "BR"),
        ("A cortiça portuguesa exportada para os EUA paga a tarifa?", "US", "PT"),
        ("日本から米国に輸入される商品の関税は?", "US", "JP"),
        ("台灣出口到美國的商品關稅是多少?", "US", "TW"),
    ],
)
def test_direction(assistant, question: str, importer: str, exporter: str | None) -> None:
    u = assistant.understand(question, DAY)
    assert (u.direction.importer, u.direction.exporter) == (importer, exporter), u.words
    assert not u.direction.both_ways


@pytest.mark.parametrize(
    "question",
    ["us china tariffs", "tariffs between China and the US", "America vs China tariff war numbers"],
)
def test_two_parties_without_direction_read_both_ways(assistant, question: str) -> None:
    u = assistant.understand(question, DAY)
    assert u.direction.both_ways and {u.direction.importer, u.direction.exporter} == {"US", "CN"}


def test_lone_country_reads_as_exporter(assistant) -> None:
    u = assistant.understand("what is the tariff on japan", DAY)
    assert (u.direction.importer, u.direction.exporter) == (None, "JP")

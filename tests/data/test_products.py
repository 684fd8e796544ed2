"""Validation of the product groups data file (bot/data/products.toml)."""

from __future__ import annotations

import pytest

from bot.products import HS_CODE, ProductsError, fold, load_products, parse_products
from bot.vocabulary import load_vocabulary

REQUIRED = {
    "steel", "aluminum", "copper", "autos", "auto-parts", "trucks", "lumber", "furniture",
    "semiconductors", "pharmaceuticals", "electric-vehicles", "solar", "batteries",
    "electronics", "soybeans", "lng",
}  # fmt: skip


def test_required_groups_are_present_with_label_synonyms_and_hs_codes() -> None:
    groups = load_products().groups
    assert set(groups) >= REQUIRED
    for group in groups.values():
        assert group.label.strip() and group.synonyms, group.name
        assert group.hs and all(HS_CODE.match(code) for code in group.hs), group.name


def test_broader_groups_exist() -> None:
    groups = load_products().groups
    assert groups["electric-vehicles"].broader == "autos"
    assert all(g.broader in groups for g in groups.values() if g.broader)


def test_no_synonym_is_shared_by_two_groups() -> None:
    owner: dict[str, str] = {}
    for group in load_products().groups.values():
        for synonym in group.synonyms:
            assert owner.setdefault(fold(synonym), group.name) == group.name, synonym


def test_no_synonym_is_a_country_or_entity_name() -> None:
    vocab = load_vocabulary()
    names = set()
    for table in (vocab.parties, vocab.courts, vocab.officials):
        for entity in table.values():
            for name in (entity.code, entity.name, *entity.aliases, *entity.demonyms):
                names.add(fold(name))
            names.update(fold(c) for c in entity.capitals)
    for group in load_products().groups.values():
        clash = {fold(s) for s in group.synonyms} & names
        assert not clash, (group.name, clash)


def test_every_group_has_words_in_other_languages() -> None:
    """The bot reads es, pt, fr, de, it, id, zh, ja: the required groups name their goods
    in some of them, Chinese or Japanese script included."""
    for name in REQUIRED:
        synonyms = load_products().groups[name].synonyms
        assert any(not s.isascii() for s in synonyms), name
        assert len(synonyms) >= 4, name


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([{"name": "Steel!", "label": "s", "synonyms": ["s"], "hs": ["72"]}], "group name"),
        ([{"name": "steel", "synonyms": ["steel"], "hs": ["72"]}], "label"),
        ([{"name": "steel", "label": "steel", "synonyms": ["steel"], "hs": ["7"]}], "HS code"),
        ([{"name": "steel", "label": "steel", "synonyms": [], "hs": ["72"]}], "synonyms"),
        (
            [
                {"name": "a", "label": "a", "synonyms": ["chips"], "hs": ["85"]},
                {"name": "b", "label": "b", "synonyms": ["Chips"], "hs": ["19"]},
            ],
            "in both",
        ),
        (
            [{"name": "ev", "label": "ev", "synonyms": ["ev"], "hs": ["87"], "broader": "x"}],
            "broader",
        ),
    ],
)
def test_bad_groups_are_rejected_with_a_clear_message(groups, message) -> None:
    with pytest.raises(ProductsError, match=message):
        parse_products({"groups": groups})


@pytest.mark.parametrize(
    ("question", "group"),
    [
        ("US tariff on Chinese steel?", "steel"),
        ("tariff on Chinese EVs", "electric-vehicles"),
        ("US tariff on Chinese electric vehicles", "electric-vehicles"),  # not "vehicles"
        ("tariffs on lithium-ion batteries", "batteries"),
        ("China's tariff on US LNG", "lng"),
        ("tariffs on car parts from Mexico", "auto-parts"),
        ("arancel al acero", "steel"),
        ("Zölle auf Stahl", "steel"),
        ("droits de douane sur les véhicules électriques", "electric-vehicles"),
        ("美国对中国电动汽车的关税", "electric-vehicles"),  # not 汽车 (cars)
        ("中国对美国大豆的关税", "soybeans"),
    ],
)
def test_synonyms_are_found_longest_first(question, group) -> None:
    assert load_products().find(question) == group


@pytest.mark.parametrize(
    "question",
    [
        "is there a tariff on potato chips",
        "what are the parts of the deal",
        "Trump phoned Xi: what did they discuss on the phone call",
        "the Nippon Steel and US Steel deal",
        "solar feed-in tariff in Australia",
        "the fentanyl tariff on drugs",
        "soy un importador, cuánto es el arancel",  # "soy" = "I am"
        "Trump's cabinet on tariffs",
    ],
)
def test_other_meanings_name_no_product(question) -> None:
    assert load_products().find(question) is None

import pytest

from bot.understand.entities import EntityIndex
from bot.understand.text import normalise
from bot.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    return EntityIndex(load_vocabulary(), extra_words={"tariff", "tariffs", "negotiations"})


def codes(index: EntityIndex, text: str) -> list[str]:
    words = index.correct(normalise(text).split())
    return [m.code for m in index.find(words)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the People's Republic of China", ["CN"]),
        ("PRC exporters", ["CN"]),
        ("what do the Chinese pay", ["CN"]),
        ("Beijing retaliated", ["CN"]),
        ("U.S.A. and the States", ["US", "US"]),
        ("Uncle Sam's levy", ["US"]),
        ("Tokyo and Seoul", ["JP", "KR"]),
        ("the European Union", ["EU"]),
        ("the UK and Türkiye", ["GB", "TR"]),
        ("Viet Nam exports", ["VN"]),
        ("Court of International Trade", ["CIT"]),
        ("the appeals court", ["CAFC"]),
        ("the justices", ["SCOTUS"]),
        ("Xi Jinping and Donald Trump", ["xi", "trump"]),
    ],
)
def test_aliases_demonyms_capitals(index: EntityIndex, text: str, expected: list[str]) -> None:
    assert codes(index, text) == expected


@pytest.mark.parametrize(
    ("typo", "code"),
    [
        ("chna", "CN"),
        ("chinna", "CN"),
        ("japn", "JP"),
        ("amercia", "US"),
        ("mexcio", "MX"),
        ("austrlia", "AU"),
        ("vietnm", "VN"),
        ("germny", "DE"),
        ("brazl", "BR"),
    ],
)
def test_typos_of_longer_names_are_tolerated(index: EntityIndex, typo: str, code: str) -> None:
    assert codes(index, f"tariff on {typo}") == [code]


@pytest.mark.parametrize(
    "text",
    [
        "I had a question",
        "that is too much",
        "cost per unit",
        "my child",
        "can you help",
        "the man said",
        "is it legal",
        "turkey dinner recipes",
        "a china cabinet",
        "chinatown restaurants",
        "american express card",
        "bank of america fees",
        "new mexico weather",
        "the dance",
        "cold turkey",
    ],
)
def test_ordinary_words_never_become_countries(index: EntityIndex, text: str) -> None:
    assert codes(index, text) == []


def test_us_pronoun_versus_country(index: EntityIndex) -> None:
    assert codes(index, "can you tell us the rate") == []
    assert codes(index, "is this bad for us") == []
    assert codes(index, "us tariffs on china") == ["US", "CN"]
    assert codes(index, "tariffs for us goods") == ["US"]
    assert codes(index, "between the us and japan") == ["US", "JP"]

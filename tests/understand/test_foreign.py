"""Common non-English trade words are read as English before matching."""

from datetime import date

import pytest

from bot.understand.foreign import ForeignWordsError, load_foreign_words, parse_foreign_words

DAY = date(2025, 7, 1)


@pytest.mark.parametrize(
    ("question", "intent", "importer", "exporter"),
    [
        (
            "¿cuál es el arancel de Estados Unidos para bienes chinos hoy?",
            "tariff_rate",
            "US",
            "CN",
        ),
        ("quanto sono i dazi USA sui prodotti cinesi?", "tariff_rate", "US", "CN"),
        ("¿cuándo termina la tregua entre EEUU y China?", "truce", None, None),
        ("美国 对 中国 商品 的 关税 是 多少?", "tariff_rate", "US", "CN"),
        ("Quand se termine la trêve entre la Chine et les États-Unis ?", "truce", None, None),
        ("Wann endet der Waffenstillstand im Handel zwischen USA und China?", "truce", None, None),
        ("アメリカの中国製品への関税はいくらですか", "tariff_rate", "US", "CN"),
        (
            "Importamos de China: ¿cuánto arancel pagamos en Estados Unidos?",
            "tariff_rate",
            "US",
            "CN",
        ),
        ("¿Qué fuentes usas para tus datos?", "sources", None, None),
        (
            "¿Cuál es el arancel de China sobre los productos de Estados Unidos?",
            "tariff_rate",
            "CN",
            "US",
        ),
        ("Qual é a tarifa da China sobre produtos dos EUA?", "tariff_rate", "CN", "US"),
        # "imports into" the US: the US levies (a measure on every origin)
        (
            "La surtaxe de la section 122 s'applique-t-elle aux importations aux États-Unis ?",
            "tariff_rate",
            "US",
            "WORLD",
        ),
    ],
)
def test_mixed_language_questions(assistant, question, intent, importer, exporter) -> None:
    u = assistant.understand(question, DAY)
    assert u.intent == intent, (u.matchable, u.candidates)
    if importer:
        assert (u.direction.importer, u.direction.exporter) == (importer, exporter)


def test_english_is_left_alone() -> None:
    words = load_foreign_words()
    # "la" (Los Angeles), "son" and "a" are English too: never translated.
    text = "my son ships furniture to la from a supplier"
    assert words.translate(text) == text


def test_dates_in_spanish_and_portuguese(assistant) -> None:
    # "de" joins a date's parts; the month names are read as English ones.
    u = assistant.understand("¿cuál era el arancel de EEUU a China el 3 de junio de 2025?", DAY)
    assert [(d.start, d.end) for d in u.dates] == [(date(2025, 6, 3), date(2025, 6, 3))]
    u = assistant.understand("tarifa dos EUA sobre a China em maio de 2025", DAY)
    assert [(d.start, d.end) for d in u.dates] == [(date(2025, 5, 1), date(2025, 5, 31))]


def test_unknown_languages_stay_out_of_scope(assistant) -> None:
    assert assistant.understand("wie wird das Wetter morgen in Berlin?", DAY).intent is None


def test_foreign_word_file_is_validated() -> None:
    with pytest.raises(ForeignWordsError, match="one word"):
        parse_foreign_words({"words": {"two words": "x"}})
    with pytest.raises(ForeignWordsError, match="maps words"):
        parse_foreign_words({"phrases": {"x": 3}})


def test_foreign_words_do_not_shadow_english_ones() -> None:
    # A word that is also English is translated everywhere; only these are, and their
    # English sense agrees ("tribunal" is a court, "reunion" a meeting) or they are only
    # dropped ("bhai", brother, as a form of address).
    from importlib import resources

    common = set(resources.files("bot.data").joinpath("common_words.txt").read_text().split())
    shadowing = {w for w in load_foreign_words().words if w in common}
    assert shadowing <= {"tribunal", "reunion", "para", "hola", "bhai"}

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

"""bot/data/watch.toml is valid, and a wrong file is one line naming the key."""

from __future__ import annotations

import pytest

from bot import datafiles
from bot.feeds.watch import TYPE_CODES, WatchConfigError, load_config, parse_config

PACKAGED = datafiles.read_text("watch.toml")


def test_the_packaged_file_is_valid_and_watches_the_tariff_agencies() -> None:
    config = parse_config(PACKAGED)
    for slug in (
        "trade-representative-office-of-united-states",
        "u-s-customs-and-border-protection",
        "industry-and-security-bureau",
        "executive-office-of-the-president",
    ):
        assert slug in config.query.agencies and slug in config.rules.agencies
    assert set(config.query.types) == set(TYPE_CODES)
    assert {"section 232", "section 301", "ieepa", "htsus", "9903"} <= set(config.rules.terms)
    assert "administrative review" in config.rules.exclude_terms
    assert load_config() == config


def test_the_query_asks_for_types_by_code_newest_first() -> None:
    params = parse_config(PACKAGED).query.params("2025-04-01")
    assert ("conditions[publication_date][gte]", "2025-04-01") in params
    assert ("conditions[type][]", "PRESDOCU") in params and ("order", "newest") in params
    assert ("fields[]", "document_number") in params and ("fields[]", "agencies") in params
    assert not any(key == "conditions[term]" for key, _ in params)  # empty term: not sent


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("per_page = 100", "per_page = 0", "query.per_page must be a whole number 1…1000"),
        ('url = "https://', 'url = "http://', "query.url must be an https:// address"),
        ('"tariff", "tariffs",', '"Tariff", "tariffs",', "relevance.terms must be a non-empty"),
        (
            '"commerce-department",\n  "industry',
            '"commerce dept",\n  "industry',
            "not an agency slug",
        ),
        ('types = ["Presidential', 'types = ["Memo", "Presidential', "'Memo' is not one of"),
        ("lookback_days = 30", "lookback_days = 30\nfoo = 1", "[query] has unknown key(s) foo"),
        ('"scope ruling",', '"scope ruling", "tariff",', "in both relevance.terms and exclude"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_key(old: str, new: str, message: str) -> None:
    assert old in PACKAGED
    with pytest.raises(WatchConfigError) as caught:
        parse_config(PACKAGED.replace(old, new, 1))
    text = str(caught.value)
    assert text.startswith("watch.toml: ") and message in text and "\n" not in text


def test_a_file_that_is_not_toml_says_so() -> None:
    with pytest.raises(WatchConfigError, match="not valid TOML"):
        parse_config("[query\n")

"""Source links that are what they look like, no future sources, rates to 4 decimals."""

from __future__ import annotations

from datetime import date

import pytest

from bot.store import FactStore, ValidationError
from bot.store.source_rules import parse_source
from tests.conftest import rate_fact

TODAY = date(2025, 7, 1)


def source(url: str, published: str = "2025-06-01") -> dict[str, str]:
    return {
        "id": "src-new",
        "url": url,
        "title": "A title",
        "publisher": "A publisher",
        "published": published,
    }


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://www.ustr.gov/x", "not an https:// link"),
        ("https://www.ustr.gov@evil.example/x", "user@ part"),
        ("https://user:pw@ustr.gov/x", "user@ part"),
        ("https://www.ustr.gov\\@evil.example/x", "backslash"),
        ("https://www.ustr.gov/a\u200bb", "invisible or control"),
        ("https://www.ustr.gov/\u202eabc", "invisible or control"),
        ("https://www.ustr.gov/\u2066x", "invisible or control"),
        ("https://www.ustr.gov/\ufeffx", "invisible or control"),
        ("https://www.ustr.gov/\x07x", "invisible or control"),
        ("https://www.ustr.gov/a\tb", "invisible or control"),
        ("https://ustr.gov/a\nb", "invisible or control"),
        ("https://ustr.gоv/x", "non-ASCII host"),  # Cyrillic о
        ("https://ustr.gov/page_(1)", "percent-encode them \\(\\( as %28, \\) as %29\\)"),
        ("https://ustr.gov/<script>", "%3C"),
        ("https://ustr.gov/x[1]", "%5B"),
        ("https://[::1]/x", "raw brackets"),
        ("https://ustr.gov:99999/x", "invalid port"),
        ("https://localhost/x", "valid host name"),
        ("https:///path-only", "not an https:// link"),
    ],
)
def test_deceptive_or_broken_links_are_refused(url: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as err:
        parse_source(source(url), today=TODAY)
    [error] = err.value.errors
    assert error.field == "url" and "\n" not in str(error)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ustr.gov/about-us/policy-offices/press-office",
        "https://xn--bcher-kva.example/page",  # punycode host
        "https://ustr.gov/page_%281%29?q=a&b=c#frag",
        "https://ustr.gov:8443/x",
        "https://ustr.gov/caf\u00e9",  # a non-ASCII path is not a host
    ],
)
def test_plain_https_links_are_kept_as_given(url: str) -> None:
    assert parse_source(source(url), today=TODAY).url == url


def test_a_source_published_after_today_is_refused() -> None:
    with pytest.raises(ValidationError, match="published: 2025-07-02 is after today"):
        parse_source(source("https://ustr.gov/x", "2025-07-02"), today=TODAY)
    assert parse_source(source("https://ustr.gov/x", "2025-07-01"), today=TODAY)


def test_default_today_is_the_real_date() -> None:
    with pytest.raises(ValidationError, match="after today"):
        parse_source(source("https://ustr.gov/x", "2100-01-01"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rate": 1e-320}, "rate"),
        ({"rate": "1e-320%"}, "rate"),
        ({"rate": 12.34567}, "rate"),
        (
            {"rate": None, "rate_candidates": [10, 0.00001], "disputed": "Sources differ."},
            "rate_candidates",
        ),
        ({"rate": 25, "components": [{"name": "base", "rate": 24.99999}]}, "components[1].rate"),
    ],
)
def test_rates_with_more_than_four_decimals_are_refused(
    fresh_db: FactStore, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError, match="more than 4 decimals") as err:
        fresh_db.parse(rate_fact(**overrides))
    assert field in {e.field for e in err.value.errors}


def test_rates_with_four_decimals_are_kept(fresh_db: FactStore) -> None:
    assert fresh_db.parse(rate_fact(rate="12.3456%")).rate == 12.3456
    assert fresh_db.parse(rate_fact(rate=0)).rate == 0

"""A documents.json response as typed Documents; bad fields are one clear error."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from bot.feeds.documents import FeedFormatError, parse_response
from tests.feeds.common import NOT_RELEVANT, RELEVANT, fixture


def test_every_recorded_document_is_read_with_its_fields() -> None:
    page = parse_response(fixture("documents_all.json"))
    assert page.count == 8 and page.next_page_url is None
    by_number = {d.document_number: d for d in page.documents}
    assert set(by_number) == RELEVANT | NOT_RELEVANT
    steel = by_number["2025-02833"]
    assert steel.type == "Presidential Document" and steel.abstract is None
    assert steel.publication_date == date(2025, 2, 18) and steel.signing_date == date(2025, 2, 10)
    assert steel.instrument == "Proclamation 10896" and steel.agency_names == (
        "Executive Office of the President",
    )
    assert steel.html_url.startswith("https://www.federalregister.gov/documents/2025/02/18/")
    eo = by_number["2025-06063"]
    assert eo.executive_order_number == "14257" and eo.instrument == "Executive Order 14257"
    rule = by_number["2025-07676"]
    assert rule.effective_on == date(2025, 4, 30)
    assert [a.slug for a in rule.agencies] == [
        "commerce-department",
        "industry-and-security-bureau",
    ]
    assert rule.details() == {"effective_on": "2025-04-30", "citation": "90 FR 18780"}


def test_a_page_names_the_next_one() -> None:
    page = parse_response(fixture("documents_page1.json"))
    assert len(page.documents) == 4 and page.next_page_url and "page=2" in page.next_page_url


def test_an_empty_result_has_no_results_key() -> None:
    page = parse_response(fixture("documents_empty.json"))
    assert page.documents == () and page.count == 0


def _broken(change) -> dict:
    data = copy.deepcopy(fixture("documents_all.json"))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["results"][1].pop("publication_date"),
            "result 2 (2025-06244): `publication_date` is missing",
        ),
        (
            lambda d: d["results"][0].update(publication_date="2025-13-01"),
            "`publication_date` '2025-13-01' is not a date",
        ),
        (lambda d: d["results"][0].update(title=None), "result 1 (2025-07676): `title` is missing"),
        (lambda d: d["results"][0].update(title=["a"]), "`title` must be text, not list"),
        (
            lambda d: d["results"][0].update(html_url="javascript:alert(1)"),
            "`html_url` 'javascript:alert(1)' is not an https",
        ),
        (
            lambda d: d["results"][0].update(document_number="../etc"),
            "`document_number` '../etc' is not a document number",
        ),
        (lambda d: d["results"][0].update(agencies="USTR"), "`agencies` must be a list"),
        (
            lambda d: d["results"][0]["agencies"].append({"slug": "x"}),
            "`agencies[2].name` is missing",
        ),
        (
            lambda d: d["results"][2].update(executive_order_number=[1]),
            "`executive_order_number` must be a number",
        ),
        (lambda d: d.update(results={"a": 1}), "`results` must be a list"),
        (lambda d: d.pop("results"), "`results` is missing"),
        (lambda d: d.update(count="8"), "`count` must be a whole number"),
        (lambda d: d["results"].__setitem__(0, "2025-1"), "result 1: must be an object, not str"),
    ],
)
def test_a_bad_or_missing_field_is_named(change, message: str) -> None:
    with pytest.raises(FeedFormatError) as caught:
        parse_response(_broken(change))
    assert message in str(caught.value)


def test_not_an_object_is_an_error() -> None:
    with pytest.raises(FeedFormatError, match="must be a JSON object"):
        parse_response([1, 2])

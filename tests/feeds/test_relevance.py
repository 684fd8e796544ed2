"""Which documents are leads worth posting, and why in words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.feeds.documents import Agency, parse_response
from bot.feeds.relevance import decide, first_match
from bot.feeds.watch import load_config
from tests.feeds.common import RELEVANT, fixture

RULES = load_config().rules
DOCS = {d.document_number: d for d in parse_response(fixture("documents_all.json")).documents}


@pytest.mark.parametrize(
    ("number", "relevant", "why"),
    [
        (
            "2025-07676",
            True,
            "title mentions 'Section 232'; "
            "agency: Commerce Department, Industry and Security Bureau",
        ),
        (
            "2025-06063",
            True,
            "title mentions 'Reciprocal Tariff'; agency: Executive Office of the President",
        ),
        (
            "2025-02833",
            True,
            "title mentions 'Adjusting Imports'; agency: Executive Office of the President",
        ),
        (
            "2024-21773",
            True,
            "abstract mentions 'Section 301'; "
            "agency: Trade Representative, Office of United States",
        ),
        (
            "2025-04875",
            False,
            "title mentions 'Administrative Review' (excluded); "
            "agency: Commerce Department, International Trade Administration",
        ),
        (
            "2023-04115",
            False,
            "abstract mentions 'information collection' (excluded); "
            "agency: U.S. Customs and Border Protection",
        ),
        ("2025-06244", False, "no tariff term in title or abstract; agency: Commerce Department"),
    ],
)
def test_recorded_documents_are_decided_with_the_rule_that_decided(
    number: str, relevant: bool, why: str
) -> None:
    decision = decide(DOCS[number], RULES)
    assert (decision.relevant, decision.why) == (relevant, why)


def test_every_recorded_tariff_document_is_relevant() -> None:
    assert {n for n, d in DOCS.items() if decide(d, RULES).relevant} == RELEVANT


def test_an_unwatched_agency_or_type_is_not_relevant() -> None:
    steel = DOCS["2025-02833"]
    epa = replace(
        steel,
        agencies=(Agency("Environmental Protection Agency", "environmental-protection-agency"),),
    )
    assert decide(epa, RULES).why == "agency not watched: Environmental Protection Agency"
    assert not decide(epa, RULES).relevant
    odd = replace(steel, type="Uncategorized Document")
    assert decide(odd, RULES).why == "type 'Uncategorized Document' is not watched"


def test_an_exclusion_is_configurable() -> None:
    review = DOCS["2025-04875"]
    rules = replace(RULES, exclude_terms=tuple(t for t in RULES.exclude_terms if "review" not in t))
    decision = decide(review, rules)
    assert decision.relevant and decision.why.startswith("title mentions 'Duty'")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Modifying the HTSUS chapter 99 headings", "HTSUS"),
        ("heading 9903.01.25 applies", "9903"),
        ("Section-232 duties on copper", "Section-232"),
        ("Section   301 action", "Section 301"),
        ("dutyfree treatment", None),
        ("Sections 2320 and 3011", None),
        ("", None),
    ],
)
def test_terms_match_whole_words_in_any_case_and_spacing(text: str, found: str | None) -> None:
    assert first_match(text, RULES.terms) == found

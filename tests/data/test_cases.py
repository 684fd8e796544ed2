"""Validation of the court cases data file (bot/data/cases.toml) and how a question
picks its case."""

from __future__ import annotations

import tomllib

import pytest

from bot import datafiles
from bot.cases import CasesError, load_cases, parse_cases
from bot.service import Assistant, open_store


def test_every_bundled_court_ruling_belongs_to_one_case() -> None:
    cases = load_cases()
    store = open_store(":memory:")
    rulings = [f for f in store.facts() if f.kind == "court_ruling"]
    assert rulings
    for fact in rulings:
        owners = [c.id for c in cases.cases if c.holds(fact.subject)]
        assert len(owners) == 1, (fact.id, fact.subject, owners)


@pytest.mark.parametrize(
    ("question", "case"),
    [
        ("who dissented at the Supreme Court?", "ieepa"),
        ("US tariff on all imports, post-Supreme Court?", None),
        ("is the government appealing the IEEPA refunds order?", "ieepa-refunds"),
        ("has the Federal Circuit ruled on the Section 122 appeal?", "section-122"),
        ("¿cuándo llegan los reembolsos?", "ieepa-refunds"),
        ("what's the latest in court?", None),
    ],
)
def test_a_question_names_the_case_a_named_one_before_the_default(question, case) -> None:
    assert load_cases().find(question) == case


def test_a_file_without_exactly_one_default_is_refused() -> None:
    data = tomllib.loads(datafiles.read_text("cases.toml"))
    for case in data["cases"]:
        case["default"] = False
    with pytest.raises(CasesError, match="exactly one"):
        parse_cases(data)
    data["cases"][0]["default"] = True
    data["cases"][1]["words"] = []
    with pytest.raises(CasesError, match="words"):
        parse_cases(data)


def test_court_answers_stay_inside_the_case_asked() -> None:
    from datetime import date

    assistant = Assistant(open_store(":memory:"))
    day = date(2026, 7, 20)
    dissent = assistant.ask("who dissented at the Supreme Court?", as_of=day)
    assert "Kavanaugh" in dissent.text and "Learning Resources" in dissent.text
    assert "Other cases" not in dissent.text
    refunds = assistant.ask("Is the government fighting the refund order?", as_of=day)
    assert "reliquidate" in refunds.text and "Supreme Court held" not in refunds.text
    latest = assistant.ask("latest on the tariff court case?", as_of=day)
    assert "Supreme Court held" in latest.text and "Other cases:" in latest.text

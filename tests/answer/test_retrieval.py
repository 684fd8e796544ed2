"""Full-text retrieval over the facts: what it finds, what it refuses, and where the
composer lets it answer."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answer.retrieval import FactSearch, fact_text
from bot.store.model import Citation, Fact, Source

A_DAY = date(2026, 2, 23)
SOURCES = {
    "src-a": Source("src-a", "https://example.org/a", "CBP ends IEEPA duties", "CBP", A_DAY),
    "src-b": Source("src-b", "https://example.org/b", "USMCA review", "USTR", A_DAY),
}


def event(fact_id: str, statement: str, **fields) -> Fact:
    base = {
        "id": fact_id,
        "kind": "deadline",
        "statement": statement,
        "valid_from": date(2026, 2, 20),
        "recorded": date(2026, 2, 20),
        "citations": (Citation("src-a", quote="IEEPA duties terminate for goods entered"),),
        "parties": ("US", "WORLD"),
        "status": "ended",
        "due": date(2026, 2, 24),
    }
    base.update(fields)
    return Fact(**base)


ENDED = event(
    "ieepa-ended",
    "CBP stopped collecting IEEPA duties for goods entered on or after 24 Feb 2026.",
    subject="End of IEEPA tariff collection",
)
REVIEW = event(
    "usmca-review",
    "At the USMCA's first joint review the United States did not agree to renew it.",
    subject="USMCA joint review",
    parties=("US", "CA", "MX"),
    citations=(Citation("src-b"),),
)
SEARCH = FactSearch([ENDED, REVIEW], SOURCES)


def test_a_fact_is_searched_by_its_statement_quotes_and_source_titles() -> None:
    text = fact_text(ENDED, SOURCES)
    assert "terminate" in text and "CBP ends IEEPA duties" in text
    (hit,) = SEARCH.search(["cbp", "stop", "collecting", "ieepa"])
    assert hit.fact is ENDED and set(hit.matched) == {"cbp", "stop", "collecting", "ieepa"}


def test_one_shared_word_or_only_ordinary_words_are_not_an_answer() -> None:
    assert SEARCH.search(["cbp", "weather", "forecast", "tomorrow"]) == []  # 1 of 4
    assert SEARCH.search(["first", "review"]) == []  # ordinary words, nobody named
    # ... unless the question named who it is about, which narrows the facts already.
    (hit,) = SEARCH.search(
        ["first", "joint", "review"], allowed=lambda f: f.id == "usmca-review", restricted=True
    )
    assert hit.fact is REVIEW


def test_allowed_ids_and_facts_true_on_the_day_come_first() -> None:
    assert SEARCH.search(["cbp", "ieepa"], allowed=lambda f: f.id == "usmca-review") == []
    later = event("ieepa-later", "CBP stopped collecting IEEPA duties again.")
    search = FactSearch([ENDED, later], SOURCES)
    hits = search.search(["cbp", "ieepa", "collecting"], current=lambda f: f.id == "ieepa-later")
    assert hits[0].fact is later


@pytest.mark.parametrize(
    ("question", "as_of", "expected"),
    [
        ("From what entry date did CBP stop collecting IEEPA duties?", "2026-03-01", "24 Feb 2026"),
        ("What came out of the first USMCA joint review on 1 July?", "2026-07-06", "renew"),
        ("When does CBP's CAPE tool for IEEPA refunds go live?", "2026-04-15", "20 Apr 2026"),
    ],
)
def test_detail_questions_no_intent_expects_are_answered_from_the_facts(
    assistant, question: str, as_of: str, expected: str
) -> None:
    answer = assistant.ask(question, date.fromisoformat(as_of))
    assert answer.outcome == "answer" and expected in answer.text
    assert answer.sources  # every fact with its source


@pytest.mark.parametrize(
    "question",
    [
        "When was the Christmas truce of 1914?",
        "latest ruling from the Supreme Court of Canada?",
        "what's the price of steel per ton today",
        "what does 'de minimis' mean in customs?",
        "how can i change car oil",
        "Who is the president of South Korea?",
    ],
)
def test_questions_outside_the_topic_stay_outside(assistant, question: str) -> None:
    answer = assistant.ask(question, date(2026, 3, 1))
    assert answer.facts == []

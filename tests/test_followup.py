"""Follow-up questions merged into the previous Query (bot/followup.py)."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from bot import datafiles
from bot.followup import FollowUpsError, Previous, continue_from, parse_follow_ups

DAY = date(2025, 10, 1)


def previous(assistant, question: str) -> Previous:
    return assistant.previous_of(assistant.ask(question, DAY))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("and Japan?", "lead"),
        ("what about steel?", "lead"),
        ("the other way?", "reverse"),
        ("and before that?", "before"),
        ("what about after that?", "after"),
        ("What is the US tariff on Japanese goods?", None),
        ("and what is the US tariff on goods from every country we trade with today?", None),
    ],
)
def test_a_follow_up_is_recognised(assistant, question: str, kind: str | None) -> None:
    assert assistant.understand(question, DAY).query.follow_up == kind


def test_a_party_replaces_the_other_side_and_the_direction_can_be_turned(assistant) -> None:
    before = previous(assistant, "What is the US tariff on Chinese goods?")
    japan = continue_from(assistant.understand("and Japan?", DAY).query, before)
    assert (japan.intent, japan.importer, japan.exporter) == ("tariff_rate", "US", "JP")
    turned = continue_from(assistant.understand("the other way?", DAY).query, before)
    assert (turned.importer, turned.exporter) == ("CN", "US")
    steel = continue_from(assistant.understand("what about steel?", DAY).query, before)
    assert (steel.exporter, steel.product) == ("CN", "steel")
    china = previous(assistant, "China's tariffs on US goods?")
    japan = continue_from(assistant.understand("and Japan?", DAY).query, china)
    assert (japan.importer, japan.exporter) == ("JP", "US")


def test_a_full_question_or_no_previous_answer_stands_as_asked(assistant) -> None:
    before = previous(assistant, "What is the US tariff on Chinese goods?")
    full = assistant.understand("and what's China's tariff on US goods?", DAY).query
    assert continue_from(full, before) is full
    alone = assistant.understand("and Japan?", DAY).query
    assert continue_from(alone, None) is alone
    assert assistant.previous_of(assistant.ask("what is the weather?", DAY)) is None


def test_a_malformed_file_is_refused() -> None:
    data = tomllib.loads(datafiles.read_text("followups.toml"))
    with pytest.raises(FollowUpsError, match="leads"):
        parse_follow_ups({**data, "leads": []})
    with pytest.raises(FollowUpsError, match="max_words"):
        parse_follow_ups({**data, "max_words": 0})


def test_a_question_naming_one_side_has_that_side_replaced(assistant) -> None:
    before = previous(assistant, "tariffs on Japanese goods?")
    korea = continue_from(assistant.understand("and Korea?", DAY).query, before)
    assert korea.exporter == "KR" and "JP" not in korea.parties

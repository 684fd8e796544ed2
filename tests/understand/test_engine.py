"""The matcher: how a question's words become an intent."""

from __future__ import annotations

from datetime import date

import pytest

from bot.understand.engine import SLOT_FOR_KIND

DAY = date(2025, 12, 15)


@pytest.mark.parametrize(
    "question",
    [
        "status of the court case please",
        "kindly tell me when the tariff pause runs out",
        "pls where do the china talks stand",
    ],
)
def test_courtesy_words_change_nothing(assistant, question) -> None:
    plain = " ".join(w for w in question.split() if w not in {"please", "kindly", "pls"})
    polite, bare = assistant.understand(question, DAY), assistant.understand(plain, DAY)
    assert polite.intent == bare.intent is not None
    assert polite.matchable == bare.matchable


def test_a_courtesy_word_alone_is_not_dropped(assistant) -> None:
    # Nothing would be left to read: the word stays, and it is not a topic.
    u = assistant.understand("please", DAY)
    assert u.matchable == "please"
    assert u.intent not in {"tariff_rate", "truce", "court_ruling", "deals"}


def test_examples_name_places_the_way_questions_do(assistant) -> None:
    # "Kuala Lumpur" in a question is a capital, read as its country's slot; an example
    # naming it must be read the same way or it could never match.
    engine = assistant.engine
    slot = SLOT_FOR_KIND["party"]
    for examples in engine._examples.values():
        for example in examples:
            assert "kuala lumpur" not in example and "london" not in example.split()
    assert any(slot in e and "arrangement" in e for e in engine._examples["deals"])
    u = assistant.understand("so what exactly is this kuala lumpur deal?", DAY)
    assert u.intent == "deals"


@pytest.mark.parametrize(
    ("question", "intent"),
    [("gm everyone", "greeting"), ("show me a list of commands", "help")],
)
def test_short_meta_questions(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent


@pytest.mark.parametrize(
    "question",
    [
        "are american duties on chinese products still at 30 percent?",
        "has china's tariff on US goods fallen under 15% yet",
        "Did the US tariff on China move after Busan? what's it at now?",
        "did washington cut the china tariff to zero",
    ],
)
def test_questions_about_todays_value_are_rate_questions(assistant, question) -> None:
    # Change words, but the answer wanted is the rate (which says when it last changed).
    assert assistant.understand(question, DAY).intent == "tariff_rate"


@pytest.mark.parametrize(
    "question",
    [
        "what was the US duty on Chinese products prior to the truce, and what is it today?",
        "old vs new china tariffs on us goods",
    ],
)
def test_then_and_now_is_a_change(assistant, question) -> None:
    assert assistant.understand(question, DAY).intent == "rate_change"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("by how much were US duties on Chinese imports reduced under the truce", "rate_change"),
        (
            "what did beijing lower its tariff on american goods from in the geneva truce",
            "rate_change",
        ),
        ("how long do the tariff suspensions last under the truce", "truce"),
        ("which tariffs were suspended in the truce", "truce"),
    ],
)
def test_a_truce_closing_a_change_question_is_its_occasion(assistant, question, intent) -> None:
    u = assistant.understand(question, DAY)
    assert u.intent == intent and not u.ambiguous, u.candidates


def test_a_close_call_goes_to_the_reading_whose_entity_is_named(assistant) -> None:
    u = assistant.understand("federal circuit tariffs", DAY)
    assert u.intent == "court_ruling" and not u.ambiguous, u.candidates


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what's xi charging on american imports rn", "tariff_rate"),
        ("wen does the tariff pause end", "truce"),
        ("ieepa add-on on chinese shipments right now?", "tariff_rate"),
        ("a DC judge ruled on the tariffs too?", "court_ruling"),
        ("was the trade court reversed en banc?", "court_ruling"),
        ("so what got agreed at London", "negotiation_status"),
        ("whats the number on japanese imports", "tariff_rate"),
        ("how to say tariff in spanish", None),
    ],
)
def test_plain_and_slangy_questions_in_scope(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent


def test_between_two_months_is_a_change(assistant) -> None:
    u = assistant.understand(
        "by how many points did china's tariff on US goods drop between April and June?", DAY
    )
    assert u.intent == "rate_change" and len(u.dates) == 2


def test_a_question_about_the_bot_that_names_a_topic_is_help(assistant) -> None:
    # Help is never about a topic, so topic words rule it out, unless the question asks
    # what the bot covers.
    assert assistant.understand("do you cover trade deals too?", DAY).intent == "help"
    assert assistant.understand("help me with trade deals", DAY).intent != "help"


def test_a_named_round_of_talks_decides_a_close_call(assistant) -> None:
    u = assistant.understand("did both leaders approve the London framework?", DAY)
    assert u.intent == "negotiation_status", u.candidates


@pytest.mark.parametrize(
    ("question", "in_scope"),
    [
        ("did Taylor Swift and Kanye ever make a deal?", False),
        ("so did Messi and Ronaldo call a truce", False),
        ("What does Reuters say about the truce?", True),  # one outlet is not a stranger
        ("Is The Trade Truce Still On?", True),  # title case is not a name
    ],
)
def test_a_truce_between_strangers_is_someone_elses(assistant, question, in_scope) -> None:
    assert (assistant.understand(question, DAY).intent is not None) == in_scope


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("are the two sides resuming talks in London?", "negotiation_status"),
        ("did washington and beijing reach anything at Geneva", "negotiation_status"),
        ("what article are these answers based on", "sources"),
    ],
)
def test_verbs_before_talks_and_questions_about_the_basis(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent


@pytest.mark.parametrize(
    "question",
    [
        "what did the Supreme Court of India rule last week?",
        "explain the Miranda decision",
        "how do tariffs work, in simple words?",
    ],
)
def test_other_courts_cases_and_how_tariffs_work_are_out_of_scope(assistant, question) -> None:
    assert assistant.understand(question, DAY).intent is None


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what's the US duty on chinese goods now, before the cut takes effect?", "tariff_rate"),
        ("china's tariff on US products - how much, and since when?", "tariff_rate"),
        ("china tariff went from 125 to what?", "rate_change"),
        ("what did china's tariff on US goods drop from in May?", "rate_change"),
    ],
)
def test_before_a_change_and_from_what(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent


def test_what_a_rate_replaced_is_a_change(assistant) -> None:
    u = assistant.understand("and the 10% china rate, what does it replace?", DAY)
    assert u.intent == "rate_change"


@pytest.mark.parametrize(
    ("question", "importer", "exporter"),
    [
        ("since Trump and Xi met in Korea, what's the tariff on Chinese goods?", None, "CN"),
        ("duty on sneakers made in Vietnam landing in Long Beach", "US", "VN"),
    ],
)
def test_a_place_where_something_happened_is_no_side(assistant, question, importer, exporter):
    u = assistant.understand(question, DAY)
    assert (u.direction.importer, u.direction.exporter) == (importer, exporter)


def test_an_event_clause_that_is_the_topic_is_read_as_words(assistant) -> None:
    u = assistant.understand(
        "what came right after the appeals court ruled against the tariffs? was it put on hold?",
        date(2025, 9, 10),
    )
    assert u.intent == "court_ruling", u.candidates


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what extra duty do I pay on top of the normal rate for Vietnamese shoes?", "tariff_rate"),
        ("sources pls", "sources"),
        ("how do I make a discord bot in javascript", None),
        ("¿Hay acuerdos comerciales de EE.UU. cerca de firmarse?", "deals"),
    ],
)
def test_rates_without_change_words_sources_and_programming(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("how far did Tesla stock fall after the tariff announcement?", None),
        ("China's tariff on US goods at the start of the Geneva truce?", "tariff_rate"),
        ("the US rate on Chinese goods the week of the Busan summit", "tariff_rate"),
        ("did the Federal Circuit decide the merits?", "court_ruling"),
    ],
)
def test_stocks_event_starts_and_merits(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("¿qué puedes hacer por mí?", "help"),
        ("cool trade-in deals for a used iphone?", None),
        ("what was the old rate on Japanese goods", "rate_change"),
        ("how much longer does the pause with china last?", "truce"),
        ("what did Greer say about the state of the Japan talks?", "negotiation_status"),
    ],
)
def test_round_seven_paraphrases(assistant, question, intent) -> None:
    assert assistant.understand(question, DAY).intent == intent

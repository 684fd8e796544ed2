"""Close calls between readings, as pure functions over candidate lists."""

from __future__ import annotations

from bot.understand.readings import (
    Candidate,
    change_needs_a_change_word,
    named_topic,
    prefer_change,
    prefer_rate,
    truce_as_occasion,
)


def c(intent: str, score: float, evidence: float = 0.33) -> Candidate:
    return Candidate(intent, score, score, evidence, "")


def test_a_comparison_makes_a_change_even_without_a_change_reading() -> None:
    out = prefer_change([c("tariff_rate", 0.8)], compares=True)
    assert out[0].intent == "rate_change" and out[0].score == 0.8


def test_the_rate_inherits_the_change_readings_score() -> None:
    out = prefer_rate([c("rate_change", 0.7), c("tariff_rate", 0.6)])
    assert [x.intent for x in out] == ["tariff_rate", "rate_change"] and out[0].score == 0.7


def test_a_change_needs_a_change_word_only_when_close() -> None:
    close = change_needs_a_change_word([c("rate_change", 0.62, 0.0), c("tariff_rate", 0.6)])
    assert close[0].intent == "tariff_rate"
    far = change_needs_a_change_word([c("rate_change", 0.8, 0.0), c("tariff_rate", 0.6)])
    assert far[0].intent == "rate_change"


def test_a_truce_at_the_end_is_the_occasion() -> None:
    out = truce_as_occasion(
        [c("truce", 0.75, 1.0), c("rate_change", 0.7)], "how much was it cut in the geneva truce"
    )
    assert out[0].intent == "rate_change" and out[1].score < out[0].score
    kept = truce_as_occasion([c("truce", 0.75, 1.0), c("rate_change", 0.7)], "truce end date")
    assert kept[0].intent == "truce"


def test_a_named_event_lifts_its_topic_clear_of_the_other() -> None:
    out = named_topic(
        [c("deals", 0.51), c("negotiation_status", 0.5)], ["negotiation_status"], 0.025
    )
    assert out[0].intent == "negotiation_status" and out[0].score - out[1].score >= 0.025

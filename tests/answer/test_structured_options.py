"""Slash-command answers (`Assistant.status/rate/timeline`) for odd but valid options.

`/status parties:"JP CN"` used to fail with IndexError: a structured Understanding had
mentions pointing into a list of words it never filled, so the check for parties named
as a place ("talks in Korea") read past its end.
"""

from __future__ import annotations

from datetime import date

import pytest

DAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("parties", "named"),
    [
        (["JP", "CN"], "Japan–China"),
        (["EU", "US"], "EU"),
        (["FJ"], "Fiji"),  # in the vocabulary, no facts
        (["AT", "CN"], "Austria–China"),  # "AT" is Austria, not the word "at"
        (["IN", "JP"], "India–Japan"),  # "IN" is India, not the word "in"
    ],
)
def test_status_of_untracked_talks_says_no_record_and_what_is_tracked(
    assistant, parties: list[str], named: str
) -> None:
    answer = assistant.status(parties, as_of=DAY)
    assert answer.outcome == "no_record" and answer.facts == []
    assert f"trade talks involving {named}" in answer.text
    assert (
        "Talks I track: US–China trade talks, US–Japan trade talks, US–Mexico trade talks."
        in answer.text
    )


@pytest.mark.parametrize("parties", [["CN", "CN"], ["US", "CN"], ["CN", "US"], ["JP"]])
def test_status_with_a_tracked_side_answers(assistant, parties: list[str]) -> None:
    answer = assistant.status(parties, as_of=DAY)
    assert answer.outcome == "answer" and "trade talks" in answer.text


@pytest.mark.parametrize(
    ("importer", "exporter", "subject"),
    [
        ("JP", "CN", "Japan's tariffs on Chinese goods"),
        ("CN", "CN", "China's tariffs on Chinese goods"),
        ("FJ", "AT", "Fiji's tariffs on Austrian goods"),
    ],
)
def test_untracked_rates_and_timelines_say_no_record(
    assistant, importer: str, exporter: str, subject: str
) -> None:
    for answer in (
        assistant.rate(importer, exporter, as_of=DAY),
        assistant.timeline(importer, exporter, as_of=DAY),
    ):
        assert answer.outcome == "no_record" and subject in answer.text
        assert "Rates I track:" in answer.text

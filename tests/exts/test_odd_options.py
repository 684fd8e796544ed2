"""Slash commands with odd but valid options answer; they never end in "Something went
wrong" (the real bot, through discord.py's own code, in the offline fake Discord).

Each slash call here takes seconds in the fake server, so the cases share one world; the
service-level variants are in tests/answer/test_structured_options.py."""

from __future__ import annotations

from tests.exts.test_discord import body, text_of

WENT_WRONG = "Something went wrong"
CASES = [
    # /status parties:"JP CN" used to fail with IndexError (two non-US parties).
    ("status", {"parties": "JP CN"}, "trade talks involving Japan–China"),
    ("status", {"parties": "AT CN"}, "Talks I track: US–China trade talks, US–Japan"),
    ("rate", {"importer": "JP", "exporter": "CN"}, "Japan's tariffs on Chinese goods"),
    ("timeline", {"importer": "CN", "exporter": "CN"}, "China's tariffs on Chinese goods"),
]


async def test_odd_options_are_answered(world) -> None:
    for command, options, expected in CASES:
        text = text_of(body(await world.member.slash(world.channel, command, **options)))
        assert expected in text and "don't have a record" in text, (command, options)
        assert WENT_WRONG not in text
    assert world.env.errors == []


async def test_rate_date_outside_what_facts_can_have_is_refused(world) -> None:
    result = await world.member.slash(
        world.channel, "rate", importer="US", exporter="CN", date="0001-01-01"
    )
    assert result.ephemeral
    assert "outside 1900-01-01 … 2100-12-31" in result.response.content
    assert WENT_WRONG not in result.response.content
    assert world.env.errors == []

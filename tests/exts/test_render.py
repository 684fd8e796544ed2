"""Embeds stay inside Discord's limits whatever the answer holds."""

from datetime import date

import discord

from bot.answer.compose import Answer
from bot.exts.render import answer_embed
from bot.store import Source


def test_huge_answer_fits_every_embed_limit() -> None:
    sources = [
        Source(
            f"s{i}", f"https://example.org/{i}/" + "x" * 150, "T" * 300, "P" * 100, date(2025, 1, 1)
        )
        for i in range(40)
    ]
    answer = Answer(
        question="q",
        intent="tariff_rate",
        confidence=1.0,
        text="",
        facts=["f"],
        sources=sources,
        suggestions=["s" * 500] * 5,
        as_of=date(2025, 6, 1),
        outcome="answer",
        lines=["line @everyone " * 200] * 10,
        notes=["note " * 300],
        quotes={"s0": "q" * 3000},
    )
    embed = answer_embed(answer)
    assert len(embed) <= 6000
    assert len(embed.description or "") <= 4096
    assert all(len(f.value) <= 1024 and len(f.name) <= 256 for f in embed.fields)
    assert len(embed.fields) <= 25 and len(embed.footer.text or "") <= 2048
    assert "@everyone" not in (embed.description or "")
    assert embed.colour == discord.Colour.blue()

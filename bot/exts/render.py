"""Answers as Discord embeds, within Discord's limits.

Limits (discord.com/developers/docs/resources/message#embed-object-embed-limits): title
256, description 4096, 25 fields of 1024 (name 256), footer 2048, 6000 in total.
"""

from __future__ import annotations

import discord

from bot.answer.compose import Answer
from bot.present import human_date

COLOURS = {
    "answer": discord.Colour.blue(),
    "no_record": discord.Colour.orange(),
    "clarify": discord.Colour.gold(),
    "out_of_scope": discord.Colour.light_grey(),
}
MAX_DESCRIPTION = 4096
MAX_FIELD = 1024
MAX_FOOTER = 2048
MAX_TOTAL = 6000


def _cut(text: str, limit: int) -> str:
    text = text.replace("@", "@\u200b")  # never a mention, even inside an embed
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_lines(answer: Answer) -> list[str]:
    lines = []
    for source in answer.sources:
        title = source.title.replace("[", "(").replace("]", ")")
        lines.append(
            f"[{_cut(title, 200)}]({source.url}) — {source.publisher}, "
            f"{human_date(source.published)}"
        )
    return lines


def answer_embed(answer: Answer) -> discord.Embed:
    body = "\n".join(answer.lines) if answer.lines else answer.text
    embed = discord.Embed(
        description=_cut(body, MAX_DESCRIPTION),
        colour=COLOURS.get(answer.outcome, discord.Colour.blurple()),
    )
    if answer.sources:
        first = answer.sources[0]
        quote = answer.quotes.get(first.id)
        if quote:
            embed.add_field(name="Quote", value=_cut(f"“{quote}”", MAX_FIELD), inline=False)
        chunk: list[str] = []
        for line in source_lines(answer):
            if sum(len(x) + 1 for x in chunk) + len(line) > MAX_FIELD and chunk:
                embed.add_field(
                    name="Sources" if len(embed.fields) < 2 else "More sources",
                    value="\n".join(chunk),
                    inline=False,
                )
                chunk = []
            chunk.append(_cut(line, MAX_FIELD))
        if chunk:
            embed.add_field(
                name="Sources"
                if not any(f.name == "Sources" for f in embed.fields)
                else "More sources",
                value="\n".join(chunk),
                inline=False,
            )
    if answer.suggestions:
        embed.add_field(
            name="You could ask",
            value=_cut("\n".join(f"• {s}" for s in answer.suggestions), MAX_FIELD),
            inline=False,
        )
    footer = " · ".join([f"As of {human_date(answer.as_of)}", *answer.notes])
    embed.set_footer(text=_cut(footer, MAX_FOOTER))
    while len(embed) > MAX_TOTAL and embed.fields:  # drop the least important fields
        embed.remove_field(len(embed.fields) - 1)
    return embed


def error_text(message: str) -> str:
    return _cut(message, 1900)

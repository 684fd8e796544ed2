"""Answers as Discord embeds, within Discord's limits.

Limits (discord.com/developers/docs/resources/message#embed-object-embed-limits): title
256, description 4096, 25 fields of 1024 (name 256), footer 2048, 6000 in total.

The core's answer is plain text; this is where it becomes Discord markdown, so this is
where it is escaped (`bot.safe_text`), once: the description and field values render
markdown and get `for_discord`; the footer renders none and gets `plain` (escaping it
would show the backslashes). Source links are built by `safe_text.link` only.
"""

from __future__ import annotations

import discord

from bot.answer.answer import Answer
from bot.present import human_date
from bot.safe_text import for_discord, link, mentions_inert, plain

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
MAX_MESSAGE = 2000  # a plain message's content


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters. Cutting after an escaping backslash leaves '\\…',
    which Discord shows as '…'."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_lines(answer: Answer) -> list[str]:
    """'[title](url) — publisher, date' per source; title and publisher are shortened
    before escaping, so a cut never breaks the link."""
    return [
        f"{link(_cut(source.title, 200), source.url)} — "
        f"{for_discord(_cut(source.publisher, 100), newlines=False)}, "
        f"{human_date(source.published)}"
        for source in answer.sources
    ]


def answer_embed(answer: Answer) -> discord.Embed:
    body = "\n".join(answer.lines) if answer.lines else answer.text
    embed = discord.Embed(
        description=_cut(for_discord(body), MAX_DESCRIPTION),
        colour=COLOURS.get(answer.outcome, discord.Colour.blurple()),
    )
    if answer.sources:
        first = answer.sources[0]
        quote = answer.quotes.get(first.id)
        if quote:
            embed.add_field(
                name="Quote", value=_cut(f"“{for_discord(quote)}”", MAX_FIELD), inline=False
            )
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
            value=_cut(
                "\n".join(f"• {for_discord(s, newlines=False)}" for s in answer.suggestions),
                MAX_FIELD,
            ),
            inline=False,
        )
    footer = " · ".join([f"As of {human_date(answer.as_of)}", *answer.notes])
    embed.set_footer(text=_cut(plain(footer), MAX_FOOTER))
    while len(embed) > MAX_TOTAL and embed.fields:  # drop the least important fields
        embed.remove_field(len(embed.fields) - 1)
    return embed


def message_text(answer: Answer) -> str:
    """The answer as a plain Discord message: at most 2,000 characters, cut at a line
    break (never mid-word), and no '@' that could ping (a link's '@' stays). The core's
    answer is whole; only this door knows Discord's limit."""
    return fit_message(answer.text)


def fit_message(text: str) -> str:
    text = mentions_inert(text)  # a link's "@" (medium.com/@author) stays
    if len(text) <= MAX_MESSAGE:
        return text
    cut = text[: MAX_MESSAGE - 2]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut[: cut.rfind(" ")]
    return cut + " …"


def error_text(message: str) -> str:
    """An error message is markdown built by the error handler, which escaped every
    stored or typed value in it (`bot.exts.errors.describe`); here only invisible and
    control characters go, and the length is bounded."""
    return _cut(plain(message), 1900)

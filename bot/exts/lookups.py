"""Slash commands for rates and status: /rate /status /rulings /deadlines /timeline
/sources /about. Options autocomplete from the store; submitted values are validated
again, since autocomplete is only a suggestion."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.errors import BadOption
from bot.exts.feedback import answered
from bot.safe_text import for_discord, plain
from bot.store.validate import MAX_DATE, MIN_DATE, parse_date

NONE = discord.AllowedMentions.none()
MAX_CHOICES = 25


class Lookups(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @property
    def assistant(self):
        return self.bot.assistant  # type: ignore[attr-defined]

    # ---- validation of submitted values ---------------------------------------------------

    def party(self, value: str, option: str) -> str:
        code = self.assistant.store.vocab.party_code(value)
        if code is None:
            raise BadOption(
                f"'{for_discord(value)}' is not a party I know for `{option}`; pick one from the "
                "list, e.g. US or CN."
            )
        return code

    def day(self, value: str | None) -> date | None:
        if not value:
            return None
        try:
            day = parse_date(value)
        except ValueError:
            raise BadOption(f"`date` '{for_discord(value)}' is not a date YYYY-MM-DD.") from None
        if not MIN_DATE <= day <= MAX_DATE:  # the dates a fact may have
            raise BadOption(f"`date` {day} is outside {MIN_DATE} … {MAX_DATE}; pick one in it.")
        return day

    # ---- autocomplete -----------------------------------------------------------------------

    def _party_choices(self, codes: list[str], current: str) -> list[app_commands.Choice[str]]:
        vocab = self.assistant.store.vocab
        text = current.casefold().strip()
        out = []
        for code in codes:
            name = vocab.party_name(code)
            if not text or text in code.casefold() or text in name.casefold():
                out.append(app_commands.Choice(name=f"{name} ({code})"[:100], value=code))
        return out[:MAX_CHOICES]

    async def fresh_index(self) -> None:
        """Bring the fact index up to date on the read thread, waiting a bounded time: a
        writer queued for the database never delays an autocomplete or a /sources reply
        (autocomplete reads only the in-memory index, never the store)."""
        await self.bot.fresh_index()  # type: ignore[attr-defined]

    async def importer_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        await self.fresh_index()
        return self._party_choices(sorted(self.assistant.index.exporters_of), current)

    async def exporter_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        await self.fresh_index()
        importer = getattr(interaction.namespace, "importer", None)
        codes = (
            self.assistant.index.exporters_of.get(importer, [])
            if importer
            else sorted(self.assistant.index.importers_of)
        )
        return self._party_choices(list(codes), current)

    async def parties_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        await self.fresh_index()
        codes = sorted(
            {
                p
                for f in self.assistant.index.by_kind.get("negotiation_status", [])
                for p in f.parties
            }
        )
        return self._party_choices(codes, current)

    async def fact_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        await self.fresh_index()
        return fact_choices(self.assistant, current)

    # ---- commands ---------------------------------------------------------------------------

    async def _reply(self, interaction: discord.Interaction, func, *args, **kwargs) -> None:
        """Acknowledge at once (no database, no answer), then answer in a slot of the
        answer stage: in a burst every command is deferred within Discord's 3 s while
        at most `ANSWER_LIMIT` answers (embeds, buttons) exist at a time."""
        await interaction.response.defer(thinking=True)
        async with self.bot.answer_stage.slot():  # type: ignore[attr-defined]
            _, embed, view = await answered(self.bot, func, *args, **kwargs)
            await interaction.followup.send(embed=embed, view=view, allowed_mentions=NONE)

    @app_commands.command(name="rate", description="The tariff one party puts on another's goods.")
    @app_commands.describe(
        importer="Who levies the tariff, e.g. US",
        exporter="Whose goods are taxed, e.g. CN",
        date="A date YYYY-MM-DD (default: today)",
    )
    @app_commands.autocomplete(importer=importer_autocomplete, exporter=exporter_autocomplete)
    async def rate(
        self,
        interaction: discord.Interaction,
        importer: str,
        exporter: str,
        date: str | None = None,
    ) -> None:
        imp, exp, day = (
            self.party(importer, "importer"),
            self.party(exporter, "exporter"),
            self.day(date),
        )
        await self._reply(interaction, self.assistant.rate, imp, exp, day=day)

    @app_commands.command(name="status", description="Where trade negotiations stand.")
    @app_commands.describe(parties="A party in the talks, e.g. CN or JP (default: all)")
    @app_commands.autocomplete(parties=parties_autocomplete)
    async def status(self, interaction: discord.Interaction, parties: str | None = None) -> None:
        codes = [self.party(p, "parties") for p in (parties or "").replace(",", " ").split()]
        codes = [c for c in codes if c != "US"] or codes
        await self._reply(interaction, self.assistant.status, codes)

    @app_commands.command(
        name="rulings", description="Court rulings on the tariffs and their status."
    )
    async def rulings(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, self.assistant.rulings)

    @app_commands.command(name="deadlines", description="Upcoming and recent trade deadlines.")
    async def deadlines(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, self.assistant.deadlines)

    @app_commands.command(name="timeline", description="How a tariff rate changed over time.")
    @app_commands.describe(
        importer="Who levies the tariff, e.g. US", exporter="Whose goods are taxed, e.g. CN"
    )
    @app_commands.autocomplete(importer=importer_autocomplete, exporter=exporter_autocomplete)
    async def timeline(
        self, interaction: discord.Interaction, importer: str, exporter: str
    ) -> None:
        imp, exp = self.party(importer, "importer"), self.party(exporter, "exporter")
        await self._reply(interaction, self.assistant.timeline, imp, exp)

    @app_commands.command(name="sources", description="A fact's sources and supporting quotes.")
    @app_commands.describe(fact="The fact id (start typing to search)")
    @app_commands.autocomplete(fact=fact_autocomplete)
    async def sources(self, interaction: discord.Interaction, fact: str) -> None:
        await self.fresh_index()
        if fact not in self.assistant.index.by_id:
            raise BadOption(
                f"There is no current fact '{for_discord(fact)}'; pick one from the list."
            )
        await self._reply(interaction, self.assistant.fact_card, fact)

    @app_commands.command(name="chart", description="A chart of a tariff rate over time.")
    @app_commands.describe(
        importer="Who levies the tariff, e.g. US", exporter="Whose goods are taxed, e.g. CN"
    )
    @app_commands.autocomplete(importer=importer_autocomplete, exporter=exporter_autocomplete)
    async def chart(self, interaction: discord.Interaction, importer: str, exporter: str) -> None:
        imp, exp = self.party(importer, "importer"), self.party(exporter, "exporter")
        await interaction.response.defer(thinking=True)
        loop = asyncio.get_running_loop()
        async with self.bot.answer_stage.slot():  # type: ignore[attr-defined]  # PNGs too
            # Drawing is CPU work: the default pool, not the database thread or the loop.
            info = await loop.run_in_executor(None, partial(self.assistant.chart, imp, exp))
            if info.steps == 0:
                raise BadOption(f"No rate is recorded for {imp} on {exp}.")
            await interaction.followup.send(
                content=f"{for_discord(info.title)} — {info.steps} period(s); shaded: no "
                "record; dashed: today.",
                file=discord.File(io.BytesIO(info.png), filename=f"rate-{imp}-{exp}.png"),
                allowed_mentions=NONE,
            )

    @app_commands.command(name="about", description="What Tradebot tracks and how to ask it.")
    async def about(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, self.assistant.about)


def fact_choices(
    assistant,
    current: str,
    include_retracted: bool = False,
) -> list[app_commands.Choice[str]]:
    """Facts whose id or statement contains what was typed (at most 25). The caller
    refreshes the index first (off the event loop)."""
    text = current.casefold().strip()
    out = []
    for fact in reversed(assistant.index.facts):
        if not text or text in fact.id or text in fact.statement.casefold():
            out.append(
                app_commands.Choice(
                    name=plain(f"{fact.id} — {fact.statement}", newlines=False)[:100],
                    value=fact.id,
                )
            )
        if len(out) == MAX_CHOICES:
            break
    return out


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Lookups(bot))

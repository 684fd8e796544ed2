"""/fact change — a moderator ends a measure on a date and starts its successor, in one step.

The Discord door to `service.change_fact`, which `tradebot facts change` also uses: the
measure keeps its past (it now ends on the effective date) and a new fact, linked to it by
`supersedes`, holds the new rate or status from that date, in one revision. `/fact edit`
stays for corrections, which rewrite a fact over its whole valid time.

The command joins the `/fact` group of `bot.exts.moderation` (moderation.py is long
enough), so it is registered in the home guild only, like the rest of /fact; this cog
checks `require_moderator` on the command and again on the form's submit (Discord's
`default_permissions` only hides commands). The form opens at once (nothing waits for the
database thread); the change runs on the database thread, never on the event loop.
Every reply is ephemeral, escaped, and mentions no one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import forms, service
from bot.exts.errors import describe, on_app_command_error, send_ephemeral
from bot.exts.lookups import MAX_CHOICES
from bot.exts.moderation import NONE, Moderation, author_of, is_moderator, require_moderator
from bot.exts.source_moderation import one_line
from bot.present import percent
from bot.safe_text import for_discord, plain
from bot.store import Fact, FieldError, Source, StoreError, ValidationError
from bot.store.model import MEASURE_STATUSES

log = logging.getLogger("tradebot.change_moderation")
MEASURE_KIND = "tariff_rate"  # the kind whose rate or status changes over time
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_RATE = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*%?")


@dataclass(frozen=True)
class ChangeInput:
    """What the change form says, checked for shape (the store checks the rest)."""

    effective: date
    rate: float | None
    status: str | None
    new_source: service.NewSource | None
    quote: str | None


def parse_effective(text: str) -> date:
    text = text.strip()
    try:
        if _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValidationError(
        [FieldError("effective", f"'{text}' is not a date YYYY-MM-DD (the first day it holds)")]
    )


def parse_rate_or_status(text: str) -> tuple[float | None, str | None]:
    """A number (15, 15%, 7.5) is the new rate; words are the new status."""
    text = " ".join(text.split())
    if number := _RATE.fullmatch(text):
        return float(number.group("number")), None
    status = text.casefold()
    if status not in MEASURE_STATUSES:
        raise ValidationError(
            [
                FieldError(
                    "rate or status",
                    f"'{text}' is neither a rate in percent (e.g. 15) nor a status "
                    f"({', '.join(MEASURE_STATUSES)})",
                )
            ]
        )
    return None, status


def parse_change(effective: str, rate_or_status: str, source: str, quote: str) -> ChangeInput:
    """The form's text as the service's arguments; every problem is reported at once."""
    errors: list[FieldError] = []
    parsed: dict[str, Any] = {}
    steps = (
        ("effective", lambda: parse_effective(effective)),
        ("value", lambda: parse_rate_or_status(rate_or_status)),
        ("new_source", lambda: forms.parse_source(source)),
    )
    for name, parse in steps:
        try:
            parsed[name] = parse()
        except ValidationError as exc:
            errors += exc.errors
    quote = quote.strip()
    if quote and not source.strip():
        errors.append(FieldError("quote", "needs the source it comes from: fill in the source"))
    if errors:
        raise ValidationError(errors)
    rate, status = parsed["value"]
    return ChangeInput(parsed["effective"], rate, status, parsed["new_source"], quote or None)


def value_of(fact: Fact) -> str:
    """'30%', '30%, paused' or 'paused': the measure's rate and its status when it has one.
    Stored text, unescaped: the caller escapes it for where it is shown."""
    parts = [percent(fact.rate)] if fact.rate is not None else []
    if fact.status:
        parts.append(fact.status)
    return ", ".join(parts) or "no rate"


def change_receipt(
    ended: Fact, successor: Fact, source: Source | None, who: str, reason: str
) -> str:
    """The moderator's receipt: the ended measure with its new end, the successor with its
    id, value and start, the source, who and why. Stored and typed text is escaped."""
    end = ended.valid_to.isoformat() if ended.valid_to else "open"
    cited = (
        f" Source: {for_discord(source.title, newlines=False)} "
        f"({for_discord(source.publisher, newlines=False)}, {source.published.isoformat()})."
        if source
        else ""
    )
    return (
        f"Changed **{for_discord(ended.id)}** by {for_discord(who, newlines=False)}: "
        f"{for_discord(value_of(ended), newlines=False)} now ends {end} "
        f"(valid {ended.valid_from.isoformat()} to {end}). "
        f"Successor **{for_discord(successor.id)}**: "
        f"{for_discord(value_of(successor), newlines=False)} from "
        f"{successor.valid_from.isoformat()}.{cited} Reason: {for_discord(reason)}"
    )


def change_choices(facts: list[Fact], current: str) -> list[app_commands.Choice[str]]:
    """Tariff measures whose id or statement contains what was typed (≤ 25), those still
    open first (they are the ones a change ends). Labels are stored text: `plain`."""
    text = current.casefold().strip()
    measures = [
        f
        for f in reversed(facts)
        if f.kind == MEASURE_KIND and (not text or text in f.id or text in f.statement.casefold())
    ]
    measures.sort(key=lambda f: f.valid_to is not None)  # stable: newest first within each
    return [
        app_commands.Choice(name=plain(f"{f.id} — {f.statement}", newlines=False)[:100], value=f.id)
        for f in measures[:MAX_CHOICES]
    ]


class ChangeModal(discord.ui.Modal):
    """The change form: effective date, new rate or status, reason, optional source and
    quote (without a source the successor keeps the ended measure's citations)."""

    def __init__(self, cog: ChangeModeration, fact_id: str, now: str | None) -> None:
        super().__init__(title=f"Change {fact_id}"[:45], timeout=900)
        self.cog, self.fact_id = cog, fact_id
        self.effective = discord.ui.TextInput(
            label="Effective date (YYYY-MM-DD)",
            placeholder="the first day the new value holds",
            min_length=8,
            max_length=20,
            custom_id="effective",
        )
        self.value = discord.ui.TextInput(
            label="New rate in percent, or new status",
            placeholder=(f"now {now}; " if now else "") + "e.g. 15 or paused",
            max_length=40,
            custom_id="value",
        )
        self.reason = discord.ui.TextInput(
            label="Reason",
            style=discord.TextStyle.paragraph,
            min_length=3,
            max_length=500,
            custom_id="reason",
        )
        self.source = discord.ui.TextInput(
            label="Source (optional; default keeps citations)",
            required=False,
            style=discord.TextStyle.paragraph,
            max_length=800,
            placeholder="https://example.org/news | Title | Publisher | 2025-06-01",
            custom_id="source",
        )
        self.quote = discord.ui.TextInput(
            label="Quote from the source (optional)",
            required=False,
            style=discord.TextStyle.paragraph,
            max_length=500,
            custom_id="quote",
        )
        for item in (self.effective, self.value, self.reason, self.source, self.quote):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.submit(interaction, self)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await on_app_command_error(interaction, error)  # type: ignore[arg-type]


class ChangeModeration(commands.Cog):
    """Holds /fact change, bound to this cog (so its `interaction_check` guards it);
    loading the cog adds it to the Moderation cog's /fact group, unloading removes it."""

    def __init__(self, bot: commands.Bot, group: app_commands.Group) -> None:
        self.bot = bot
        self.settings = bot.settings  # type: ignore[attr-defined]
        self.group = group
        self.change_command = app_commands.Command(
            name="change",
            description="A new rate or status from a date: ends the measure, starts the next.",
            callback=self.change,
            parent=group,
        )

    @property
    def store(self) -> Any:
        return self.bot.store  # type: ignore[attr-defined]

    async def cog_load(self) -> None:
        self.group.add_command(self.change_command)

    async def cog_unload(self) -> None:
        self.group.remove_command(self.change_command.name)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        require_moderator(interaction, self.settings)
        return True

    async def fact_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not is_moderator(interaction, self.settings):
            return []
        await self.bot.fresh_index()  # type: ignore[attr-defined]  # bounded; never the writer
        return change_choices(self.bot.assistant.index.facts, current)  # type: ignore[attr-defined]

    @app_commands.describe(fact="The measure whose rate or status changes")
    @app_commands.autocomplete(fact=fact_autocomplete)
    async def change(self, interaction: discord.Interaction, fact: str) -> None:
        # The form opens at once: the current value (a hint only) comes from the in-memory
        # index as it is; the store checks the fact itself when the form is submitted.
        current = self.bot.assistant.index.by_id.get(fact)  # type: ignore[attr-defined]
        now = plain(value_of(current), newlines=False) if current is not None else None
        await interaction.response.send_modal(ChangeModal(self, fact, now))

    async def submit(self, interaction: discord.Interaction, modal: ChangeModal) -> None:
        """Bad input, refusals and store errors are one ephemeral line; nothing is written."""
        try:
            require_moderator(interaction, self.settings)  # checked again on submit
            change = parse_change(
                modal.effective.value, modal.value.value, modal.source.value, modal.quote.value
            )
            await interaction.response.defer(ephemeral=True, thinking=True)
            ended, successor = await self.bot.run_db(  # type: ignore[attr-defined]
                service.change_fact,
                self.store,
                modal.fact_id,
                effective=change.effective,
                rate=change.rate,
                status=change.status,
                by=author_of(interaction),
                reason=modal.reason.value.strip(),
                new_source=change.new_source,
                quote=change.quote,
            )
        except ValidationError as exc:
            await send_ephemeral(interaction, one_line(exc))
            return
        except (app_commands.CheckFailure, StoreError) as exc:
            await send_ephemeral(interaction, describe(exc) or for_discord(str(exc)))
            return
        sources = await self.bot.run_db(self.store.sources_of, successor)  # type: ignore[attr-defined]
        source = sources[-1][0] if sources else None
        text = change_receipt(
            ended, successor, source, interaction.user.display_name, modal.reason.value.strip()
        )
        await interaction.followup.send(text[:1990], ephemeral=True, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    moderation = bot.get_cog("Moderation")
    if not isinstance(moderation, Moderation):
        log.warning("no /fact group (TRADEBOT_HOME_GUILD_ID unset?): /fact change not added")
        return
    home = discord.Object(id=bot.settings.home_guild_id)  # type: ignore[attr-defined]
    await bot.add_cog(ChangeModeration(bot, moderation.fact), guild=home)

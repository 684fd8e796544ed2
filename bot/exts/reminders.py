"""Reminders of records falling due, in the moderators' channel, and the bot's presence
stating the data cut-off.

Why it works this way:
- an hourly `tasks` loop (and one pass at start-up) reads what is due on the read thread
  and writes the ledger on the database thread, never on the event loop; no exception
  leaves the loop, so reminders never stop the bot;
- each (fact, date, stage) is posted once across restarts (bot/reminders.py: a stable
  nonce with `enforce_nonce`, then the ledger row);
- the buttons are dynamic items whose custom id carries the fact id, so they work after a
  restart; each click checks the moderator permission in code; "Extended to…" and
  "Ended" are revisions through bot/settle.py, "Changed to…" opens the /fact change form;
- the presence says how far the records go ("Records to 2 Jul 2026"), updated each pass.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import discord
from discord.ext import commands, tasks

from bot import reminders
from bot.exts.buttons import ModeratorButton
from bot.exts.errors import send_ephemeral
from bot.exts.moderation import author_of, is_moderator
from bot.exts.source_moderation import one_line
from bot.present import human_date
from bot.safe_text import for_discord
from bot.settle import settle
from bot.store import StoreError, ValidationError
from bot.store.validate import parse_date

log = logging.getLogger("tradebot.reminders")
NONE = discord.AllowedMentions.none()
GONE = (discord.Forbidden, discord.NotFound)
PASS_MINUTES = 60
FACT = r"(?P<key>[a-z0-9][a-z0-9-]{1,79})"
REFUSED = "Only moderators of the home server can settle records; nothing was changed."


def presence_text(cutoff: date | None) -> str:
    """The bot's status line: how far its records go, and how to ask."""
    if cutoff is None:
        return "No facts loaded · /about"
    return f"Records to {human_date(cutoff)} · /about"


class Reminders(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot: Any = bot
        self.presence: str | None = None
        self.posted = 0

    async def cog_load(self) -> None:
        self.tick.start()

    async def cog_unload(self) -> None:
        self.tick.cancel()

    @tasks.loop(minutes=PASS_MINUTES)
    async def tick(self) -> None:
        try:
            await self.update_presence()
            await self.post_due()
        except Exception:  # logged; the next pass tries again
            log.exception("reminders pass failed; will retry")

    @tick.before_loop
    async def before_tick(self) -> None:
        await self.bot.wait_until_ready()

    async def update_presence(self) -> None:
        await self.bot.fresh_index()
        cutoff = self.bot.assistant.index.cutoff(date.today())
        text = presence_text(cutoff)
        if text != self.presence:
            await self.bot.change_presence(activity=discord.CustomActivity(name=text))
            self.presence = text

    async def post_due(self, today: date | None = None) -> int:
        """Post every reminder due and not yet posted; returns how many were sent."""
        channel_id = self.bot.settings.moderator_channel_id
        if not channel_id or not self.bot.owns_guild(self.bot.settings.home_guild_id):
            return 0
        today = today or date.today()
        due = await self.bot.run_read(reminders.pending, self.bot.store, today)
        if not due:
            return 0
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except GONE:
                log.warning("TRADEBOT_MODERATOR_CHANNEL_ID %s: no such channel", channel_id)
                return 0
        sent = 0
        for reminder in due:
            try:
                message = await channel.send(
                    reminders.message(reminder, today),
                    view=settle_view(reminder.item.fact.id),
                    allowed_mentions=NONE,
                    nonce=reminders.nonce_for(reminder),
                )  # sets enforce_nonce
            except discord.HTTPException:
                log.warning("reminder to %s failed; retrying later", channel_id, exc_info=True)
                break
            await self.bot.run_db(
                reminders.record_sent, self.bot.store, reminder, channel_id, message.id
            )
            sent += 1
        self.posted += sent
        return sent


def settle_view(fact_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ExtendButton(fact_id))
    view.add_item(EndedButton(fact_id))
    view.add_item(ChangeButton(fact_id))
    return view


class ExtendButton(ModeratorButton, template=r"tb:due:extend:" + FACT):
    prefix, label, refused = "tb:due:extend", "Extended to…", REFUSED

    async def act(self, interaction: discord.Interaction, bot: Any) -> None:
        await interaction.response.send_modal(SettleModal(self.key, extended=True))


class EndedButton(ModeratorButton, template=r"tb:due:ended:" + FACT):
    prefix, label, refused = "tb:due:ended", "Ended", REFUSED

    async def act(self, interaction: discord.Interaction, bot: Any) -> None:
        await interaction.response.send_modal(SettleModal(self.key, extended=False))


class ChangeButton(ModeratorButton, template=r"tb:due:change:" + FACT):
    prefix, label, refused = "tb:due:change", "Changed to…", REFUSED

    async def act(self, interaction: discord.Interaction, bot: Any) -> None:
        change = bot.get_cog("ChangeModeration")
        if change is None:
            await send_ephemeral(interaction, "/fact change is off (no TRADEBOT_HOME_GUILD_ID).")
            return
        await change.change(interaction, self.key)  # the /fact change form, filled


class SettleModal(discord.ui.Modal):
    """ "Extended to" (a new date and a reason) or "Ended" (a reason)."""

    def __init__(self, fact_id: str, *, extended: bool) -> None:
        title = f"{'Extended' if extended else 'Ended'}: {fact_id}"[:45]
        super().__init__(title=title, timeout=900)
        self.fact_id, self.extended = fact_id, extended
        self.until = discord.ui.TextInput(
            label="New end (YYYY-MM-DD)", min_length=8, max_length=20, custom_id="until"
        )
        self.reason = discord.ui.TextInput(
            label="What happened, and where you read it",
            style=discord.TextStyle.paragraph,
            min_length=3,
            max_length=500,
            custom_id="reason",
        )
        if extended:
            self.add_item(self.until)
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: Any = interaction.client
        if not is_moderator(interaction, bot.settings):  # checked again on submit
            await send_ephemeral(interaction, REFUSED)
            return
        try:
            until = parse_date(self.until.value.strip()) if self.extended else None
        except ValueError:
            await send_ephemeral(
                interaction,
                f"'{for_discord(self.until.value[:20])}' is not a date; write YYYY-MM-DD. "
                "Nothing was changed.",
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)  # before the write
        try:
            fact = await bot.run_db(
                settle,
                bot.store,
                self.fact_id,
                "extended" if self.extended else "ended",
                by=author_of(interaction),
                reason=self.reason.value.strip(),
                until=until,
            )
        except ValidationError as exc:
            await send_ephemeral(interaction, one_line(exc))
            return
        except StoreError as exc:
            await send_ephemeral(interaction, for_discord(str(exc)))
            return
        what = f"extended to {human_date(until)}" if until else "ended"
        await interaction.followup.send(
            f"Recorded: `{for_discord(fact.id)}` {what} (revision {fact.revision}).",
            ephemeral=True,
            allowed_mentions=NONE,
        )


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(ExtendButton, EndedButton, ChangeButton)
    await bot.add_cog(Reminders(bot))

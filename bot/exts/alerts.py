"""/watch and /unwatch, and the background task that delivers change alerts.

The task wakes when this process writes to the store and at least every
`POLL_SECONDS` (changes made by `tradebot facts ...` in another process), and once at
start-up to catch up on changes made while the bot was offline.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import alerts
from bot.exts.errors import BadOption, send_ephemeral
from bot.safe_text import for_discord
from bot.store import ValidationError

log = logging.getLogger("tradebot.alerts")
NONE = discord.AllowedMentions.none()
POLL_SECONDS = 30.0
GONE = (discord.Forbidden, discord.NotFound)


class Alerts(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.running = False
        self.again = False
        self.delivered = 0

    @property
    def store(self):
        return self.bot.store  # type: ignore[attr-defined]

    async def cog_load(self) -> None:
        loop = asyncio.get_running_loop()
        # A write in this process wakes delivery at once; the poll catches other processes.
        self.store.on_change(lambda: loop.call_soon_threadsafe(self.kick))
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

    @tasks.loop(seconds=POLL_SECONDS)
    async def poll(self) -> None:
        self.kick()

    @poll.before_loop
    async def before_poll(self) -> None:
        await self.bot.wait_until_ready()  # the first tick catches up on offline changes

    def kick(self) -> None:
        """Start a delivery pass, or ask the running one to go round again. Only one pass
        runs at a time, so a change is never sent twice by overlapping passes."""
        if self.running:
            self.again = True
            return
        self.running = True
        asyncio.get_running_loop().create_task(self._passes(), name="tradebot-alerts")

    async def _passes(self) -> None:
        try:
            while True:
                self.again = False
                try:
                    await self.deliver()
                except Exception:
                    log.exception("delivering alerts failed; will retry")
                if not self.again or self.bot.is_closed():
                    break
        finally:
            self.running = False

    async def deliver(self) -> int:
        """Send every pending change once; returns how many messages were sent."""
        sent = 0
        work = await self.bot.run_db(alerts.pending, self.store)  # type: ignore[attr-defined]
        if not work:
            return 0
        sources = await self.bot.run_db(self.store.sources)  # type: ignore[attr-defined]
        for item in work:
            if not self.bot.owns_guild(item.guild_id):  # type: ignore[attr-defined]
                continue  # another process's shards deliver to that guild
            channel = self.bot.get_channel(item.channel_id)
            if channel is None:
                try:
                    channel = await self.bot.fetch_channel(item.channel_id)
                except GONE as exc:
                    await self._gone(item.channel_id, exc)
                    continue
            wanted = {r.seq for r in item.to_send}
            for revision in item.revisions:
                if revision.seq not in wanted:
                    continue
                text = alerts.describe_change(revision, sources, self.store.vocab)
                try:
                    message = await channel.send(
                        text,
                        allowed_mentions=NONE,
                        nonce=alerts.nonce_for(item.channel_id, revision.seq),
                    )  # sets enforce_nonce
                except GONE as exc:
                    await self._gone(item.channel_id, exc)
                    break
                except discord.HTTPException:
                    log.warning(
                        "alert to channel %s failed; retrying later", item.channel_id, exc_info=True
                    )
                    break
                await self.bot.run_db(
                    alerts.record_delivery,
                    self.store,  # type: ignore[attr-defined]
                    item.channel_id,
                    revision.seq,
                    message.id,
                )
                sent += 1
            else:
                last = item.revisions[-1].seq
                await self.bot.run_db(alerts.advance, self.store, item.channel_id, last)  # type: ignore[attr-defined]
        self.delivered += sent
        return sent

    async def _gone(self, channel_id: int, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        log.warning(
            "channel %s can no longer receive alerts (%s); it is skipped from now on",
            channel_id,
            reason,
        )
        await self.bot.run_db(alerts.disable, self.store, channel_id, reason)  # type: ignore[attr-defined]

    # ---- commands -----------------------------------------------------------------------

    def _check(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None or not interaction.permissions.manage_channels:
            raise BadOption(
                "You need the Manage Channels permission in this channel to change its alerts."
            )

    def _topic(self, topic: str | None) -> str:
        try:
            return alerts.parse_topic(topic, self.store.vocab)
        except ValidationError as exc:
            raise BadOption(for_discord(exc.errors[0].message)) from None  # quotes the topic

    @app_commands.command(name="watch", description="Post fact changes in this channel.")
    @app_commands.describe(topic="Parties ('US CN'), a kind ('court rulings') or 'all' (default)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    async def watch(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        self._check(interaction)
        parsed = self._topic(topic)
        await interaction.response.defer(ephemeral=True, thinking=True)
        added = await self.bot.run_db(
            alerts.subscribe,
            self.store,
            interaction.channel_id,  # type: ignore[attr-defined]
            interaction.guild_id,
            parsed,
            str(interaction.user.id),
        )
        label = alerts.topic_label(parsed, self.store.vocab)
        text = (
            f"This channel will get a message for {label}."
            if added
            else f"This channel already gets {label}."
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    @app_commands.command(name="unwatch", description="Stop posting fact changes in this channel.")
    @app_commands.describe(topic="The topic to stop (default: all of this channel's topics)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_channels=True)
    async def unwatch(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        self._check(interaction)
        parsed = self._topic(topic) if topic else None
        await interaction.response.defer(ephemeral=True, thinking=True)
        removed = await self.bot.run_db(
            alerts.unsubscribe,
            self.store,  # type: ignore[attr-defined]
            interaction.channel_id,
            parsed,
        )
        text = (
            f"Stopped {removed} alert topic(s) in this channel."
            if removed
            else "This channel had no such alerts."
        )
        await send_ephemeral(interaction, text)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Alerts(bot))

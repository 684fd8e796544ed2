"""The discord.py bot: construction, start-up and the store's single writer thread.

Everything the bot knows comes from `bot.service`; this module wires it to Discord.
Commands are synced only when asked (`TRADEBOT_SYNC_ON_START=true` or `tradebot sync`),
as discord.py recommends: syncing on every start hits a strict rate limit.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import discord
from discord.ext import commands

from bot import service
from bot.config import Settings
from bot.exts import EXTENSIONS
from bot.store import FactStore

log = logging.getLogger("tradebot")
T = TypeVar("T")


def intents_for(settings: Settings) -> discord.Intents:
    """Only what the bot uses: guilds (channels, roles), messages in guilds and DMs.

    Message content is privileged; without it the bot still sees the content of
    messages that mention it and of DMs, and slash commands work.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.message_content_intent
    return intents


class TradebotMixin:
    """Everything Tradebot adds to discord.py's Bot; shared by the sharded variant."""

    def __init__(self, settings: Settings, **options: Any) -> None:
        super().__init__(  # type: ignore[call-arg]
            command_prefix=commands.when_mentioned,
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **options,
        )
        self.settings = settings
        self.store: FactStore | None = None
        self.assistant: service.Assistant | None = None
        # One thread owns the database: writes are serialised and the loop never waits.
        self.db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tradebot-db")

    async def run_db(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run store work on the database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.db_thread, partial(func, *args, **kwargs))

    async def setup_hook(self) -> None:
        self.store = await self.run_db(service.open_store, self.settings.db_path)
        self.assistant = await self.run_db(
            service.Assistant, self.store, stale_after_days=self.settings.stale_after_days
        )
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.sync_on_start:
            await self.sync_commands()
        # Everything loaded so far lives for the whole run: keep it out of the cyclic
        # collector's way (full collections were the main source of latency spikes).
        gc.collect()
        gc.freeze()

    async def sync_commands(self, guild_id: int | None = None) -> dict[str, int]:
        """Sync global commands and the moderator commands of the home guild."""
        synced = {"global": len(await self.tree.sync())}
        home = guild_id or self.settings.home_guild_id
        if home:
            synced[str(home)] = len(await self.tree.sync(guild=discord.Object(id=home)))
        log.info("synced commands: %s", synced)
        return synced

    async def on_message(self, message: discord.Message) -> None:
        """Questions are handled by the questions extension; no prefix commands here."""

    async def close(self) -> None:
        await super().close()
        if self.store is not None:
            await self.run_db(self.store.close)
            self.store = None
        self.db_thread.shutdown(wait=False)

    def owns_guild(self, guild_id: int | None) -> bool:
        """Is this process responsible for that guild? (Always, unless sharded across
        processes: then only guilds on this process's shards; DMs go to shard 0.)"""
        shard_ids = getattr(self, "shard_ids", None)
        count = getattr(self, "shard_count", None)
        if not shard_ids or not count:
            return True
        shard = 0 if guild_id is None else (guild_id >> 22) % count
        return shard in shard_ids


class Tradebot(TradebotMixin, commands.Bot):
    """One process, one gateway connection."""


class ShardedTradebot(TradebotMixin, commands.AutoShardedBot):
    """discord.py's AutoShardedBot: one process runs several shards, and several processes
    can each run a range of them (TRADEBOT_SHARD_COUNT + TRADEBOT_SHARD_IDS)."""


def create_bot(settings: Settings) -> Tradebot | ShardedTradebot:
    """An unstarted bot; `setup_hook` opens the store and loads the extensions."""
    if settings.sharded:
        options: dict[str, Any] = {}
        if settings.shard_count:
            options["shard_count"] = settings.shard_count
        if settings.shard_ids:
            options["shard_ids"] = settings.shard_ids
        return ShardedTradebot(settings, **options)
    return Tradebot(settings)

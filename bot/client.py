"""The discord.py bot: construction, start-up, and the two threads that touch the store.

The database thread is the single writer (moderators' edits, queued answer records in
batches); the read thread answers questions from the in-memory index and reads on its own
connection, so a writer waiting for the file (another process holding the write lock)
never delays an answer, an autocomplete or an acknowledgement.

Everything the bot knows comes from `bot.service`; this module wires it to Discord.
Commands are synced only when asked (`TRADEBOT_SYNC_ON_START=true` or `tradebot sync`),
as discord.py recommends: syncing on every start hits a strict rate limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import aiohttp
import discord
from discord.ext import commands

from bot import service
from bot.answer_stage import AnswerStage
from bot.config import Settings
from bot.exts import EXTENSIONS
from bot.gateway_gate import EventGate
from bot.recorder import AnswerRecorder
from bot.store import FactStore

log = logging.getLogger("tradebot")
T = TypeVar("T")
FLUSH_EVERY = 0.5  # seconds between writes of queued answer records
HTTP_CONNECTIONS = 50
INDEX_WAIT = 0.5  # an autocomplete or form waits at most this long for a fresher index


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


def release_free_memory() -> bool:
    """Give the memory freed during start-up back to the system (glibc's malloc_trim).

    Building the fact index reads every fact row at once; once those rows are freed the
    C allocator keeps their pages (megabytes at 10,000 facts) unless asked to return them.
    Returns False where there is no such call (not glibc): nothing else depends on it."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return True


class TradebotMixin:
    """Everything Tradebot adds to discord.py's Bot; shared by the sharded variant."""

    def __init__(self, settings: Settings, **options: Any) -> None:
        super().__init__(  # type: ignore[call-arg]
            command_prefix=commands.when_mentioned,
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            # No cache of received messages (discord.py keeps 1000 by default): nothing
            # here looks a message up later (replies, buttons and alerts carry their ids).
            max_messages=None,
            **options,
        )
        self.settings = settings
        # Every event is read (and a slash command deferred) at once; at most ANSWER_LIMIT
        # answers are computed or sent at a time, the rest wait as small queued jobs.
        # Past gateway_gate.LIMIT events in the bot, the gateway waits (a memory brake).
        self.gateway_gate = EventGate(queued=lambda: self.answer_stage.pending)
        self.answer_stage = AnswerStage(reading=self.gateway_gate.caught_up)  # reads first
        self.store: FactStore | None = None
        self.assistant: service.Assistant | None = None
        self.recorder: AnswerRecorder | None = None
        # One thread owns the database: writes are serialised and the loop never waits.
        self.db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tradebot-db")
        # Answers and reads: never queued behind a write.
        self.read_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tradebot-read")
        self._flusher: asyncio.Task[None] | None = None
        self._shutdown: asyncio.Future[None] | None = None

    async def run_db(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run store work that writes on the database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.db_thread, partial(func, *args, **kwargs))

    async def run_read(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run answering and reads on the read thread (the index, the reader connection)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.read_thread, partial(func, *args, **kwargs))

    async def fresh_index(self, timeout: float = INDEX_WAIT) -> None:
        """Bring the fact index up to date if the facts changed, waiting at most `timeout`
        (a rebuild at 10,000 facts takes a quarter second); otherwise the current index
        serves and the rebuild finishes in the background."""
        refresh = asyncio.ensure_future(self.run_read(self.assistant.index.refresh))  # type: ignore[union-attr]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(refresh), timeout)

    async def login(self, token: str) -> None:
        """At most HTTP_CONNECTIONS requests to Discord at once (discord.py's default has
        no limit): in a burst of questions, replies wait for a connection instead of each
        holding a socket and its buffers — Discord's rate limits would queue them anyway.
        Gateway reads go through EventGate: a backlog of events is read (and slash
        commands deferred) before new answers start, and past its limit of events in the
        bot the gateway waits."""
        if self.http.connector is discord.utils.MISSING:
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        if not getattr(self.http.ws_connect, "gated", False):  # once, whatever the logins
            self.http.ws_connect = self.gateway_gate.guard_connect(self.http.ws_connect)
        await super().login(token)  # type: ignore[misc]

    async def setup_hook(self) -> None:
        self.store = await self.run_db(service.open_store, self.settings.db_path)
        self.assistant = await self.run_db(
            service.Assistant, self.store, stale_after_days=self.settings.stale_after_days
        )
        self.recorder = AnswerRecorder(self.store)
        await self.run_db(self.recorder.start)
        self.install_signal_handlers()
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.sync_on_start:
            await self.sync_commands()
        # Everything loaded so far lives for the whole run: keep it out of the cyclic
        # collector's way (full collections were the main source of latency spikes).
        gc.collect()
        gc.freeze()
        release_free_memory()

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

    def schedule_flush(self) -> None:
        """Write the queued answer records in FLUSH_EVERY seconds (one batch for all the
        answers given meanwhile); an idle bot runs no timer."""
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_records(), name="tradebot-records")

    async def _flush_records(self) -> None:
        while self.recorder is not None and self.recorder.pending:
            await asyncio.sleep(FLUSH_EVERY)
            try:
                await self.run_db(self.recorder.flush)  # kept for a retry if still locked
            except Exception:
                log.exception("writing answer records failed; they are kept for a retry")

    def install_signal_handlers(self) -> None:
        """SIGTERM (systemd, docker stop) closes the bot like Ctrl-C: queued answer records
        are written and the database is closed."""
        try:
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGTERM, lambda: asyncio.ensure_future(self.close())
            )
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, not main thread
            log.debug("SIGTERM handler not installed")

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        """discord.py's start, returning only once a close in progress has finished (its
        `async with` exit skips close() when closing has begun, so `tradebot run` would
        otherwise end before the queued records are written)."""
        try:
            await super().start(token, reconnect=reconnect)  # type: ignore[misc]
        finally:
            if self._shutdown is not None:
                await asyncio.shield(self._shutdown)

    async def close(self) -> None:
        """Close once, whoever asks (SIGTERM, Ctrl-C, `async with` on exit): every caller
        waits until the queued answer records are written and the database is closed."""
        if self._shutdown is None:
            self._shutdown = asyncio.ensure_future(self._close_once())
        await asyncio.shield(self._shutdown)

    async def _close_once(self) -> None:
        await super().close()
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        if self.store is not None:
            if self.recorder is not None:
                await self.run_db(self.recorder.flush)
            await self.run_db(self.store.close)
            self.store = None
        self.db_thread.shutdown(wait=False)
        self.read_thread.shutdown(wait=False)

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

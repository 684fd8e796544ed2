"""Back-pressure on answering, not on reading: at most `limit` answers in progress at once.

In a burst of thousands of questions the single read thread answers them one at a time
anyway; what costs memory is everything waiting around it — each event's discord.py
objects, and finished answers (embed, buttons, request body) queued for one of the HTTP
connections. Holding the gateway reader back bounds that, but then a slash command is
acknowledged only when the queue reaches it, and Discord fails an interaction that is not
acknowledged within 3 s.

So every event is read at once and acknowledged at once (an interaction's `defer()` needs
no database and no answer), and only the expensive stage — compute the answer, build its
embed and buttons, send it — waits for one of `limit` slots. A question from a message
waits as a queued job holding only its text and ids (`PendingReply`; no `Message`, no
task); a slash command waits with its (already acknowledged) interaction. Both are served
first come, first served. While the gateway has a backlog (`caught_up` cleared), a slot
holder waits for the reader (at most `MAX_HOLD`): reading and deferring come first.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

log = logging.getLogger("tradebot.answers")
ANSWER_LIMIT = 16  # answers computed or being sent at once (of 50 HTTP connections)
MAX_HOLD = 1.0  # seconds an answer waits at most for the gateway reader to catch up


@dataclass(frozen=True, slots=True)
class PendingReply:
    """What a reply to a message needs once the `Message` itself is gone: its ids."""

    channel_id: int
    message_id: int
    guild_id: int | None
    replying_to: int | None = None
    """The message this one replies to, if any (a follow-up to the bot's answer)."""

    @classmethod
    def to(cls, message: discord.Message) -> PendingReply:
        guild_id = message.guild.id if message.guild is not None else None
        ref = message.reference
        replying_to = ref.message_id if ref is not None else None
        return cls(message.channel.id, message.id, guild_id, replying_to)

    def target(self, client: discord.Client) -> discord.PartialMessage:
        """The message to reply to, rebuilt from ids (no request, no cache)."""
        channel = client.get_partial_messageable(self.channel_id, guild_id=self.guild_id)
        return channel.get_partial_message(self.message_id)


class AnswerStage:
    """At most `limit` answers in progress; everything else waits, small and in order.

    Two ways in: `async with stage.slot():` around compute + send (a slash command, after
    its `defer()`), or `submit(job)` — a question from a message, queued as a bare
    callable (no task, no coroutine) until one of at most `limit` workers runs it."""

    def __init__(self, limit: int = ANSWER_LIMIT, reading: asyncio.Event | None = None) -> None:
        self.limit = limit
        self.caught_up = reading if reading is not None else asyncio.Event()
        """Set while the gateway has no backlog; answers start only then (acks first)."""
        if reading is None:
            self.caught_up.set()
        self._slots = asyncio.Semaphore(limit)
        self._queue: deque[Callable[[], Awaitable[None]]] = deque()
        self._workers: set[asyncio.Task[None]] = set()  # strong references to them
        self._working = 0  # workers not yet returned (the set lags: done callbacks)
        self.in_progress = 0
        self.peak = 0
        """Most answers in progress at once (never above `limit`)."""
        self.waits = 0
        """How many answers had to wait for a slot (a burst was spread out)."""

    def slot(self) -> AnswerStage:
        """`async with stage.slot():` holds one of the `limit` slots."""
        return self

    async def __aenter__(self) -> None:
        if self._slots.locked():
            self.waits += 1
        await self._slots.acquire()
        if not self.caught_up.is_set():  # reading (and acknowledging) the backlog first,
            try:  # but never for long: a stalled reader must not stall the answers
                await asyncio.wait_for(self.caught_up.wait(), MAX_HOLD)
            except TimeoutError:
                pass
            except BaseException:
                self._slots.release()
                raise
        self.in_progress += 1
        self.peak = max(self.peak, self.in_progress)

    async def __aexit__(self, *exc_info: object) -> None:
        self.in_progress -= 1
        self._slots.release()

    def submit(self, job: Callable[[], Awaitable[None]]) -> None:
        """Queue `job` (it handles its own errors); a worker runs it in a slot."""
        self._queue.append(job)
        if self._working < min(self.limit, len(self._queue)):
            self._working += 1  # counted here and uncounted by the worker as it returns
            worker = asyncio.get_running_loop().create_task(self._work(), name="tradebot-answers")
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)

    async def _work(self) -> None:
        try:
            while self._queue:
                async with self.slot():
                    if not self._queue:  # another worker took it meanwhile
                        return
                    job = self._queue.popleft()
                    try:
                        await job()
                    except Exception:  # a job handles its own errors; never lose the worker
                        log.exception("an answer job failed")
        finally:
            self._working -= 1

    @property
    def pending(self) -> int:
        """Questions queued, not yet started."""
        return len(self._queue)

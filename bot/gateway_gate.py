"""The gateway reader: read events at once, answers wait; a brake for huge bursts.

discord.py reads gateway events in one task. Two things here:

- Acknowledgements first. While events are already waiting in the socket (a burst), the
  reader has priority: `caught_up` is cleared and the answer stage (`bot.answer_stage`)
  starts no new answer until the reader has to wait for data again, so every slash
  command in a burst is read and deferred within a fraction of a second (Discord fails an
  interaction not acknowledged within 3 s), and the answers follow. The reader still
  gives the loop one turn per event, so acknowledgements are sent as it goes.
- A brake. Each event read costs memory until answered (a queued question: its text and
  ids; a deferred interaction: its `Interaction`), about 4 KB. Past `limit` of them (tasks
  in the loop plus questions queued by the answer stage) the reader waits for room:
  unread events stay in the socket (TCP flow control holds the sender), so memory stays
  bounded whatever the burst. Below it (3,000-event bursts) it never bites.

The brake never stalls the connection: if nothing finishes within `max_wait` seconds
(handlers stuck behind Discord's rate limits), the next event is read anyway, so
heartbeat acknowledgements keep arriving and the session is not taken for a zombie.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiohttp import WSMsgType

EVENT_FRAMES = (WSMsgType.TEXT, WSMsgType.BINARY)  # what a gateway event arrives in
LIMIT = 3_500  # events in the bot (tasks + queued questions) before the gateway waits
MAX_WAIT = 1.0  # seconds the gateway waits for room before reading anyway
RECHECK = 0.05  # seconds between two looks at the queue while waiting for room


def nothing_queued() -> int:
    return 0


class EventGate:
    """Reads first while a backlog lasts; holds the reader past `limit` events in the bot."""

    def __init__(
        self,
        limit: int = LIMIT,
        max_wait: float = MAX_WAIT,
        queued: Callable[[], int] = nothing_queued,
    ) -> None:
        self.limit = limit
        self.max_wait = max_wait
        self.queued = queued
        """How many events wait in the bot outside any task (the answer stage's queue)."""
        self.waits = 0
        """How many reads waited for room (a burst was held back)."""
        self.overruns = 0
        """How many reads went ahead after `max_wait` without room (handlers stuck)."""
        self.caught_up = asyncio.Event()
        """Set while the reader has read everything that arrived (it waits for data)."""
        self.caught_up.set()
        self._skip = 0  # reads before the next count (counting tasks costs one step each)

    @staticmethod
    def others() -> set[asyncio.Task[Any]]:
        """The loop's unfinished tasks besides the caller (the gateway reader)."""
        return asyncio.all_tasks() - {asyncio.current_task()}  # type: ignore[operator]

    def room(self, busy: set[asyncio.Task[Any]]) -> int:
        return self.limit - len(busy) - self.queued()

    async def wait_for_room(self) -> None:
        """Return once fewer than `limit` events are in the bot, or after `max_wait`."""
        await asyncio.sleep(0)  # one event per loop turn: acknowledgements keep moving
        if self._skip > 0:
            self._skip -= 1
            return
        busy = self.others()
        room = self.room(busy)
        self._skip = room // 4  # a read adds at most a few events: no need to count again
        if room > 0:
            return
        self.waits += 1
        self.caught_up.set()  # the answers must run to make room
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        while self.room(busy) <= 0:
            remaining = deadline - loop.time()
            if remaining <= 0:
                self.overruns += 1
                return
            timeout = min(remaining, RECHECK)  # queued questions end without a task
            await asyncio.wait(busy, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            busy = self.others()
        self._skip = 0

    async def read(self, receive: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
        """One gateway read; `caught_up` says afterwards whether it had to wait for data
        (set) or found the next event already there (cleared: a backlog to read first)."""
        await self.wait_for_room()
        waited = False

        def waiting() -> None:  # runs only if `receive` gives the loop a turn
            nonlocal waited
            waited = True
            self.caught_up.set()

        turn = asyncio.get_running_loop().call_soon(waiting)
        try:
            frame = await receive(*args, **kwargs)
        except BaseException:
            self.caught_up.set()  # no reader until reconnected: answers go on
            raise
        finally:
            turn.cancel()
        if waited or getattr(frame, "type", None) not in EVENT_FRAMES:
            self.caught_up.set()  # a close or an error: no backlog of events to read
        else:
            self.caught_up.clear()
        return frame

    def guard(self, socket: Any) -> Any:
        """Make `socket.receive` (the gateway's only read) go through `read`."""
        socket.receive = partial(self.read, socket.receive)
        return socket

    def guard_connect(
        self, ws_connect: Callable[..., Awaitable[Any]]
    ) -> Callable[..., Awaitable[Any]]:
        """Wrap discord.py's `HTTPClient.ws_connect` so every gateway socket is gated."""

        async def gated_connect(*args: Any, **kwargs: Any) -> Any:
            return self.guard(await ws_connect(*args, **kwargs))

        gated_connect.gated = True  # type: ignore[attr-defined]
        return gated_connect

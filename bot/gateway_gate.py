"""Back-pressure on the Discord gateway: read the next event only when there is room.

discord.py reads gateway events as fast as they arrive and starts a task for each (a
`Message` or `Interaction`, its handler's coroutine, then its answer, embed and buttons
waiting for a free HTTP connection). In a burst of thousands of questions all of them are
alive at once — tens of megabytes — although the single read thread answers them one at
a time anyway. The gate makes the gateway reader wait while `limit` tasks are running in
the bot's event loop: unread events stay in the socket (TCP flow control holds the
sender), so memory stays flat whatever the burst, and events are still handled in order.

A gate never stalls the connection: if no task finishes within `max_wait` seconds
(handlers stuck behind Discord's rate limits), the next event is read anyway, so
heartbeat acknowledgements keep arriving and the session is not taken for a zombie.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

TASK_LIMIT = 64  # tasks alive in the bot's loop before the gateway waits (≥ 50 HTTP sockets)
MAX_WAIT = 1.0  # seconds the gateway waits for room before reading anyway


class EventGate:
    """Holds the gateway reader while the bot's event loop is busy with `limit` tasks."""

    def __init__(self, limit: int = TASK_LIMIT, max_wait: float = MAX_WAIT) -> None:
        self.limit = limit
        self.max_wait = max_wait
        self.waits = 0
        """How many reads waited for room (a burst was held back)."""
        self.overruns = 0
        """How many reads went ahead after `max_wait` without room (handlers stuck)."""

    @staticmethod
    def others() -> set[asyncio.Task[Any]]:
        """The loop's unfinished tasks besides the caller (the gateway reader)."""
        return asyncio.all_tasks() - {asyncio.current_task()}  # type: ignore[operator]

    async def wait_for_room(self) -> None:
        """Return once fewer than `limit` other tasks are alive, or after `max_wait`."""
        busy = self.others()
        if len(busy) < self.limit:
            return
        self.waits += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        while len(busy) >= self.limit:
            remaining = deadline - loop.time()
            if remaining <= 0:
                self.overruns += 1
                return
            await asyncio.wait(busy, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            busy = self.others()

    def guard(self, socket: Any) -> Any:
        """Make `socket.receive` (the gateway's only read) wait for room first."""
        receive = socket.receive

        async def gated_receive(*args: Any, **kwargs: Any) -> Any:
            await self.wait_for_room()
            return await receive(*args, **kwargs)

        socket.receive = gated_receive
        return socket

    def guard_connect(
        self, ws_connect: Callable[..., Awaitable[Any]]
    ) -> Callable[..., Awaitable[Any]]:
        """Wrap discord.py's `HTTPClient.ws_connect` so every gateway socket is gated."""

        async def gated_connect(*args: Any, **kwargs: Any) -> Any:
            return self.guard(await ws_connect(*args, **kwargs))

        gated_connect.gated = True  # type: ignore[attr-defined]
        return gated_connect

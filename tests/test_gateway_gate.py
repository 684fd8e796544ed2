"""The gateway gate: a backlog of events is read before answers start (`caught_up`), and
past its limit of events in the bot (tasks + queued questions) the gateway waits."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aiohttp
import pytest

from bot.gateway_gate import EventGate


async def settle() -> None:
    """Let every ready task run until it blocks (a few loop turns, no clock involved)."""
    for _ in range(10):
        await asyncio.sleep(0)


def busy_tasks(n: int, release: asyncio.Event) -> list[asyncio.Task[Any]]:
    return [asyncio.create_task(release.wait()) for _ in range(n)]


async def test_the_gate_waits_while_the_loop_is_full_and_opens_when_a_task_ends() -> None:
    release, first = asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(first.wait()), *busy_tasks(3, release)]
    # The waiter sees this test's task too: the loop is exactly full for it.
    gate = EventGate(limit=len(EventGate.others()) + 1, max_wait=60.0)
    waiter = asyncio.create_task(gate.wait_for_room())
    await settle()
    assert not waiter.done() and gate.waits == 1  # full: the read waits
    first.set()  # one handler finishes: room for one more event
    await asyncio.wait_for(waiter, 60.0)
    assert gate.overruns == 0
    release.set()
    await asyncio.gather(*tasks)


async def test_the_gate_lets_a_read_through_when_nothing_finishes_in_time() -> None:
    release = asyncio.Event()
    tasks = busy_tasks(3, release)
    gate = EventGate(limit=2, max_wait=0.0)  # handlers stuck: never stall the connection
    await gate.wait_for_room()
    assert (gate.waits, gate.overruns) == (1, 1)
    release.set()
    await asyncio.gather(*tasks)


async def test_an_idle_loop_reads_at_once() -> None:
    gate = EventGate(limit=100, max_wait=60.0)
    await gate.wait_for_room()
    assert (gate.waits, gate.overruns) == (0, 0)


class FakeSocket:
    def __init__(self) -> None:
        self.reads: list[dict[str, Any]] = []

    async def receive(self, **kwargs: Any) -> str:
        self.reads.append(kwargs)
        return "frame"


async def test_guarded_connect_gates_every_receive_and_passes_arguments_through() -> None:
    socket = FakeSocket()

    async def ws_connect(url: str, **kwargs: Any) -> FakeSocket:
        assert (url, kwargs) == ("ws://gateway", {"compress": 0})
        return socket

    release = asyncio.Event()
    tasks = busy_tasks(3, release)
    gate = EventGate(limit=len(EventGate.others()), max_wait=60.0)
    connect = gate.guard_connect(ws_connect)
    assert connect.gated  # type: ignore[attr-defined]
    guarded = await connect("ws://gateway", compress=0)
    read = asyncio.create_task(guarded.receive(timeout=5.0))
    await settle()
    assert not read.done() and socket.reads == []  # held before reading the socket
    release.set()
    assert await asyncio.wait_for(read, 60.0) == "frame"
    assert socket.reads == [{"timeout": 5.0}]
    await asyncio.gather(*tasks)


class BufferedSocket:
    """`receive` finds the next frame already there (a backlog) or waits for it."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame
        self.arrived: asyncio.Event | None = None  # None: already buffered

    async def receive(self) -> Any:
        if self.arrived is not None:
            await self.arrived.wait()
        return self.frame


async def test_a_backlog_clears_caught_up_and_waiting_for_data_sets_it() -> None:
    gate = EventGate(limit=100_000, max_wait=60.0)
    socket = gate.guard(BufferedSocket(aiohttp.WSMessage(aiohttp.WSMsgType.TEXT, "{}", None)))
    await socket.receive()
    assert not gate.caught_up.is_set()  # more events were waiting: answers hold back
    socket.arrived = asyncio.Event()
    read = asyncio.create_task(socket.receive())
    await settle()
    assert gate.caught_up.is_set() and not read.done()  # idle reader: answers go on
    socket.arrived.set()
    await read
    assert gate.caught_up.is_set()


@pytest.mark.parametrize("frame", [aiohttp.WSMessage(aiohttp.WSMsgType.CLOSE, 1000, None), None])
async def test_a_close_or_an_error_never_holds_the_answers(frame: Any) -> None:
    gate = EventGate(limit=100_000, max_wait=60.0)
    gate.caught_up.clear()
    socket = BufferedSocket(frame)
    if frame is None:

        async def broken() -> Any:
            raise aiohttp.ClientError("gone")

        socket.receive = broken  # type: ignore[method-assign]
    guarded = gate.guard(socket)
    with contextlib.suppress(aiohttp.ClientError):
        await guarded.receive()
    assert gate.caught_up.is_set()


async def test_queued_questions_count_towards_the_limit() -> None:
    queued = [5]
    gate = EventGate(limit=len(EventGate.others()) + 5, max_wait=60.0, queued=lambda: queued[0])
    waiter = asyncio.create_task(gate.wait_for_room())
    await settle()
    assert not waiter.done() and gate.waits == 1 and gate.caught_up.is_set()
    queued[0] = 3  # answers ran: room again
    await asyncio.wait_for(waiter, 60.0)
    assert gate.overruns == 0

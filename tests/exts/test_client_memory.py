"""What keeps the bot's memory flat under a burst: no message cache, a gated gateway,
and start-up garbage handed back (real client against the fake Discord on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

import bot.client
from bot.client import create_bot
from bot.config import Settings
from bot.gateway_gate import EventGate
from tests.exts.test_gateway_faults import Running, running  # noqa: F401  (fixture)


async def held(gate: EventGate) -> None:
    """Until the gateway reader waits for room (checked on every loop turn, no clock)."""
    while gate.waits == 0:
        await asyncio.sleep(0)


@pytest.mark.parametrize("sharded", [False, True])
def test_the_bot_keeps_no_message_cache(tmp_path: Path, sharded: bool) -> None:
    settings = Settings(db_path=tmp_path / "a.db", shard_count=2 if sharded else None)
    assert create_bot(settings)._connection.max_messages is None


async def test_answered_questions_are_not_kept_in_memory(running: Running) -> None:  # noqa: F811
    question = await running.ask()
    await running.reply_to(question)
    assert list(running.bot.cached_messages) == []


async def test_a_burst_is_read_only_as_fast_as_the_bot_answers(running: Running) -> None:  # noqa: F811
    bot = running.bot
    gate = bot.gateway_gate
    gate.max_wait = 60.0  # never let a read through early in this test
    gate.limit = len(EventGate.others()) + 4  # room for a few questions beyond what runs now
    started: list[int] = []

    async def count(message: object) -> None:
        started.append(1)

    bot.add_listener(count, "on_message")
    answering = threading.Event()
    bot.read_thread.submit(answering.wait)  # every answer waits behind this
    try:
        questions = [await running.ask() for _ in range(12)]
        await running.until(held(gate), "the gate to hold the gateway")
        assert len(started) < len(questions)  # the rest are still unread in the socket
    finally:
        answering.set()
    for question in questions:
        await running.reply_to(question)
    assert len(started) == len(questions) and gate.overruns == 0


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records calls of `release_free_memory` (requested before `running` starts the bot)."""
    calls: list[bool] = []
    release = bot.client.release_free_memory
    monkeypatch.setattr(bot.client, "release_free_memory", lambda: calls.append(release()))
    return calls


async def test_start_up_hands_freed_memory_back(trims: list[bool], running: Running) -> None:  # noqa: F811
    assert len(trims) == 1  # once, after the index is built and the start-up is frozen
    question = await running.ask()
    await running.reply_to(question)  # and the bot answers as before


def test_releasing_freed_memory_is_harmless_anywhere() -> None:
    assert isinstance(bot.client.release_free_memory(), bool)

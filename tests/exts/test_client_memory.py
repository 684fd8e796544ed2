"""What keeps the bot's memory flat under a burst: no message cache, a bounded answer
stage (every event read and acknowledged at once), and start-up garbage handed back
(real client against the fake Discord on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

import bot.client
from bot.answer_stage import AnswerStage
from bot.client import create_bot
from bot.config import Settings
from tests.exts.test_gateway_faults import Running, running  # noqa: F401  (fixture)
from tests.exts.test_real_client import APPLICATION_ID


@pytest.mark.parametrize("sharded", [False, True])
def test_the_bot_keeps_no_message_cache(tmp_path: Path, sharded: bool) -> None:
    settings = Settings(db_path=tmp_path / "a.db", shard_count=2 if sharded else None)
    assert create_bot(settings)._connection.max_messages is None


async def test_answered_questions_are_not_kept_in_memory(running: Running) -> None:  # noqa: F811
    question = await running.ask()
    await running.reply_to(question)
    assert list(running.bot.cached_messages) == []


async def test_a_burst_is_read_and_deferred_at_once_with_few_answers_in_progress(
    running: Running,  # noqa: F811
) -> None:
    """With the read thread blocked, N + k questions and some slash commands: every event
    is read, every slash command deferred, and at most N answers are in progress; the
    questions wait as queued jobs (no task, no `Message`) and are all answered after."""
    bot = running.bot
    bot.answer_stage = AnswerStage(limit=2, reading=bot.gateway_gate.caught_up)
    started: list[int] = []

    async def count(message: object) -> None:
        started.append(1)

    bot.add_listener(count, "on_message")
    answering = threading.Event()
    bot.read_thread.submit(answering.wait)  # every answer waits behind this
    try:
        questions = [await running.ask() for _ in range(6)]
        commands = [running.server.slash_command("about") for _ in range(3)]
        for data in commands:
            await running.server.dispatch("INTERACTION_CREATE", data)
        for data in commands:
            path = f"/interactions/{data['id']}/{data['token']}/callback"
            acked = running.server.wait_for(lambda r, path=path: r.path == path)
            ack = await running.until(acked, "the acknowledgement")
            assert (ack.json or {}).get("type") == 5  # deferred while nothing is answered
        await running.until(read_all(started, len(questions)), "every question to be read")
        stage = bot.answer_stage
        assert stage.in_progress == 2  # the bound: the other answers wait, small
        assert stage.pending >= len(questions) - 2  # queued as jobs, not as tasks
    finally:
        answering.set()
    for question in questions:
        await running.reply_to(question)
    for data in commands:
        followup = f"/webhooks/{APPLICATION_ID}/{data['token']}"
        await running.until(
            running.server.wait_for(lambda r, to=followup: r.path.startswith(to)), "a follow-up"
        )
    assert bot.answer_stage.peak == 2 and bot.gateway_gate.waits == 0


async def read_all(started: list[int], n: int) -> None:
    """Until `n` messages have reached the bot's listeners (every loop turn, no clock)."""
    while len(started) < n:
        await asyncio.sleep(0)


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

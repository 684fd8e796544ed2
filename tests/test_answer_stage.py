"""The answer stage: at most `limit` answers in progress, the rest queued in order, and
no answer started while the gateway reader has a backlog (for at most MAX_HOLD)."""

from __future__ import annotations

import asyncio

import pytest

import bot.answer_stage
from bot.answer_stage import AnswerStage


async def settle() -> None:
    """Let every ready task run until it blocks (a few loop turns, no clock involved)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def until(done) -> None:
    """Run the loop until `done()` holds, failing (not hanging) after many turns."""
    for _ in range(10_000):
        if done():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


class Jobs:
    """Jobs that record when they start and finish only when released."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.done: list[int] = []
        self.release = asyncio.Event()

    def job(self, n: int):
        async def run() -> None:
            self.started.append(n)
            await self.release.wait()
            self.done.append(n)

        return run


async def test_at_most_limit_jobs_run_and_the_rest_wait_in_order() -> None:
    stage, jobs = AnswerStage(limit=3), Jobs()
    for n in range(8):
        stage.submit(jobs.job(n))
    await settle()
    assert jobs.started == [0, 1, 2] and stage.in_progress == 3 and stage.pending == 5
    jobs.release.set()
    await until(lambda: len(jobs.done) == 8)
    assert jobs.started == list(range(8)) and stage.peak == 3 and stage.pending == 0


async def test_slot_holders_and_queued_jobs_share_the_limit() -> None:
    stage, jobs = AnswerStage(limit=2), Jobs()

    async def slash_command() -> None:
        async with stage.slot():
            await jobs.job(99)()

    command = asyncio.create_task(slash_command())
    for n in range(3):
        stage.submit(jobs.job(n))
    await settle()
    assert jobs.started == [99, 0] and stage.in_progress == 2
    jobs.release.set()
    await command
    await until(lambda: len(jobs.done) == 4)
    assert stage.peak == 2


async def test_a_job_queued_as_the_last_worker_returns_still_runs() -> None:
    """The worker's done callback runs a loop turn after it returns: a job queued in
    between must not be left without a worker."""
    stage, ran = AnswerStage(limit=1), []

    async def second() -> None:
        ran.append("second")

    async def first() -> None:
        ran.append("first")
        # Runs after the worker has returned, before its done callback.
        asyncio.get_running_loop().call_soon(stage.submit, second)

    stage.submit(first)
    await until(lambda: ran == ["first", "second"])
    assert stage.pending == 0


async def test_a_failing_job_does_not_stop_the_queue(caplog: pytest.LogCaptureFixture) -> None:
    stage, ran = AnswerStage(limit=1), []

    async def broken() -> None:
        raise RuntimeError("boom")

    async def fine() -> None:
        ran.append(1)

    stage.submit(broken)
    stage.submit(fine)
    await until(lambda: bool(ran))
    assert "an answer job failed" in caplog.text and stage.in_progress == 0


async def test_no_answer_starts_while_the_gateway_has_a_backlog() -> None:
    reading = asyncio.Event()  # cleared: the reader found events already waiting
    stage, jobs = AnswerStage(limit=2, reading=reading), Jobs()
    jobs.release.set()
    stage.submit(jobs.job(1))
    await settle()
    assert jobs.started == [] and stage.pending == 1  # a worker holds a slot, waiting
    reading.set()  # the reader caught up
    await until(lambda: jobs.done == [1])


async def test_a_stalled_reader_holds_answers_only_briefly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.answer_stage, "MAX_HOLD", 0.0)
    stage, jobs = AnswerStage(limit=1, reading=asyncio.Event()), Jobs()  # never caught up
    jobs.release.set()
    stage.submit(jobs.job(1))
    await until(lambda: jobs.done == [1])

"""Every interaction is acknowledged before any database work: with another process
holding the write lock for 6 s (and this bot's database thread queued behind it), every
slash command, autocomplete, form and button is acknowledged within a second, and the
queued answer records are written once the lock is released. SIGTERM closes the bot like
Ctrl-C: the queued records are written.

Real bot (`bot.client.create_bot`) against the fake Discord server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.client import Tradebot, create_bot
from bot.config import Settings
from tests.exts.conftest import HOME_GUILD_ID
from tests.exts.fake_discord import FakeDiscord, Recorded
from tests.exts.test_real_client import (
    APPLICATION_ID,
    BOT_ID,
    CHANNEL_ID,
    STEP_TIMEOUT,
    TOKEN,
    USER_ID,
    until,
)

LOCK_SECONDS = 6.0
ACK_WITHIN = 1.0


class Bot:
    def __init__(self, server: FakeDiscord, bot: Tradebot, task: asyncio.Task[Any]) -> None:
        self.server, self.bot, self.task = server, bot, task

    async def until(self, awaitable: Any, what: str) -> Any:
        return await until(self.task, awaitable, what)

    async def interact(self, data: dict[str, Any]) -> float:
        """Send an interaction; return when it was sent (perf_counter)."""
        sent = time.perf_counter()
        await self.server.dispatch("INTERACTION_CREATE", data)
        return sent

    async def ack_of(self, data: dict[str, Any]) -> Recorded:
        path = f"/interactions/{data['id']}/{data['token']}/callback"
        return await self.until(
            self.server.wait_for(lambda r: r.path == path), f"the ack of {data['data']}"
        )


@pytest.fixture
async def running(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Bot]:
    server = FakeDiscord(
        bot_id=BOT_ID,
        application_id=APPLICATION_ID,
        guild_id=HOME_GUILD_ID,
        channel_id=CHANNEL_ID,
        user_id=USER_ID,
    )
    await server.start()
    server.patch_discord(monkeypatch)
    bot = create_bot(
        Settings(
            discord_token=TOKEN,
            db_path=tmp_path / "bot.db",
            home_guild_id=HOME_GUILD_ID,
            sync_on_start=False,
            question_cooldown_seconds=0,
        )
    )
    bot._connection.guild_ready_timeout = 0.1

    async def run() -> None:  # what `bot.run` (`tradebot run`) does
        async with bot:
            await bot.start(TOKEN)

    task = asyncio.create_task(run(), name="tradebot")
    try:
        await until(task, bot.wait_until_ready(), "the bot to be ready")
        yield Bot(server, bot, task)
    finally:
        if not task.done():
            await bot.close()
            try:
                await asyncio.wait_for(task, STEP_TIMEOUT)
            except TimeoutError:
                task.cancel()
        await server.close()


def answers_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM answers").fetchone()[0]


def command(server: FakeDiscord, name: str, *, kind: int = 2, **options: Any) -> dict[str, Any]:
    """A slash command (kind 2) or an autocomplete request (kind 4, option `focus`)."""
    data = server.slash_command(name, **{k: v for k, v in options.items() if k != "focus"})
    data["type"] = kind
    for option in data["data"]["options"]:
        option["focused"] = option["name"] == options.get("focus")
    return data


def fact_command(
    server: FakeDiscord, sub: str, *, kind: int = 2, focus: str | None = None, **options: str
) -> dict[str, Any]:
    """/fact <sub> in the home guild (a guild command, run by an administrator)."""
    data = server.slash_command("fact")
    data["type"] = kind
    data["data"]["guild_id"] = str(HOME_GUILD_ID)
    data["data"]["options"] = [
        {
            "type": 1,
            "name": sub,
            "options": [
                {"name": k, "type": 3, "value": v, "focused": k == focus}
                for k, v in options.items()
            ],
        }
    ]
    return data


def button(server: FakeDiscord, custom_id: str) -> dict[str, Any]:
    data = server.slash_command("unused")
    data["type"] = 3
    data["data"] = {"custom_id": custom_id, "component_type": 2}
    data["message"] = server.message_payload(
        {"content": ""},
        channel_id=CHANNEL_ID,
        author=server.bot_user,
        components=[
            {
                "type": 1,
                "components": [{"type": 2, "custom_id": custom_id, "style": 3, "label": "Helpful"}],
            }
        ],
    )
    return data


def hold_write_lock(path: Path, held: threading.Event, seconds: float) -> threading.Thread:
    """Another process's writer: BEGIN IMMEDIATE, kept for `seconds`."""

    def run() -> None:
        conn = sqlite3.connect(path)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        conn.rollback()
        conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


async def test_everything_is_acknowledged_while_another_process_writes(
    running: Bot, tmp_path: Path
) -> None:
    server, db = running.server, tmp_path / "bot.db"
    first = command(server, "ask", question="US tariff on Chinese goods on 1 June 2025")
    await running.interact(first)
    await running.ack_of(first)
    await running.until(server.wait_for(lambda r: "/webhooks/" in r.path), "the first answer")
    recorder = running.bot.recorder
    await running.until(
        asyncio.to_thread(_wait_for, lambda: recorder.pending == 0), "the first flush"
    )
    [block] = {answer_id >> 32 for answer_id in running.bot.recorder._recent}
    custom_id = f"tb:fb:helpful:{next(iter(running.bot.recorder._recent))}"

    held = threading.Event()
    holder = hold_write_lock(db, held, LOCK_SECONDS)
    assert await asyncio.to_thread(held.wait, 5)
    start = time.perf_counter()
    interactions = [
        command(server, "ask", question="what is the US tariff on Japanese cars?"),
        command(server, "rate", importer="US", exporter="CN"),
        command(server, "status", parties="CN"),
        command(server, "rulings"),
        command(server, "deadlines"),
        command(server, "timeline", importer="US", exporter="CN"),
        command(server, "sources", fact="us-cn-tariff-30"),
        command(server, "about"),
        command(server, "rate", kind=4, importer="", focus="importer"),
        command(server, "rate", kind=4, importer="US", exporter="ch", focus="exporter"),
        command(server, "status", kind=4, parties="", focus="parties"),
        command(server, "sources", kind=4, fact="tariff-30", focus="fact"),
        fact_command(server, "edit", kind=4, focus="fact", fact="tariff-30", reason="x"),
        fact_command(server, "source-edit", kind=4, focus="source", source="britishwire"),
        fact_command(server, "edit", fact="us-cn-tariff-30", reason="a new order"),
        button(server, custom_id),
    ]
    late = []
    for data in interactions:
        sent = await running.interact(data)
        ack = await running.ack_of(data)
        if ack.at - sent > ACK_WITHIN:
            late.append((data["data"].get("name") or data["data"]["custom_id"], ack.at - sent))
    assert holder.is_alive(), "the lock was released before every interaction was done"
    assert time.perf_counter() - start < LOCK_SECONDS
    assert late == []
    kinds = {(r.json or {}).get("type") for r in server.requests if r.path.endswith("/callback")}
    assert {5, 8, 9} <= kinds  # deferred, autocomplete choices, the edit form
    offered = [  # /fact source-edit's choices come from the index, not the locked file
        choice["value"]
        for r in server.requests
        if r.path.endswith("/callback") and (r.json or {}).get("type") == 8
        for choice in r.json["data"]["choices"]
    ]
    assert "britishwire-2025-05-30" in offered
    assert block >= 1
    before = answers_in(db)
    await asyncio.to_thread(holder.join, LOCK_SECONDS + 1)
    await running.until(
        server.wait_for(lambda r: "/webhooks/" in r.path and "glad it helped" in str(r.json)),
        "the feedback's thanks once the lock is free",
    )
    await running.until(
        asyncio.to_thread(_wait_for, lambda: answers_in(db) > before),
        "the queued answer records",
    )


def _wait_for(condition: Any, timeout: float = STEP_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    raise AssertionError("condition not met")


async def test_sigterm_closes_the_bot_and_writes_queued_records(
    running: Bot, tmp_path: Path
) -> None:
    loop = asyncio.get_running_loop()
    assert signal.SIGTERM in loop._signal_handlers  # type: ignore[attr-defined]
    server = running.server
    question = command(server, "ask", question="US tariff on Chinese goods on 1 June 2025")
    await running.interact(question)
    await running.until(server.wait_for(lambda r: "/webhooks/" in r.path), "the answer")
    assert running.bot.recorder.pending == 1  # queued, not yet written
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(running.task, STEP_TIMEOUT)
    assert answers_in(tmp_path / "bot.db") == 1
    assert signal.SIGTERM not in loop._signal_handlers  # type: ignore[attr-defined]

"""One end-to-end test of the real client: `bot.start()` against a fake Discord on 127.0.0.1.

Unlike the simcord tests, nothing in discord.py is replaced: the bot logs in over HTTP,
identifies over a real websocket, parses real gateway payloads and answers with real REST
requests, all served by `tests.exts.fake_discord` (no network beyond the loopback).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest

from bot.client import create_bot
from bot.config import Settings
from tests.exts.conftest import HOME_GUILD_ID
from tests.exts.fake_discord import FakeDiscord, Recorded

T = TypeVar("T")

BOT_ID = 1_100_000_000_000_000_001
APPLICATION_ID = 1_100_000_000_000_000_002  # distinct from BOT_ID to catch mix-ups
CHANNEL_ID = 1_100_000_000_000_000_003
USER_ID = 1_100_000_000_000_000_004
TOKEN = "fake-token"
STEP_TIMEOUT = 10.0


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch):
    server = FakeDiscord(
        bot_id=BOT_ID,
        application_id=APPLICATION_ID,
        guild_id=HOME_GUILD_ID,
        channel_id=CHANNEL_ID,
        user_id=USER_ID,
    )
    await server.start()
    server.patch_discord(monkeypatch)
    try:
        yield server
    finally:
        await server.close()


async def until(bot_task: asyncio.Task[Any], awaitable: Awaitable[T], what: str) -> T:
    """Await `awaitable`, but fail at once if the bot stops, and after STEP_TIMEOUT at most."""
    waiter = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait(
        {bot_task, waiter}, timeout=STEP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter in done:
        return waiter.result()
    waiter.cancel()
    if bot_task in done:
        bot_task.result()  # re-raises the bot's crash, if any
        pytest.fail(f"the bot stopped while waiting for {what}")
    pytest.fail(f"timed out after {STEP_TIMEOUT:.0f} s waiting for {what}")


def embed_text(data: dict[str, Any]) -> str:
    """Description, field values and footer of the single embed of a message body."""
    [embed] = data["embeds"]
    return "\n".join(
        [
            embed.get("description") or "",
            *(f["value"] for f in embed.get("fields", [])),
            (embed.get("footer") or {}).get("text", ""),
        ]
    )


def assert_no_pings(data: dict[str, Any]) -> None:
    mentions = data.get("allowed_mentions")
    assert mentions is not None and mentions.get("parse") == [], data
    assert not mentions.get("users") and not mentions.get("roles"), mentions
    assert mentions.get("replied_user") in (None, False), mentions


def is_followup(interaction: dict[str, Any]) -> Callable[[Recorded], bool]:
    """A follow-up or an edit of the original response, for this interaction's token."""
    prefix = f"/webhooks/{APPLICATION_ID}/{interaction['token']}"

    def match(r: Recorded) -> bool:
        return (r.method, r.path) in {("POST", prefix), ("PATCH", prefix + "/messages/@original")}

    return match


async def slash(
    server: FakeDiscord, bot_task: asyncio.Task[Any], name: str, **options: str
) -> dict[str, Any]:
    """Run `/name` as the user; check the bot deferred first, and return the follow-up body."""
    interaction = server.slash_command(name, **options)
    await server.dispatch("INTERACTION_CREATE", interaction)
    followup = await until(bot_task, server.wait_for(is_followup(interaction)), f"/{name}")
    [callback] = [
        r
        for r in server.requests
        if r.path == f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    ]
    assert callback.method == "POST" and callback.json["type"] == 5, callback  # deferred
    assert server.requests.index(callback) < server.requests.index(followup)
    assert_no_pings(followup.json)
    return followup.json


async def test_real_client_end_to_end(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    server = fake_discord

    # The fake's JSON must carry the exact content type discord.py parses as JSON.
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.api_base + "/gateway/bot") as response,
    ):
        assert response.headers["Content-Type"] == "application/json"

    bot = create_bot(
        Settings(
            discord_token=TOKEN,
            db_path=tmp_path / "bot.db",
            home_guild_id=HOME_GUILD_ID,
            sync_on_start=False,
            question_cooldown_seconds=0,
        )
    )
    # After READY, discord.py waits this long for further GUILD_CREATEs (default 2 s).
    bot._connection.guild_ready_timeout = 0.1
    bot_task = asyncio.create_task(bot.start(TOKEN), name="tradebot")
    try:
        # 1. Login, IDENTIFY, READY + GUILD_CREATE: the bot is ready and sees the guild.
        await until(bot_task, server.identified.wait(), "IDENTIFY")
        await until(bot_task, bot.wait_until_ready(), "the bot to be ready")
        assert bot.user is not None and bot.user.id == BOT_ID
        assert bot.application_id == APPLICATION_ID
        guild = bot.get_guild(HOME_GUILD_ID)
        assert guild is not None and guild.get_channel(CHANNEL_ID) is not None
        assert server.identify is not None
        assert server.identify["token"] == TOKEN
        assert server.identify["intents"] == bot.intents.value
        [login] = [r for r in server.requests if r.path == "/users/@me"]
        assert login.headers["Authorization"] == f"Bot {TOKEN}"

        # 2. A question that mentions the bot: a reply with the rate, pinging no one.
        question = server.user_message(
            f"<@{BOT_ID}> what is the US tariff on Chinese goods on 1 June 2025?",
            mentions_bot=True,
        )
        await server.dispatch("MESSAGE_CREATE", question)
        reply = await until(
            bot_task,
            server.wait_for(
                lambda r: (r.method, r.path) == ("POST", f"/channels/{CHANNEL_ID}/messages")
            ),
            "the reply to the mention",
        )
        assert "30%" in reply.json["embeds"][0]["description"]
        assert str(reply.json["message_reference"]["message_id"]) == question["id"]
        assert reply.json["allowed_mentions"]["parse"] == []
        assert_no_pings(reply.json)

        # 3. Slash commands: deferred, then answered through a follow-up.
        about = await slash(server, bot_task, "about")
        assert "I track" in embed_text(about)
        rate = await slash(
            server, bot_task, "rate", importer="US", exporter="CN", date="2025-06-01"
        )
        assert "30%" in embed_text(rate)

        assert server.unknown == [], "the bot called routes the fake does not serve"

        # 4. A clean shutdown: start() returns once the bot is closed.
        await bot.close()
        await until(bot_task, asyncio.shield(bot_task), "the bot to stop")
        assert bot_task.exception() is None
    finally:
        if not bot_task.done():
            await bot.close()
            try:
                await asyncio.wait_for(bot_task, STEP_TIMEOUT)
            except TimeoutError:
                bot_task.cancel()

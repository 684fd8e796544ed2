"""The real client keeps answering through gateway and REST faults (fake Discord on 127.0.0.1).

Each test starts the real bot (`bot.client.create_bot`) against `tests.exts.fake_discord`,
checks a question is answered, injects one fault, and checks the bot answers afterwards:

* the gateway drops (close 1001 / 4000, an aborted TCP connection, op 7 RECONNECT): the bot
  RESUMEs, the question sent while it was away is replayed and answered exactly once;
* the session cannot be resumed (INVALID_SESSION): the bot identifies again;
* a 429 on the reply: discord.py waits `retry_after` and sends it again;
* a 500 on the reply: retried after discord.py's 1 s backoff; a persistent 500 on one reply
  (five tries, then `DiscordServerError`, logged) does not stop the next question's reply.

Every wait is bounded and raced against the bot task (`until`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord.http
import discord.webhook.async_
import pytest

from bot.client import Tradebot, create_bot
from bot.config import Settings
from tests.exts.conftest import HOME_GUILD_ID
from tests.exts.fake_discord import FakeDiscord, Recorded, rate_limited, server_error
from tests.exts.test_real_client import (
    APPLICATION_ID,
    BOT_ID,
    CHANNEL_ID,
    STEP_TIMEOUT,
    TOKEN,
    USER_ID,
    is_followup,
    until,
)

MESSAGES = r"/channels/\d+/messages"
WEBHOOK = r"/webhooks/\d+/[^/]+"  # interaction follow-ups (POST)
QUESTION = f"<@{BOT_ID}> what is the US tariff on Chinese goods on 1 June 2025?"


@dataclass
class Running:
    server: FakeDiscord
    bot: Tradebot
    task: asyncio.Task[Any]
    identify_hooks: list[bool]  # `initial` of each before_identify_hook call

    async def until(self, awaitable: Any, what: str) -> Any:
        return await until(self.task, awaitable, what)

    async def ask(self, text: str = QUESTION) -> dict[str, Any]:
        """Send a mention question; return the MESSAGE_CREATE data (not waiting for a reply)."""
        question = self.server.user_message(text, mentions_bot=True)
        await self.server.dispatch("MESSAGE_CREATE", question)
        return question

    async def reply_to(self, question: dict[str, Any]) -> Recorded:
        """The bot's successful reply to `question`, waiting (bounded) for it."""
        return await self.until(
            self.server.wait_for(lambda r: is_reply(r, question) and r.status == 200),
            f"the reply to message {question['id']}",
        )


def is_reply(request: Recorded, question: dict[str, Any]) -> bool:
    """A reply (any status) to the message `question`."""
    if (request.method, request.path) != ("POST", f"/channels/{CHANNEL_ID}/messages"):
        return False
    reference = (request.json or {}).get("message_reference") or {}
    return str(reference.get("message_id")) == question["id"]


def attempts(server: FakeDiscord, match: Callable[[Recorded], bool]) -> list[Recorded]:
    return [r for r in server.requests if match(r)]


@pytest.fixture
async def running(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Running]:
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
    bot._connection.guild_ready_timeout = 0.1  # discord.py waits this long after READY
    hooks: list[bool] = []

    async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py sleeps 5 s before every IDENTIFY but the first; record, don't sleep.
        hooks.append(initial)

    bot.before_identify_hook = before_identify_hook  # type: ignore[method-assign]
    task = asyncio.create_task(bot.start(TOKEN), name="tradebot")
    try:
        await until(task, bot.wait_until_ready(), "the bot to be ready")
        yield Running(server, bot, task, hooks)
        assert server.unknown == [], "the bot called routes the fake does not serve"
        assert not task.done(), "the bot stopped"
    finally:
        if not task.done():
            await bot.close()
            try:
                await asyncio.wait_for(task, STEP_TIMEOUT)
            except TimeoutError:
                task.cancel()
        await server.close()


class ScaledSleep:
    """The `asyncio` module as one discord.py module sees it, with `sleep` scaled down.

    Only discord.py's retry backoff (1, 3, 5, 7, 9 s on a 5xx) is shortened; the requested
    delays are kept in `requested`."""

    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.requested: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float, result: Any = None) -> Any:
        self.requested.append(delay)
        return await asyncio.sleep(delay * self.factor, result)


# ---- gateway -------------------------------------------------------------------------------


async def drop(server: FakeDiscord, how: str) -> None:
    if how == "op7-reconnect":
        await server.request_reconnect()
    elif how == "abort":
        await server.drop_gateway(code=None)
    else:
        await server.drop_gateway(code=int(how.removeprefix("close-")))


@pytest.mark.parametrize("how", ["close-1001", "close-4000", "abort", "op7-reconnect"])
async def test_gateway_drop_resumes_and_answers(running: Running, how: str) -> None:
    server, bot = running.server, running.bot
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed)
    await running.reply_to(await running.ask())
    session = server.session_id
    last_seq = bot.ws.sequence

    # The connection drops; a question arrives while the bot is away.
    await running.until(drop(server, how), f"the gateway to drop ({how})")
    missed = await running.ask()
    await running.until(resumed.wait(), "the bot to RESUME")

    [resume] = [d for what, d in server.gateway_log if what == "resume"]
    assert resume == {"token": TOKEN, "session_id": session, "seq": last_seq}
    assert [what for what, _ in server.gateway_log].count("identify") == 1  # no new session
    assert running.identify_hooks == [True]

    # The missed question was replayed on RESUME and is answered once; so is a new one.
    await running.reply_to(missed)
    await running.reply_to(await running.ask())
    await asyncio.sleep(0.05)  # a duplicate reply would have been sent by now
    assert len(attempts(server, lambda r: is_reply(r, missed))) == 1


async def test_gateway_invalid_session_identifies_again(running: Running) -> None:
    server, bot = running.server, running.bot
    ready_again = asyncio.Event()

    async def on_ready() -> None:  # only READYs after this point: the new session's
        ready_again.set()

    bot.add_listener(on_ready)
    await running.reply_to(await running.ask())
    first_session = server.session_id

    server.resume_mode = "invalidate"
    await running.until(server.drop_gateway(4000), "the gateway to drop")
    # RESUME -> INVALID_SESSION (d: false) -> a fresh IDENTIFY, READY and GUILD_CREATE.
    await running.until(ready_again.wait(), "the bot to identify again and be ready")
    assert [w for w, _ in server.gateway_log if w in ("identify", "resume", "invalidate")] == [
        "identify",
        "resume",
        "invalidate",
        "identify",
    ]
    assert server.session_id != first_session
    assert running.identify_hooks == [True, False]  # discord.py would sleep 5 s here
    assert bot.get_guild(HOME_GUILD_ID) is not None

    await running.reply_to(await running.ask())


# ---- REST: 429 -----------------------------------------------------------------------------


async def test_rate_limited_reply_is_retried_after_retry_after(running: Running) -> None:
    server = running.server
    fault = server.inject(rate_limited("POST", MESSAGES, retry_after=0.1, times=1))

    question = await running.ask()
    reply = await running.reply_to(question)

    [limited, retried] = attempts(server, lambda r: is_reply(r, question))
    assert (limited.status, retried.status) == (429, 200) and retried is reply
    assert fault.hits == 1
    assert retried.at - limited.at >= 0.095  # discord.py waited retry_after (0.1 s)
    assert retried.json == limited.json  # the same reply, sent again
    assert "30%" in reply.json["embeds"][0]["description"]

    await running.reply_to(await running.ask())  # and the bot goes on answering


async def test_rate_limited_slash_followup_is_retried(running: Running) -> None:
    server = running.server
    fault = server.inject(rate_limited("POST", WEBHOOK, retry_after=0.1, times=1))

    interaction = server.slash_command("about")
    await server.dispatch("INTERACTION_CREATE", interaction)
    followup = await running.until(
        server.wait_for(lambda r: is_followup(interaction)(r) and r.status == 200),
        "the /about follow-up",
    )
    [limited, retried] = attempts(server, is_followup(interaction))
    assert (limited.status, retried is followup, fault.hits) == (429, True, 1)
    assert retried.at - limited.at >= 0.095
    assert "I track" in followup.json["embeds"][0]["description"]


# ---- REST: 5xx -----------------------------------------------------------------------------


async def test_server_error_once_is_retried(running: Running) -> None:
    """discord.py retries a 500 after 1 s (real time: this test takes about a second)."""
    server = running.server
    server.inject(server_error("POST", MESSAGES, status=500, times=1))

    question = await running.ask()
    reply = await running.reply_to(question)
    [failed, retried] = attempts(server, lambda r: is_reply(r, question))
    assert (failed.status, retried.status, retried is reply) == (500, 200, True)
    assert retried.at - failed.at >= 0.95  # discord.py's first backoff step: 1 s


@pytest.mark.parametrize("status", [500, 502])
async def test_persistent_server_error_on_one_reply_then_next_is_answered(
    running: Running,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    """Five tries with backoff 1+3+5+7+9 s, then `DiscordServerError`, caught and logged.

    The backoff is scaled down 100x (asyncio.sleep as seen by discord.http only)."""
    server = running.server
    sleep = ScaledSleep(0.01)
    monkeypatch.setattr(discord.http, "asyncio", sleep)
    caplog.set_level(logging.WARNING, logger="tradebot.questions")

    doomed = await running.ask()
    server.inject(
        server_error(
            "POST", MESSAGES, status=status, times=None, when=lambda r: is_reply(r, doomed)
        )
    )
    await running.until(
        server.wait_until(lambda: len(attempts(server, lambda r: is_reply(r, doomed))) == 5),
        "five tries of the doomed reply",
    )
    await running.until(
        _logged(caplog, "could not reply"),
        "the bot to give up on the reply and log it",
    )
    tries = attempts(server, lambda r: is_reply(r, doomed))
    assert [r.status for r in tries] == [status] * 5
    assert [d for d in sleep.requested if d >= 1] == [1, 3, 5, 7, 9]
    [record] = [r for r in caplog.records if "could not reply" in r.getMessage()]
    assert isinstance(record.exc_info[1], discord.DiscordServerError)

    await running.reply_to(await running.ask())  # the next question is answered


async def test_persistent_server_error_on_slash_followup_then_next_is_answered(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The follow-up fails five times; the error handler's apology (same webhook) fails too;
    both are logged, and the next command is answered."""
    server = running.server
    sleep = ScaledSleep(0.01)
    monkeypatch.setattr(discord.webhook.async_, "asyncio", sleep)
    caplog.set_level(logging.WARNING, logger="tradebot.errors")

    doomed = server.slash_command("about")
    server.inject(server_error("POST", WEBHOOK, times=None, when=is_followup(doomed)))
    await server.dispatch("INTERACTION_CREATE", doomed)
    await running.until(
        _logged(caplog, "could not tell the user about an error"),
        "the bot to give up on /about and its apology",
    )
    tries = attempts(server, is_followup(doomed))
    assert len(tries) == 10 and {r.status for r in tries} == {500}  # follow-up, then apology
    assert tries[-1].json["flags"] & 64  # the apology was ephemeral
    assert any("command /about failed" in r.getMessage() for r in caplog.records)

    following = server.slash_command("about")
    await server.dispatch("INTERACTION_CREATE", following)
    followup = await running.until(
        server.wait_for(lambda r: is_followup(following)(r) and r.status == 200),
        "the next /about follow-up",
    )
    assert "I track" in followup.json["embeds"][0]["description"]


async def _logged(caplog: pytest.LogCaptureFixture, text: str) -> None:
    """Poll the captured log (every 10 ms) until a record contains `text`; callers bound it."""
    while not any(text in r.getMessage() for r in caplog.records):
        await asyncio.sleep(0.01)

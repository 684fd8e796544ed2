"""`tradebot sync` does what it says: global commands, plus /fact and /review in the home
guild — through discord.py's real HTTP client against the fake Discord server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.client import create_bot
from bot.config import Settings
from tests.exts.conftest import HOME_GUILD_ID
from tests.exts.fake_discord import FakeDiscord

APPLICATION_ID = 1_200_000_000_000_000_002


def _echo_commands(request, match, body):
    return [
        {
            **c,
            "id": str(1_300_000_000_000_000_000 + i),
            "application_id": str(APPLICATION_ID),
            "version": "1",
            "default_member_permissions": c.get("default_member_permissions"),
            "type": c.get("type", 1),
        }
        for i, c in enumerate(body or [])
    ]


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch):
    fake = FakeDiscord(
        bot_id=1_200_000_000_000_000_001,
        application_id=APPLICATION_ID,
        guild_id=HOME_GUILD_ID,
        channel_id=1_200_000_000_000_000_003,
        user_id=1_200_000_000_000_000_004,
    )
    fake._routes.append(
        ("PUT", re.compile(r"/applications/(\d+)(/guilds/\d+)?/commands"), _echo_commands)
    )
    await fake.start()
    fake.patch_discord(monkeypatch)
    try:
        yield fake
    finally:
        await fake.close()


async def test_sync_registers_global_and_home_guild_commands(server, tmp_path: Path) -> None:
    bot = create_bot(
        Settings(
            discord_token="fake-token",
            db_path=tmp_path / "bot.db",
            home_guild_id=HOME_GUILD_ID,
            sync_on_start=False,
        )
    )
    async with bot:
        await bot.login("fake-token")  # runs setup_hook: store, extensions, no sync
        assert not [r for r in server.requests if r.method == "PUT"]
        synced = await bot.sync_commands()
    puts = {r.path: {c["name"] for c in r.json} for r in server.requests if r.method == "PUT"}
    assert puts[f"/applications/{APPLICATION_ID}/commands"] >= {
        "rate",
        "status",
        "rulings",
        "deadlines",
        "timeline",
        "sources",
        "ask",
        "about",
        "chart",
        "watch",
        "unwatch",
    }
    assert puts[f"/applications/{APPLICATION_ID}/guilds/{HOME_GUILD_ID}/commands"] == {
        "fact",
        "review",
    }
    assert synced == {"global": 11, str(HOME_GUILD_ID): 2}

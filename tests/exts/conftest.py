"""A simcord environment running the real bot (discord.py's own code, offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.client import create_bot
from bot.config import Settings

HOME_GUILD_ID = 1_000_000_000_000_001


@pytest.fixture
def bot_settings(tmp_path: Path) -> Settings:
    return Settings(
        discord_token=None,
        db_path=tmp_path / "bot.db",
        home_guild_id=HOME_GUILD_ID,
        moderator_role_ids=[],
        answer_channel_ids=[],
        sync_on_start=True,
        question_cooldown_seconds=0,
    )


@pytest.fixture
def simcord_bot(bot_settings: Settings):
    return create_bot(bot_settings)


@pytest.fixture
async def world(simcord_env):
    """The home guild with a channel, a moderator (by role), an admin and a plain member."""
    import discord

    env = simcord_env
    guild = env.create_guild("Home", id=HOME_GUILD_ID)
    channel = guild.create_text_channel("trade")
    mod_role = guild.create_role("Fact keepers")
    env.bot.settings.moderator_role_ids.append(mod_role.id)
    admin_role = guild.create_role(
        "Admins", permissions=discord.Permissions(manage_guild=True, manage_channels=True)
    )

    class World:
        pass

    w = World()
    w.env, w.guild, w.channel = env, guild, channel
    w.mod = guild.add_member(env.create_user("mod"), roles=[mod_role])
    w.admin = guild.add_member(env.create_user("admin"), roles=[admin_role])
    w.member = guild.add_member(env.create_user("member"))
    w.store = env.bot.store
    # A server admin lets the moderator role see /fact (Server Settings -> Integrations);
    # Discord's default_permissions alone would hide it from role-based moderators.
    commands = {
        c.name: c for c in await env.bot.tree.fetch_commands(guild=discord.Object(id=HOME_GUILD_ID))
    }
    w.fact_command_id = commands["fact"].id
    w.review_command_id = commands["review"].id
    for command in commands.values():
        guild.set_command_permissions(command.id, {mod_role: True})
    return w

"""`tradebot run` and `tradebot sync`: the Discord doors of the command line.

Only these import discord.py and pydantic (bot.client, bot.config), and only when they
run, so every other command starts without them. bot.cli registers both commands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bot.cli_common import EXIT_BAD_INPUT, EXIT_FAILED, db_option, fail
from bot.store.location import StoreLocationError, check_location


def discord_settings(db_path: Path | None) -> Any:
    """The settings `run` and `sync` need, checked before anything connects: bad
    variables (one line each) and a database path that cannot work are exit 2."""
    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        for line in exc.lines:
            click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if db_path is not None:
        settings = settings.model_copy(update={"db_path": db_path})
    try:
        check_location(settings.db_path)
    except StoreLocationError as exc:
        fail(str(exc))
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        fail(
            "DISCORD_TOKEN is not set: put it in .env or the environment (see .env.example)",
            EXIT_FAILED,
        )
    return settings


def configure_logging(level: str) -> None:
    import logging

    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@click.command()
@db_option
def run(db_path: Path | None) -> None:
    """Start the Discord bot (needs DISCORD_TOKEN)."""
    settings = discord_settings(db_path)
    configure_logging(settings.log_level)
    from bot.client import create_bot

    bot = create_bot(settings)
    token = settings.discord_token.get_secret_value()
    try:
        bot.run(token, log_handler=None)
    except Exception as exc:  # discord.LoginFailure, PrivilegedIntentsRequired, network
        fail(f"the bot stopped: {type(exc).__name__}: {exc}", EXIT_FAILED)


@click.command()
@click.option(
    "--guild",
    "guild_id",
    type=int,
    default=None,
    help="Also sync the moderator commands to this guild (default: the home guild).",
)
@db_option
def sync(guild_id: int | None, db_path: Path | None) -> None:
    """Register the slash commands with Discord (run after adding or changing commands)."""
    settings = discord_settings(db_path)
    configure_logging(settings.log_level)
    import asyncio

    from bot.client import create_bot

    async def do_sync() -> dict[str, int]:
        bot = create_bot(settings.model_copy(update={"sync_on_start": False}))
        async with bot:
            await bot.login(settings.discord_token.get_secret_value())
            return await bot.sync_commands(guild_id)

    try:
        synced = asyncio.run(do_sync())
    except Exception as exc:
        fail(f"sync failed: {type(exc).__name__}: {exc}", EXIT_FAILED)
    for scope, count in synced.items():
        click.echo(f"synced {count} command(s) to {scope}")

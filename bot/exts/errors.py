"""One error handler for every slash command and component.

What the user sees, in priority order: a moderator-only refusal; a cooldown; bad input
(names the field and what to do); an edit conflict; a missing fact; anything else is
logged with its traceback and the user gets a short apology. Always ephemeral, and an
exception never stops the bot.

The message is Discord markdown: our own words may use **bold**, and every value in it
that someone typed or stored (a party name, a reason, a store error quoting a fact) is
escaped with `bot.safe_text.for_discord` — by whoever raises `BadOption`, and here for
store and validation errors, whose messages are plain text.
"""

from __future__ import annotations

import logging
import sqlite3

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.render import error_text
from bot.safe_text import for_discord
from bot.store import ConflictError, NotFoundError, StoreError, ValidationError

log = logging.getLogger("tradebot.errors")


class NotModerator(app_commands.CheckFailure):
    """The user may not change facts."""


class BadOption(app_commands.AppCommandError):
    """A submitted option value that autocomplete did not (or could not) guarantee. Its
    message is markdown: escape the typed value in it with `for_discord`."""


def describe(error: BaseException) -> str | None:
    """The message for a user-facing error, or None for an unexpected one."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, NotModerator):
        return str(error) or "Only moderators of the home server can change facts."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, BadOption):
        return str(error)
    if isinstance(error, ValidationError):
        lines = "\n".join(f"• **{e.field}**: {for_discord(e.message)}" for e in error.errors)
        return f"Nothing was changed. Please fix:\n{lines}"
    if isinstance(error, ConflictError | NotFoundError | StoreError):
        return for_discord(str(error))
    if isinstance(error, sqlite3.Error):
        log.error("the fact store failed", exc_info=error)
        return (
            "The fact store could not be used just now; nothing was changed. "
            "Please try again later."
        )
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"'{for_discord(str(error.value))}' is not a valid value for this option."
    return None


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    text = error_text(text)
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=none)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=none)


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    message = describe(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command /%s failed", command, exc_info=error)
        message = "Something went wrong on my side; it has been logged. Please try again later."
    try:
        await send_ephemeral(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


async def setup(bot: commands.Bot) -> None:
    bot.tree.on_error = on_app_command_error  # type: ignore[method-assign]

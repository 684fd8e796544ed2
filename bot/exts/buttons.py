"""Buttons that outlive the process and act for moderators only.

A `ModeratorButton` is a discord.py dynamic item: its custom id carries the key it acts
on ("tb:due:ended:<fact id>", "tb:lead:dismiss:<document number>"), so a button posted
before a restart still works after it. Every click checks the moderator permission in
code (Discord's own command permissions do not cover buttons) before `act` runs.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.exts.errors import send_ephemeral
from bot.exts.moderation import is_moderator


class ModeratorButton(discord.ui.DynamicItem[discord.ui.Button], template=r"tb:base:(?P<key>.+)"):
    """Subclasses set `prefix` (the custom id before the key), `label`, `style`, the
    `refused` line and a `template` whose group `key` matches the key; `act` does the work."""

    prefix: ClassVar[str] = ""
    label: ClassVar[str] = ""
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary
    refused: ClassVar[str] = "Only moderators of the home server can do this; nothing was changed."

    def __init__(self, key: str) -> None:
        super().__init__(
            discord.ui.Button(label=self.label, style=self.style, custom_id=f"{self.prefix}:{key}")
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ModeratorButton:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: Any = interaction.client
        if not is_moderator(interaction, bot.settings):
            await send_ephemeral(interaction, self.refused)
            return
        await self.act(interaction, bot)

    async def act(self, interaction: discord.Interaction, bot: Any) -> None:
        raise NotImplementedError

"""/fact source-edit|source-history — moderators correct a source's title, publisher or date.

The Discord door to `FactStore.edit_source`, which `tradebot sources edit` also uses: every
edit is an append-only source revision (who, when, why, before → after) that
`tradebot sources history`, /fact source-history, each citing fact's history and the
/watch channels show. The URL is the source's identity and is never edited.

The two commands join the `/fact` group of `bot.exts.moderation` (moderation.py is long
enough), so they are registered in the home guild only, like the rest of /fact, and this
cog checks `require_moderator` on every call (Discord's `default_permissions` only hides
commands). Autocomplete reads the in-memory fact index, never waits for the database
thread, so it answers even while another process holds the write lock.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.errors import send_ephemeral
from bot.exts.lookups import MAX_CHOICES
from bot.exts.moderation import NONE, Moderation, author_of, is_moderator, require_moderator
from bot.present import source_revision_line
from bot.safe_text import for_discord, plain
from bot.store import NotFoundError, Source, ValidationError
from bot.store.model import SourceRevision

log = logging.getLogger("tradebot.source_moderation")
HISTORY_SHOWN = 10  # newest edits in one reply (Discord allows 2,000 characters)


def source_choices(sources: dict[str, Source], current: str) -> list[app_commands.Choice[str]]:
    """Sources whose id, title or publisher contains what was typed, newest first (≤ 25).
    Labels are stored text: `plain`, as a choice label shows no markdown."""
    text = current.casefold().strip()
    newest_first = sorted(sources.values(), key=lambda s: (s.published, s.id), reverse=True)
    out = []
    for source in newest_first:
        if text and not any(
            text in v.casefold() for v in (source.id, source.title, source.publisher)
        ):
            continue
        label = f"{source.id} — {source.publisher}: {source.title}"
        out.append(app_commands.Choice(name=plain(label, newlines=False)[:100], value=source.id))
        if len(out) == MAX_CHOICES:
            break
    return out


def edit_confirmation(rev: SourceRevision, who: str) -> str:
    """The moderator's private receipt: what changed (before → after), for which facts, why.
    Every stored or typed value is escaped for Discord markdown."""
    changes = "; ".join(
        f"{key}: {for_discord(str(rev.before.get(key)), newlines=False)} → "
        f"{for_discord(str(rev.after.get(key)), newlines=False)}"
        for key in rev.changed_fields()
    )
    cited = ", ".join(fact["id"] for fact in rev.cited_by) or "no current fact"
    return (
        f"Edited source **{for_discord(rev.source_id)}** (revision {rev.revision}) by "
        f"{for_discord(who, newlines=False)}: {changes}. Cited by: {for_discord(cited)}. "
        f"Reason: {for_discord(rev.reason)}"
    )


def one_line(error: ValidationError) -> str:
    """A validation error as the one line a moderator needs: what was wrong, what to do."""
    problems = "; ".join(f"{e.field} {e.message}" for e in error.errors)
    return f"Nothing was changed: {for_discord(problems, newlines=False)}"


class SourceModeration(commands.Cog):
    """Holds the two commands, bound to this cog (so its `interaction_check` guards them);
    loading the cog adds them to the Moderation cog's /fact group, unloading removes them."""

    def __init__(self, bot: commands.Bot, group: app_commands.Group) -> None:
        self.bot = bot
        self.settings = bot.settings  # type: ignore[attr-defined]
        self.group = group
        self.fact_commands = [
            app_commands.Command(
                name="source-edit",
                description="Correct a source's title, publisher or date (kept as a revision).",
                callback=self.source_edit,
                parent=group,
            ),
            app_commands.Command(
                name="source-history",
                description="Every edit of a source: who, when, why, before → after.",
                callback=self.source_history,
                parent=group,
            ),
        ]

    @property
    def store(self) -> Any:
        return self.bot.store  # type: ignore[attr-defined]

    async def cog_load(self) -> None:
        for command in self.fact_commands:
            self.group.add_command(command)

    async def cog_unload(self) -> None:
        for command in self.fact_commands:
            self.group.remove_command(command.name)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        require_moderator(interaction, self.settings)  # the commands are bound to this cog
        return True

    async def source_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not is_moderator(interaction, self.settings):
            return []
        await self.bot.fresh_index()  # type: ignore[attr-defined]  # bounded; never the writer
        return source_choices(self.bot.assistant.index.sources, current)  # type: ignore[attr-defined]

    @app_commands.describe(
        source="The source id",
        reason="Why it is changed",
        title="The corrected title",
        publisher="The corrected publisher",
        published="The corrected publication date, YYYY-MM-DD",
    )
    @app_commands.autocomplete(source=source_autocomplete)
    async def source_edit(
        self,
        interaction: discord.Interaction,
        source: str,
        reason: app_commands.Range[str, 3, 500],
        title: app_commands.Range[str, 1, 300] | None = None,
        publisher: app_commands.Range[str, 1, 200] | None = None,
        published: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        changes = {
            name: value
            for name, value in (
                ("title", title),
                ("publisher", publisher),
                ("published", published),
            )
            if value is not None
        }
        if not changes:
            await send_ephemeral(
                interaction, "Nothing was changed: give a new title, publisher or published date."
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            rev = await self.bot.run_db(  # type: ignore[attr-defined]
                self.store.edit_source, source, changes, by=author_of(interaction), reason=reason
            )
        except ValidationError as exc:
            await send_ephemeral(interaction, one_line(exc))
            return
        except NotFoundError:
            await send_ephemeral(interaction, f"Nothing was changed: {unknown_source(source)}")
            return
        text = edit_confirmation(rev, interaction.user.display_name)
        await interaction.followup.send(text[:1990], ephemeral=True, allowed_mentions=NONE)

    @app_commands.describe(source="The source id")
    @app_commands.autocomplete(source=source_autocomplete)
    async def source_history(self, interaction: discord.Interaction, source: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await self.bot.run_db(self.store.require_source, source)  # type: ignore[attr-defined]
        except NotFoundError:
            await send_ephemeral(interaction, f"Nothing to show: {unknown_source(source)}")
            return
        edits = await self.bot.run_db(self.store.source_history, source)  # type: ignore[attr-defined]
        text = f"**{for_discord(source)}** — {len(edits)} edit(s)"
        if not edits:
            text += " since it was first stored"
        text += "".join(
            "\n" + for_discord(source_revision_line(rev)) for rev in edits[-HISTORY_SHOWN:]
        )
        await interaction.followup.send(text[:1990], ephemeral=True, allowed_mentions=NONE)


def unknown_source(source_id: str) -> str:
    return f"no source with id '{for_discord(source_id)}'; pick one from the list."


async def setup(bot: commands.Bot) -> None:
    moderation = bot.get_cog("Moderation")
    if not isinstance(moderation, Moderation):
        log.warning("no /fact group (TRADEBOT_HOME_GUILD_ID unset?): source commands not added")
        return
    home = discord.Object(id=bot.settings.home_guild_id)  # type: ignore[attr-defined]
    await bot.add_cog(SourceModeration(bot, moderation.fact), guild=home)

"""/fact add|edit|retract|history|undo — moderators of the home guild only.

Registered in the home guild only, and checked in code on every call and every modal
submit (Discord's `default_permissions` only hides commands). A moderator is a member
of the home guild with Manage Server or one of TRADEBOT_MODERATOR_ROLE_IDS. Every write
runs on the database thread through `bot.service`; a change made by someone else after
a form was opened is reported as a conflict, never overwritten. Replies are ephemeral:
the confirmation (before → after, source) goes to the moderator who made the change.
"""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import forms, review, service
from bot.exts.errors import NotModerator, describe, on_app_command_error, send_ephemeral
from bot.exts.lookups import fact_choices
from bot.measure_summary import clause_summary
from bot.present import revision_line
from bot.safe_text import for_discord
from bot.store import Author, Fact, FactStore, StoreError, ValidationError
from bot.store.model import KINDS
from bot.understand.rules import INTENT_NAMES

log = logging.getLogger("tradebot.moderation")
NONE = discord.AllowedMentions.none()
FORM_READ_WAIT = 1.0  # seconds a form may wait for a read (Discord allows 3 to answer)
VALUE_MAX = 600  # the form's first line: a value and its clauses


def is_moderator(interaction: discord.Interaction, settings) -> bool:
    if not settings.home_guild_id or interaction.guild_id != settings.home_guild_id:
        return False
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    allowed = set(settings.moderator_role_ids)
    return any(role.id in allowed for role in member.roles)


def require_moderator(interaction: discord.Interaction, settings) -> None:
    if not is_moderator(interaction, settings):
        raise NotModerator(
            "Only moderators of the home server can change facts; nothing was changed."
        )


def author_of(interaction: discord.Interaction) -> Author:
    return Author(name=interaction.user.display_name, id=str(interaction.user.id))


def linked_lines(store: FactStore, fact_id: str) -> list[str]:
    """The other half of each `/fact change` the fact took part in, as `tradebot facts
    history` shows it: the revision that ended the fact it succeeds, and the first
    revision of each fact that succeeds it (newest 5)."""
    fact = store.require(fact_id)
    return [
        f"  {'succeeds' if other == fact.supersedes else 'succeeded by'} {other}:"
        + revision_line(rev).removeprefix(" ")
        for other, rev in service.linked_history(store, fact_id)[-5:]
    ]


class FactModal(discord.ui.Modal):
    """The add/edit form. `fact` is set for edits (pre-filled, with its base revision)."""

    def __init__(
        self,
        cog: Moderation,
        kind: str,
        reason: str,
        *,
        fact_id: str | None = None,
        base: Fact | None = None,
        extra: dict | None = None,
        prefill: forms.FactForm | None = None,
    ) -> None:
        title = f"Edit {base.id}" if base else f"Add a {kind.replace('_', ' ')} fact"
        super().__init__(title=title[:45], timeout=900)
        self.cog, self.kind, self.reason, self.base, self.extra = cog, kind, reason, base, extra
        self.fact_id = fact_id
        # `prefill`: a new fact's starting values (a Federal Register lead's source and date)
        filled = forms.prefill(base) if base else prefill or forms.FactForm("", "", "")
        # The first line carries the value and the kind's `name: value` clauses (a tariff
        # measure's products, origins, authority, rate kind, instrument): bot/forms.py.
        self.value = discord.ui.TextInput(
            label=forms.value_label(kind),
            style=discord.TextStyle.paragraph,
            default=filled.value or None,
            max_length=VALUE_MAX,
            custom_id="value",
        )
        self.statement = discord.ui.TextInput(
            label="Statement (one sentence)",
            style=discord.TextStyle.paragraph,
            default=filled.statement or None,
            max_length=400,
            custom_id="statement",
        )
        self.valid = discord.ui.TextInput(
            label="Valid from [to] (YYYY-MM-DD to YYYY-MM-DD)",
            default=filled.valid or None,
            max_length=40,
            custom_id="valid",
        )
        self.source = discord.ui.TextInput(
            label="Source: https://… | title | publisher | date",
            required=base is None,
            style=discord.TextStyle.paragraph,
            max_length=800,
            placeholder="https://example.org/news | Title | Publisher | 2025-06-01",
            default=filled.source or None,
            custom_id="source",
        )
        for item in (self.value, self.statement, self.valid, self.source):
            self.add_item(item)
        if base is None:
            self.id_input = discord.ui.TextInput(
                label="Fact id (a-z, 0-9, -)", max_length=80, default=fact_id, custom_id="fact_id"
            )
            self.add_item(self.id_input)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.submit(interaction, self)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await on_app_command_error(interaction, error)  # type: ignore[arg-type]


class Moderation(commands.Cog):
    fact = app_commands.Group(
        name="fact",
        description="Moderators: add, edit, retract and review facts.",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    review_cmd = app_commands.Group(
        name="review",
        description="Moderators: missed questions and answers marked wrong.",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.settings = bot.settings  # type: ignore[attr-defined]

    @property
    def store(self):
        return self.bot.store  # type: ignore[attr-defined]

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        require_moderator(interaction, self.settings)
        return True

    async def run(self, func, *args, **kwargs):
        return await self.bot.run_db(func, *args, **kwargs)  # type: ignore[attr-defined]

    async def fact_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not is_moderator(interaction, self.settings):
            return []
        await self.bot.fresh_index()  # type: ignore[attr-defined]  # bounded; never the writer
        return fact_choices(self.bot.assistant, current)  # type: ignore[attr-defined]

    # ---- commands -----------------------------------------------------------------------

    @fact.command(name="add", description="Add a fact (opens a form).")
    @app_commands.describe(
        kind="What kind of fact",
        reason="Why it is added",
        importer="tariff_rate: who levies it (e.g. US)",
        exporter="tariff_rate: whose goods (e.g. CN)",
        parties="Other kinds: party codes, e.g. 'US CN'",
        court="court_ruling: CIT, CAFC, SCOTUS or DDC",
    )
    @app_commands.choices(kind=[app_commands.Choice(name=k, value=k) for k in KINDS])
    async def add(
        self,
        interaction: discord.Interaction,
        kind: str,
        reason: app_commands.Range[str, 3, 500],
        importer: str | None = None,
        exporter: str | None = None,
        parties: str | None = None,
        court: str | None = None,
    ) -> None:
        extra = {
            "kind": kind,
            "importer": importer,
            "exporter": exporter,
            "parties": parties,
            "court": court,
        }
        await interaction.response.send_modal(FactModal(self, kind, reason, extra=extra))

    @fact.command(name="edit", description="Edit a fact (opens a form with its current values).")
    @app_commands.describe(fact="The fact id", reason="Why it is changed")
    @app_commands.autocomplete(fact=fact_autocomplete)
    async def edit(
        self, interaction: discord.Interaction, fact: str, reason: app_commands.Range[str, 3, 500]
    ) -> None:
        current = await self.current_fact(fact)
        await interaction.response.send_modal(FactModal(self, current.kind, reason, base=current))

    async def current_fact(self, fact_id: str) -> Fact:
        """The fact as it is now, for a form: from the fact index, refreshed first if the
        facts changed (bounded wait), so its revision is right for the conflict check;
        a retracted fact (not in the index) is read on the reader connection. Never
        waits for the database thread, where a write may be queued."""
        bot = self.bot
        await bot.fresh_index()  # type: ignore[attr-defined]
        current = bot.assistant.index.by_id.get(fact_id)  # type: ignore[attr-defined]
        if current is None:
            read = bot.run_read(self.store.get, fact_id, missing_ok=True)  # type: ignore[attr-defined]
            try:
                current = await asyncio.wait_for(read, FORM_READ_WAIT)
            except TimeoutError:
                raise StoreError("the fact store is busy; please try again in a moment") from None
        if current is None:
            raise StoreError(f"no fact with id '{fact_id}'; pick one from the list")
        return current

    @fact.command(name="retract", description="Retract a fact (kept in history, no longer used).")
    @app_commands.describe(fact="The fact id", reason="Why it is retracted")
    @app_commands.autocomplete(fact=fact_autocomplete)
    async def retract(
        self, interaction: discord.Interaction, fact: str, reason: app_commands.Range[str, 3, 500]
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await self.run(self.store.require, fact)
        after = await self.run(
            service.retract_fact, self.store, fact, by=author_of(interaction), reason=reason
        )
        await self.confirm(interaction, "Retracted", before, after, reason)

    @fact.command(name="undo", description="Restore a fact's previous revision.")
    @app_commands.describe(fact="The fact id", reason="Why")
    @app_commands.autocomplete(fact=fact_autocomplete)
    async def undo(
        self, interaction: discord.Interaction, fact: str, reason: app_commands.Range[str, 3, 500]
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await self.run(self.store.require, fact)
        after = await self.run(
            service.undo_fact, self.store, fact, by=author_of(interaction), reason=reason
        )
        await self.confirm(interaction, "Restored", before, after, reason)

    @fact.command(name="history", description="Every revision of a fact: who, when, why.")
    @app_commands.describe(fact="The fact id")
    @app_commands.autocomplete(fact=fact_autocomplete)
    async def history(self, interaction: discord.Interaction, fact: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        revisions = await self.run(service.fact_history, self.store, fact)
        linked = await self.run(linked_lines, self.store, fact)
        refused = await self.run(self.store.rejected_edits, fact)
        text = f"**{for_discord(fact)}** — {len(revisions)} revision(s)\n" + "\n".join(
            for_discord(line) for line in [*map(revision_line, revisions[-10:]), *linked]
        )
        if refused:
            last_by = for_discord(refused[-1]["author"])
            text += f"\n{len(refused)} refused edit(s) (conflicts), last by {last_by}"
        await interaction.followup.send(text[:1990], ephemeral=True, allowed_mentions=NONE)

    # ---- review queue -------------------------------------------------------------------

    @review_cmd.command(
        name="list", description="Missed questions, grouped, and answers marked wrong."
    )
    async def review_list(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self.run(review.groups, self.store, 10)
        wrong = await self.run(review.wrong_answers, self.store, 5)
        lines = [f"**Missed questions** (kept {review.RETENTION_DAYS} days, no user ids):"]
        lines += [
            f"`{g.id}` ×{g.count} “{for_discord(g.question[:120], newlines=False)}” — read as "
            f"{', '.join(g.intents) or 'out of scope'}"
            for g in found
        ] or ["none"]
        lines.append("**Answers marked wrong or outdated:**")
        lines += [
            f"×{w['votes']} “{for_discord(w['question'][:120], newlines=False)}” — facts "
            f"{for_discord(w['facts'])}"
            for w in wrong
        ] or ["none"]
        lines.append("Teach one: `/review learn group intent`; close one: `/review dismiss group`.")
        await interaction.followup.send(
            "\n".join(lines)[:1990], ephemeral=True, allowed_mentions=NONE
        )

    @review_cmd.command(
        name="learn", description="Teach a group's question as an intent's phrasing."
    )
    @app_commands.describe(
        group="The group number from /review list", intent="What the question was asking about"
    )
    @app_commands.choices(intent=[app_commands.Choice(name=i, value=i) for i in INTENT_NAMES])
    async def review_learn(self, interaction: discord.Interaction, group: int, intent: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        assistant = self.bot.assistant  # type: ignore[attr-defined]
        phrasing = await self.run(
            assistant.learn,
            group,
            intent,
            f"{interaction.user.display_name} ({interaction.user.id})",
        )
        await interaction.followup.send(
            f"Learned “{for_discord(phrasing)}” as {intent}; the same question is answered "
            "from now on.",
            ephemeral=True,
            allowed_mentions=NONE,
        )

    @review_cmd.command(name="dismiss", description="Close a group of missed questions.")
    @app_commands.describe(group="The group number from /review list")
    async def review_dismiss(self, interaction: discord.Interaction, group: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        count = await self.run(review.dismiss, self.store, group)
        await interaction.followup.send(
            f"Dismissed group {group} ({count} question(s)).", ephemeral=True, allowed_mentions=NONE
        )

    # ---- form submission ----------------------------------------------------------------

    async def submit(self, interaction: discord.Interaction, modal: FactModal) -> None:
        """Expected problems (bad input, conflicts, permission) are answered, not raised."""
        try:
            await self._submit(interaction, modal)
        except (NotModerator, StoreError, ValidationError) as exc:
            await send_ephemeral(interaction, describe(exc) or for_discord(str(exc)))

    async def _submit(self, interaction: discord.Interaction, modal: FactModal) -> None:
        require_moderator(interaction, self.settings)  # checked again on submit
        form = forms.FactForm(
            modal.value.value, modal.statement.value, modal.valid.value, modal.source.value
        )
        raw, new_source = forms.form_input(modal.kind, form)
        await interaction.response.defer(ephemeral=True, thinking=True)
        if modal.base is None:
            extra = {k: v for k, v in (modal.extra or {}).items() if v}
            raw = {**extra, **raw, "id": modal.id_input.value.strip()}
            after = await self.run(
                service.add_fact,
                self.store,
                raw,
                by=author_of(interaction),
                reason=modal.reason,
                new_source=new_source,
            )
            await self.confirm(interaction, "Added", None, after, modal.reason)
            return
        after = await self.run(
            service.update_fact,
            self.store,
            modal.base.id,
            raw,
            base_revision=modal.base.revision,
            by=author_of(interaction),
            reason=modal.reason,
            new_source=new_source,
        )
        await self.confirm(interaction, "Updated", modal.base, after, modal.reason)

    async def confirm(
        self,
        interaction: discord.Interaction,
        verb: str,
        before: Fact | None,
        after: Fact,
        reason: str,
    ) -> None:
        sources = await self.run(self.store.sources_of, after)
        source = sources[-1][0] if sources else None
        summary = forms.change_summary(before, after, source)
        if not (before and before.retracted != after.retracted):
            clauses = clause_summary(before, after)  # a measure's scope, authority, …
            summary = f"{clauses}. {summary}" if clauses else summary
        text = (  # the summary quotes statements and source titles: all escaped
            f"{verb} **{for_discord(after.id)}** (revision {after.revision}) by "
            f"{for_discord(interaction.user.display_name, newlines=False)}: "
            f"{for_discord(summary)} Reason: {for_discord(reason)}"
        )
        await interaction.followup.send(text[:1990], ephemeral=True, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    home = bot.settings.home_guild_id  # type: ignore[attr-defined]
    if not home:
        log.warning("TRADEBOT_HOME_GUILD_ID is not set: moderator commands are not registered")
        return
    await bot.add_cog(Moderation(bot), guild=discord.Object(id=home))

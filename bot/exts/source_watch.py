"""The Federal Register watcher in Discord: new relevant documents posted to the moderators'
channel, once, with buttons to record a fact from one or dismiss it.

Why it works this way:
- a `tasks` loop every TRADEBOT_WATCH_INTERVAL_MINUTES, only when TRADEBOT_WATCH_SOURCES
  is true and TRADEBOT_MODERATOR_CHANNEL_ID is set (and only in the process whose shards
  hold the home guild); a failed fetch is logged and tried again next interval, and no
  exception leaves the loop, so the watcher never stops the bot;
- the HTTP client (bot/feeds/client.py) is async; store reads run on the read thread and
  writes on the database thread (`run_read` / `run_db`), never on the event loop;
- each lead is sent with a nonce stable per (channel, document) and `enforce_nonce`, then
  marked posted (bot/feeds/leads.py), exactly like the alert ledger: a restart between the
  two sends it again with the same nonce, and Discord drops the copy;
- the buttons are dynamic items whose custom id carries the document number, so they
  work after a restart; each click checks the moderator permission in code;
- every string from the feed (title, abstract, agencies) is escaped with bot.safe_text,
  the link is built only from a safe URL, and no message can mention anyone.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

import discord
from discord.ext import commands, tasks

from bot import forms
from bot.exts.buttons import ModeratorButton
from bot.exts.errors import send_ephemeral
from bot.exts.moderation import FactModal, Moderation
from bot.feeds import leads
from bot.feeds.client import FederalRegisterClient, FeedError, FetchResult
from bot.feeds.watch import WatchConfigError, load_config
from bot.safe_text import for_discord, link, plain
from bot.store import StoreError

log = logging.getLogger("tradebot.source_watch")
NONE = discord.AllowedMentions.none()
GONE = (discord.Forbidden, discord.NotFound)
POSTS_PER_PASS = 10  # a long backlog (the first check) is spread over several intervals
ABSTRACT_SHOWN = 700
NUMBER = r"(?P<key>[A-Za-z0-9][A-Za-z0-9-]{0,39})"
REFUSED = "Only moderators of the home server can act on leads; nothing was changed."


def lead_embed(lead: leads.Lead) -> discord.Embed:
    """The post: the title as a link, type, date, agencies, why it is relevant, the abstract
    (trimmed). Every feed string is escaped once, here."""
    lines = [
        f"**{link(lead.title[:300], lead.html_url)}**",
        f"{for_discord(lead.type)} · published {lead.publication_date.isoformat()}",
        "Agencies: " + for_discord(", ".join(lead.agency_names) or "none named", newlines=False),
    ]
    instrument = _instrument(lead)
    if instrument:
        lines.append(f"Instrument: {for_discord(instrument)}")
    lines.append(f"Why: {for_discord(lead.why, newlines=False)}")
    if lead.abstract:
        abstract = lead.abstract
        if len(abstract) > ABSTRACT_SHOWN:
            abstract = abstract[:ABSTRACT_SHOWN].rsplit(" ", 1)[0] + " …"
        lines.append("")
        lines.append(for_discord(abstract))
    embed = discord.Embed(title="New Federal Register document", description="\n".join(lines))
    embed.set_footer(text=plain(f"Document {lead.document_number} · a lead, not a fact"))
    return embed


def _instrument(lead: leads.Lead) -> str | None:
    if lead.details.get("executive_order_number"):
        return f"Executive Order {lead.details['executive_order_number']}"
    if lead.details.get("proclamation_number"):
        return f"Proclamation {lead.details['proclamation_number']}"
    return None


def lead_form(lead: leads.Lead) -> forms.FactForm:
    """The fact form's starting values: the document as the source (url | title |
    publisher | date), its effective (else publication) date, its instrument. The rate
    and the statement are the moderator's to write."""
    title = " ".join(lead.title.replace("|", "/").split())
    day = lead.details.get("effective_on") or lead.publication_date.isoformat()
    instrument = _instrument(lead)
    tail = f" | Federal Register | {lead.publication_date.isoformat()}"
    room = 800 - len(lead.html_url) - len(tail) - 3  # the source input holds 800 characters
    return forms.FactForm(
        value=f"instrument: {instrument}" if instrument else "",
        statement="",
        valid=day,
        source=f"{lead.html_url} | {title[: max(room, 20)]}{tail}",
    )


class LeadFactModal(FactModal):
    """The /fact add form, pre-filled from a lead (a tariff measure levied by the US);
    a fact added through it is linked to the lead."""

    def __init__(self, cog: Moderation, lead: leads.Lead) -> None:
        super().__init__(
            cog,
            "tariff_rate",
            f"Federal Register document {lead.document_number}",
            extra={"kind": "tariff_rate", "importer": "US"},
            prefill=lead_form(lead),
        )
        self.lead = lead

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot: Any = interaction.client
        fact_id = self.id_input.value.strip()
        existed = await bot.run_read(bot.store.get, fact_id, missing_ok=True) if fact_id else None
        await self.cog.submit(interaction, self)  # answers the moderator, errors included
        if not fact_id or existed is not None:
            return
        if await bot.run_read(bot.store.get, fact_id, missing_ok=True) is None:
            return  # not added (bad input): the form's answer said why
        who = f"{interaction.user.display_name} ({interaction.user.id})"
        try:
            await bot.run_db(leads.link, bot.store, self.lead.document_number, [fact_id], who)
        except StoreError:
            log.warning("could not link lead %s to %s", self.lead.document_number, fact_id)


class RecordLeadButton(ModeratorButton, template=r"tb:lead:record:" + NUMBER):
    prefix, label, refused = "tb:lead:record", "Record a fact", REFUSED
    style = discord.ButtonStyle.primary

    async def act(self, interaction: discord.Interaction, bot: Any) -> None:
        number = self.key  # the document number
        moderation = bot.get_cog("Moderation")
        if not isinstance(moderation, Moderation):
            await send_ephemeral(interaction, "The fact form is off (no TRADEBOT_HOME_GUILD_ID).")
            return
        lead = await bot.run_read(leads.get, bot.store, number)
        if lead is None:
            await send_ephemeral(interaction, f"No lead {for_discord(number)}.")
            return
        await interaction.response.send_modal(LeadFactModal(moderation, lead))


class DismissLeadButton(ModeratorButton, template=r"tb:lead:dismiss:" + NUMBER):
    prefix, label, refused = "tb:lead:dismiss", "Dismiss", REFUSED

    async def act(self, interaction: discord.Interaction, bot: Any) -> None:
        number = self.key  # the document number
        await interaction.response.defer(ephemeral=True, thinking=True)  # before the write
        who = f"{interaction.user.display_name} ({interaction.user.id})"
        try:
            lead = await bot.run_db(leads.dismiss, bot.store, number, who, "dismissed in Discord")
        except StoreError as exc:
            await send_ephemeral(interaction, for_discord(str(exc)))
            return
        await interaction.followup.send(
            f"Dismissed {for_discord(lead.document_number)}; "
            "`tradebot sources leads --state dismissed` lists it.",
            ephemeral=True,
            allowed_mentions=NONE,
        )


def lead_view(lead: leads.Lead) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RecordLeadButton(lead.document_number))
    view.add_item(DismissLeadButton(lead.document_number))
    return view


class SourceWatch(commands.Cog):
    """Checks the Federal Register every interval and posts new relevant leads."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot: Any = bot
        self.settings = bot.settings  # type: ignore[attr-defined]
        self.client = FederalRegisterClient()
        self.fetch = self._fetch  # tests put a recorded feed here
        self._pass = asyncio.Lock()
        self.posted = 0

    @property
    def store(self) -> Any:
        return self.bot.store

    @property
    def enabled(self) -> bool:
        return bool(self.settings.watch_sources and self.settings.moderator_channel_id)

    async def cog_load(self) -> None:
        if not self.settings.watch_sources:
            return
        if not self.settings.moderator_channel_id:
            log.warning(
                "TRADEBOT_WATCH_SOURCES is on but TRADEBOT_MODERATOR_CHANNEL_ID is not set: "
                "the Federal Register is not watched"
            )
            return
        if not self.bot.owns_guild(self.settings.home_guild_id):
            return  # another process's shards hold the home guild: it watches
        self.watch.change_interval(minutes=self.settings.watch_interval_minutes)
        self.watch.start()

    async def cog_unload(self) -> None:
        self.watch.cancel()

    @tasks.loop(minutes=60)
    async def watch(self) -> None:
        try:
            await self.check_once()
        except Exception:  # never let the loop (or the bot) die; try again next interval
            log.exception(
                "the Federal Register watcher failed; it tries again in %s minutes",
                self.settings.watch_interval_minutes,
            )

    @watch.before_loop
    async def before_watch(self) -> None:
        await self.bot.wait_until_ready()

    async def _fetch(self, since: date) -> FetchResult:
        return await self.client.fetch(load_config().query, since)

    async def check_once(self) -> int:
        """Fetch, store the new documents as leads, post the relevant ones not posted yet.
        Returns how many were posted. A feed failure is logged; posting still runs (leads
        stored by `tradebot sources check` meanwhile are posted too)."""
        async with self._pass:  # one pass at a time: a lead is never sent by two passes
            try:
                config = load_config()
            except WatchConfigError as exc:
                log.error("the Federal Register is not watched: %s", exc)
                return 0
            since = await self.bot.run_read(
                leads.default_since, self.store, config.query.lookback_days
            )
            try:
                result = await self.fetch(since)
            except FeedError as exc:
                log.warning(
                    "Federal Register check failed (%s); trying again in %s minutes",
                    exc,
                    self.settings.watch_interval_minutes,
                )
            else:
                new = await self.bot.run_db(
                    leads.record, self.store, result.documents, config.rules
                )
                log.info(
                    "Federal Register: %d document(s), %d new", len(result.documents), len(new)
                )
            return await self.post_pending()

    async def post_pending(self) -> int:
        channel_id = self.settings.moderator_channel_id
        if not channel_id:
            return 0
        pending = await self.bot.run_read(leads.to_post, self.store, POSTS_PER_PASS)
        if not pending:
            return 0
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (*GONE, discord.HTTPException) as exc:
                log.warning("cannot post leads to channel %s: %s", channel_id, exc)
                return 0
        sent = 0
        for lead in pending:
            try:
                message = await channel.send(
                    embed=lead_embed(lead),
                    view=lead_view(lead),
                    allowed_mentions=NONE,
                    nonce=leads.nonce_for(channel_id, lead.document_number),
                )  # sets enforce_nonce
            except discord.HTTPException as exc:
                log.warning(
                    "posting lead %s failed (%s); retrying later", lead.document_number, exc
                )
                break
            await self.bot.run_db(
                leads.mark_posted, self.store, lead.document_number, channel_id, message.id
            )
            sent += 1
        self.posted += sent
        return sent


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(RecordLeadButton, DismissLeadButton)  # even with the watch off
    await bot.add_cog(SourceWatch(bot))

"""The Federal Register watcher through the real bot in simcord's offline Discord: leads
posted once (also across a restart), buttons that work after a restart, permissions."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date

from bot.client import create_bot
from bot.exts import source_watch
from bot.feeds import leads
from bot.feeds.client import FederalRegisterClient, FeedError, FetchResult
from bot.feeds.documents import parse_response
from tests.feeds.common import RELEVANT, fixture

DOCS = list(parse_response(fixture("documents_all.json")).documents)


def recorded_feed(calls: list[date] | None = None, fail: bool = False):
    async def fetch(since: date) -> FetchResult:
        if calls is not None:
            calls.append(since)
        if fail:
            raise FeedError("www.federalregister.gov could not be read after 5 tries (timed out)")
        return FetchResult(DOCS, 1, False)

    return fetch


def cog_of(world):
    cog = world.env.bot.get_cog("SourceWatch")
    world.env.bot.settings.moderator_channel_id = world.channel.id
    cog.fetch = recorded_feed()
    return cog


def lead_messages(world):
    me = world.env.bot.user.id
    return [
        m
        for m in world.channel.history()
        if m.author.id == me and m.embeds and m.embeds[0].title == "New Federal Register document"
    ]


def posts(world):
    return [
        r
        for r in world.env.http_requests
        if r.method == "POST" and r.path.endswith("/messages") and (r.json or {}).get("embeds")
    ]


async def test_relevant_leads_are_posted_once_with_escaped_text_and_buttons(world) -> None:
    cog = cog_of(world)
    assert await cog.check_once() == 5
    await world.env.settle()
    assert await cog.check_once() == 0  # a second pass posts nothing
    messages = lead_messages(world)
    assert len(messages) == 5
    texts = [m.embeds[0].description for m in messages]
    steel = next(t for t in texts if "Adjusting Imports of Steel" in t)
    assert "Presidential Document · published 2025-02-18" in steel
    assert "Agencies: Executive Office of the President" in steel
    assert "Instrument: Proclamation 10896" in steel
    assert "(https://www.federalregister.gov/documents/2025/02/18/2025-02833/" in steel
    assert not any("Administrative Review" in t for t in texts)
    labels = [c.label for row in messages[0].components for c in row.children]
    assert labels == ["Record a fact", "Dismiss"]
    for request in posts(world):
        assert request.json["allowed_mentions"]["parse"] == []
        assert request.json["enforce_nonce"] is True
    assert {lead.document_number for lead in leads.leads(world.store, "posted")} == RELEVANT


async def test_feed_text_is_escaped(world) -> None:
    cog = cog_of(world)
    doc = DOCS[0]
    evil = replace(
        doc,
        document_number="2099-00001",
        title="**Tariff** @everyone [click](https://evil.example) <@123>",
        abstract="Section 232 duties ||spoiler|| @here",
    )

    async def fetch(since):
        return FetchResult([evil], 1, False)

    cog.fetch = fetch
    assert await cog.check_once() == 1
    [message] = lead_messages(world)
    text = message.embeds[0].description
    assert "\\*\\*Tariff\\*\\*" in text and "@everyone" not in text and "@here" not in text
    assert "\\[click\\](https://evil.example)" in text  # shown as text, no masked link
    assert "\\<@123>" in text and "\\|\\|spoiler" in text


async def test_a_crash_before_recording_and_a_restart_post_each_lead_once(
    world, bot_settings
) -> None:
    cog = cog_of(world)
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    assert await cog.check_once() == 0  # the send failed: nothing recorded, kept for later
    assert len(leads.to_post(world.store)) == 5
    await world.env.restart_bot(create_bot(bot_settings))
    again = cog_of(world)
    assert await again.check_once() == 5
    await world.env.restart_bot(create_bot(bot_settings))
    assert await cog_of(world).check_once() == 0  # posted before the restart: not again
    assert len(lead_messages(world)) == 5
    nonces = [r.json["nonce"] for r in posts(world)]  # the failed send, then five
    assert len(nonces) == 6 and len(set(nonces)) == 5 and nonces[0] in nonces[1:]


async def test_the_loop_runs_when_enabled_and_survives_a_feed_failure(
    world, bot_settings, monkeypatch, caplog
) -> None:
    calls: list[date] = []

    async def fetch(self, query, since):
        calls.append(since)
        if len(calls) == 1:
            raise FeedError("www.federalregister.gov could not be read after 5 tries (timed out)")
        return FetchResult(DOCS, 1, False)

    monkeypatch.setattr(FederalRegisterClient, "fetch", fetch)
    bot_settings.watch_sources = True
    bot_settings.moderator_channel_id = world.channel.id
    await world.env.restart_bot(create_bot(bot_settings))
    cog = world.env.bot.get_cog("SourceWatch")
    await _until(world, lambda: calls)
    assert cog.watch.is_running() and "Federal Register check failed" in caplog.text
    assert "www.federalregister.gov" in caplog.text and lead_messages(world) == []
    assert await cog.check_once() == 5  # the next interval's pass
    assert len(lead_messages(world)) == 5


async def _until(world, condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await world.env.settle()
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the watcher did not run")


async def test_dismiss_button_marks_the_lead_and_works_after_a_restart(world, bot_settings) -> None:
    await cog_of(world).check_once()
    await world.env.restart_bot(create_bot(bot_settings))  # buttons outlive the process
    message = next(m for m in lead_messages(world) if "Aluminum" in m.embeds[0].description)
    result = await world.mod.click(message, label="Dismiss")
    reply = result.followups[-1] if result.followups else result.response
    assert reply.ephemeral and "Dismissed 2025-02832" in reply.content
    lead = leads.get(world.env.bot.store, "2025-02832")
    assert lead.state == "dismissed" and lead.dismissed_by == f"mod ({world.mod.id})"
    twice = await world.mod.click(message, label="Dismiss")
    text = (twice.followups[-1] if twice.followups else twice.response).content
    assert "already dismissed" in text


async def test_buttons_refuse_non_moderators(world) -> None:
    await cog_of(world).check_once()
    message = lead_messages(world)[0]
    for label in ("Dismiss", "Record a fact"):
        result = await world.member.click(message, label=label)
        assert result.ephemeral and "Only moderators" in result.response.content
        assert result.modal is None
    assert leads.leads(world.store, "dismissed") == []


async def test_record_a_fact_opens_the_prefilled_form_and_links_the_lead(world) -> None:
    await cog_of(world).check_once()
    message = next(m for m in lead_messages(world) if "Steel" in m.embeds[0].description)
    shown = await world.mod.click(message, label="Record a fact")
    assert shown.modal is not None
    inputs = {
        c["components"][0]["custom_id"]: c["components"][0].get("value")
        for c in shown.modal["components"]
    }
    assert inputs["source"] == (
        "https://www.federalregister.gov/documents/2025/02/18/2025-02833/"
        "adjusting-imports-of-steel-into-the-united-states | Adjusting Imports of Steel Into"
        " the United States | Federal Register | 2025-02-18"
    )
    assert inputs["valid"] == "2025-02-18" and inputs["value"] == "instrument: Proclamation 10896"
    result = await world.mod.submit_modal(
        shown,
        {
            "value": "25; origins: all; instrument: Proclamation 10896",
            "statement": "The US applies 25% to steel imports from every country.",
            "valid": "2025-03-12",
            "source": inputs["source"],
            "fact_id": "us-steel-232-test",
        },
    )
    text = (result.followups[-1] if result.followups else result.response).content
    assert "Added **us-steel-232-test**" in text, text
    fact = world.store.require("us-steel-232-test")
    assert fact.importer == "US" and fact.rate == 25
    lead = leads.get(world.store, "2025-02833")
    assert lead.state == "linked" and lead.linked_fact_ids == ("us-steel-232-test",)


def test_the_extension_is_registered() -> None:
    from bot.exts import EXTENSIONS

    assert "bot.exts.source_watch" in EXTENSIONS and source_watch.POSTS_PER_PASS >= 1

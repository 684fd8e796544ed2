"""A source edit reaches /watch channels through the real bot, once, like a fact change."""

from __future__ import annotations

from bot import alerts
from bot.client import create_bot
from bot.store import Author, FactStore
from tests.exts.test_alerts import drained, watch

SOURCE = "britishwire-2025-05-30"  # cited by us-cn-tariff-30 among others


def source_alerts(world):
    me = world.env.bot.user.id
    return [
        m
        for m in world.channel.history()
        if m.author.id == me and m.content.startswith(f"Source {SOURCE}")
    ]


async def test_a_source_edit_is_delivered_once(world) -> None:
    await watch(world, "US China")
    world.store.edit_source(
        SOURCE, {"title": "Talks lose momentum"}, by=Author("cli-user"), reason="typo"
    )
    await drained(world, timeout=30)
    world.env.bot.get_cog("Alerts").kick()  # a second pass sends nothing new
    await drained(world, timeout=30)
    [alert] = source_alerts(world)
    assert "title: US-China trade talks lose momentum" in alert.content
    assert "→ Talks lose momentum" in alert.content and "us-cn-tariff-30" in alert.content
    assert "Changed by cli-user: typo" in alert.content
    assert len(alerts.deliveries(world.store, world.channel.id)) == 1


async def test_a_source_edit_made_offline_is_caught_up_once(world, bot_settings) -> None:
    await watch(world)
    await world.env.bot.close()
    offline = FactStore.open(bot_settings.db_path)  # `tradebot sources edit` meanwhile
    offline.edit_source(SOURCE, {"publisher": "British Wire Ltd"}, by=Author("cli"), reason="name")
    offline.close()
    await world.env.restart_bot(create_bot(bot_settings))
    await drained(world, timeout=30)  # the first poll tick after ready catches up
    world.env.bot.get_cog("Alerts").kick()
    await drained(world, timeout=30)
    [alert] = source_alerts(world)
    assert "publisher: British Wire → British Wire Ltd" in alert.content

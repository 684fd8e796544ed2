"""Buttons under answers and the /review queue, through the real bot."""

from __future__ import annotations

import json
from dataclasses import replace

from bot import review
from bot.understand.rules import load_rules, to_matchable

MISSED = "hows the beijing washington standoff looking"


async def ask(world, text: str):
    me = world.env.bot.user
    await world.member.send(world.channel, f"<@{me.id}> {text}")
    reply = world.channel.last_message
    assert reply.author.id == me.id
    return reply


def labels(message) -> list[str]:
    return [c.label for row in message.components for c in row.children]


async def test_every_answer_has_feedback_buttons_and_clicks_are_recorded(world) -> None:
    reply = await ask(world, "China's tariff on US goods on 1 June 2025")
    assert labels(reply) == ["Helpful", "Wrong or outdated"]
    clicked = await world.member.click(reply, label="Wrong or outdated")
    assert clicked.ephemeral and "moderators will review" in clicked.response.content
    await world.member.click(reply, label="Helpful")
    votes = [r["vote"] for r in world.store.db.query("SELECT vote FROM feedback ORDER BY id")]
    assert votes == ["wrong", "helpful"]
    [row] = review.wrong_answers(world.store)
    assert "cn-us-tariff-10" in json.loads(row["facts"])


async def test_slash_answers_carry_the_buttons_too(world) -> None:
    result = await world.member.slash(world.channel, "rate", importer="US", exporter="CN")
    message = result.response or result.followups[-1]
    assert {
        c["custom_id"].split(":")[2] for row in message.components for c in row["components"]
    } == {"helpful", "wrong"}


async def test_review_queue_learns_and_the_question_is_then_answered(world) -> None:
    first = await ask(world, MISSED)
    assert "only answer questions about trade" in first.embeds[0].description
    listing = await world.mod.slash(world.channel, "review list")
    text = (listing.response or listing.followups[-1]).content
    assert MISSED in text
    [group] = review.groups(world.store)
    learned = await world.mod.slash(
        world.channel, "review learn", group=group.id, intent="negotiation_status"
    )
    assert "Learned" in (learned.response or learned.followups[-1]).content
    again = await ask(world, MISSED)
    assert "stalled" in again.embeds[0].description or "trade talks" in again.embeds[0].description


async def test_review_is_for_moderators_only(world) -> None:
    world.guild.set_command_permissions(world.review_command_id, {world.member: True})
    result = await world.member.slash(world.channel, "review list")
    assert result.ephemeral and "Only moderators" in result.response.content
    assert world.env.errors == []


async def test_ambiguous_question_offers_buttons_that_answer(world) -> None:
    rules = load_rules()
    same = (to_matchable("what about the zebra crossing"),)
    for name in ("truce", "court_ruling"):
        rules.intents[name] = replace(
            rules.intents[name], examples=same, requires=(), forbid=frozenset()
        )
    world.env.bot.assistant.reindex(rules)
    reply = await ask(world, "what about the zebra crossing")
    offered = labels(reply)
    assert rules.intents["truce"].suggestion in offered
    assert rules.intents["court_ruling"].suggestion in offered
    result = await world.member.click(reply, label=rules.intents["court_ruling"].suggestion)
    answer = result.response or result.followups[-1]
    assert "Latest" in answer.embeds[0].description

"""Reminders of records falling due, through the real bot in simcord's offline Discord:
each stage posted once (also across a restart), buttons that settle the record and work
after a restart, permissions, and the presence stating the data cut-off."""

from __future__ import annotations

from datetime import date, timedelta

from bot.client import create_bot
from bot.exts.reminders import presence_text
from bot.store import Author

END = date(2031, 6, 10)  # after every bundled record: only this test's fact is "before"
FACT_ID = "test-truce-2031"
ME = Author("seed", "1")


def add_truce(store) -> None:
    store.add(
        {
            "id": FACT_ID,
            "kind": "deal_status",
            "subject": "Test truce **bold** @everyone",
            "parties": ["US", "CN"],
            "status": "in force",
            "statement": "A test truce runs to 10 Jun 2031.",
            "valid_from": "2030-06-10",
            "valid_to": END.isoformat(),
            "end_kind": "scheduled",
            "recorded": "2030-06-10",
            "citations": [{"source": next(iter(store.sources()))}],
        },
        by=ME,
        reason="test record",
    )


def cog_of(world):
    cog = world.env.bot.get_cog("Reminders")
    world.env.bot.settings.moderator_channel_id = world.channel.id
    return cog


def mine(world):
    me = world.env.bot.user.id
    return [m for m in world.channel.history() if m.author.id == me and FACT_ID in m.content]


async def test_each_stage_is_posted_once_and_escaped(world) -> None:
    add_truce(world.store)
    cog = cog_of(world)
    assert await cog.post_due(END - timedelta(days=30)) > 0  # the bundled lapsed records
    assert mine(world) == []  # not yet within 7 days of this one
    assert await cog.post_due(END - timedelta(days=5)) == 1  # "before"
    assert await cog.post_due(END - timedelta(days=4)) == 0  # the same stage: not again
    assert await cog.post_due(END) == 1  # on the day
    assert await cog.post_due(END + timedelta(days=7)) == 1  # still unsettled a week later
    assert await cog.post_due(END + timedelta(days=8)) == 0
    first, on_day, after = mine(world)
    assert "due in 5 days (10 Jun 2031)" in first.content
    assert "due today (10 Jun 2031)" in on_day.content
    assert "\\*\\*bold\\*\\*" in first.content and "@\u200beveryone" in first.content
    assert "Answers now say it was scheduled to end" in after.content
    labels = [c.label for row in first.components for c in row.children]
    assert labels == ["Extended to…", "Ended", "Changed to…"]


async def test_a_restart_does_not_post_again(world, bot_settings) -> None:
    add_truce(world.store)
    assert await cog_of(world).post_due(END) > 0
    await world.env.restart_bot(create_bot(bot_settings))
    assert await cog_of(world).post_due(END) == 0


async def test_a_failed_send_is_retried_with_the_same_nonce(world) -> None:
    add_truce(world.store)
    cog = cog_of(world)
    await cog.post_due(END - timedelta(days=30))  # the bundled ones first, out of the way
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    assert await cog.post_due(END - timedelta(days=5)) == 0  # nothing recorded
    assert await cog.post_due(END - timedelta(days=5)) == 1
    nonces = [
        r.json["nonce"]
        for r in world.env.http_requests
        if r.method == "POST" and FACT_ID in ((r.json or {}).get("content") or "")
    ]
    assert len(nonces) == 2 and nonces[0] == nonces[1]


async def test_ended_button_settles_the_record_and_stops_reminders(world, bot_settings) -> None:
    add_truce(world.store)
    await cog_of(world).post_due(END)
    [message] = mine(world)
    await world.env.restart_bot(create_bot(bot_settings))  # buttons outlive the process
    shown = await world.mod.click(message, label="Ended")
    assert shown.modal is not None
    result = await world.mod.submit_modal(shown, {"reason": "the White House said so"})
    text = (result.followups[-1] if result.followups else result.response).content
    assert f"`{FACT_ID}` ended (revision 2)" in text
    assert world.store.require(FACT_ID).end_kind == "confirmed"
    assert await cog_of(world).post_due(END + timedelta(days=7)) == 0  # settled


async def test_extended_button_moves_the_end_and_refuses_a_bad_date(world) -> None:
    add_truce(world.store)
    await cog_of(world).post_due(END)
    [message] = mine(world)
    shown = await world.mod.click(message, label="Extended to…")
    bad = await world.mod.submit_modal(shown, {"until": "next year", "reason": "extended"})
    assert "is not a date; write YYYY-MM-DD" in bad.response.content
    assert world.store.require(FACT_ID).revision == 1  # nothing written
    shown = await world.mod.click(message, label="Extended to…")
    await world.mod.submit_modal(shown, {"until": "2032-06-10", "reason": "extended a year"})
    fact = world.store.require(FACT_ID)
    assert (fact.valid_to, fact.end_kind) == (date(2032, 6, 10), "scheduled")


async def test_buttons_refuse_non_moderators(world) -> None:
    add_truce(world.store)
    await cog_of(world).post_due(END)
    [message] = mine(world)
    for label in ("Extended to…", "Ended", "Changed to…"):
        result = await world.member.click(message, label=label)
        assert result.modal is None and "Only moderators" in result.response.content
    assert world.store.require(FACT_ID).revision == 1


async def test_changed_to_opens_the_change_form(world) -> None:
    add_truce(world.store)
    await cog_of(world).post_due(END)
    [message] = mine(world)
    shown = await world.mod.click(message, label="Changed to…")
    assert shown.modal is not None and FACT_ID in shown.modal["title"]


async def test_nothing_is_posted_without_a_moderators_channel(world) -> None:
    cog = world.env.bot.get_cog("Reminders")
    world.env.bot.settings.moderator_channel_id = None
    assert await cog.post_due(END) == 0


async def test_presence_states_the_data_cutoff(world) -> None:
    assert presence_text(date(2026, 7, 2)) == "Records to 2 Jul 2026 · /about"
    assert presence_text(None) == "No facts loaded · /about"
    cog = world.env.bot.get_cog("Reminders")
    await cog.update_presence()
    assert cog.presence.startswith("Records to ")

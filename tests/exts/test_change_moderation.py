"""/fact change: the real bot in simcord's offline Discord ends a measure on a date and
starts its successor; refusals and bad input are one ephemeral line and change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import alerts, service
from bot.client import create_bot
from bot.exts.change_moderation import change_choices, parse_change
from bot.store import Author, ValidationError
from tests.exts.test_alerts import drained, watch
from tests.exts.test_discord import assert_no_pings

MEASURE = "us-vn-test-20"
START = date(2025, 8, 7)
SOURCE_LINE = "https://example.org/vn-order | New order on Vietnam | Example News | 2025-09-20"


@pytest.fixture
async def measure(world):
    """A tariff measure of the test's own (no bundled fact is US ← VN), open-ended."""
    return service.add_fact(
        world.store,
        {
            "id": MEASURE,
            "kind": "tariff_rate",
            "importer": "US",
            "exporter": "VN",
            "rate": 20,
            "statement": "The US applies a 20% tariff on goods from Vietnam.",
            "valid_from": START.isoformat(),
        },
        by=Author("setup"),
        reason="test measure",
        new_source=service.NewSource(
            url="https://example.org/vn",
            title="Vietnam deal",
            publisher="Example News",
            published="2025-08-01",
        ),
    )


def reply_of(result):
    """The submit's one reply: the follow-up after a defer, else the response."""
    return result.followups[-1] if result.followups else result.response


def snapshot(store) -> list[tuple]:
    """Every fact with its revision and end: what must not change on a refusal."""
    return sorted(
        (f.id, f.revision, f.valid_to, f.retracted) for f in store.facts(include_retracted=True)
    )


def form(**values: str) -> dict[str, str]:
    filled = {"effective": "2025-10-01", "value": "25", "reason": "new executive order"}
    return {**filled, **values}


async def change(world, who=None, **values: str):
    who = who or world.mod
    shown = await who.slash(world.channel, "fact change", fact=MEASURE)
    assert shown.modal is not None and not shown.deferred  # the form is the acknowledgement
    return await who.submit_modal(shown, form(**values))


# ---- the form's text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate", "status"),
    [
        ("15", 15.0, None),
        ("7.5 %", 7.5, None),
        ("0%", 0.0, None),
        (" Paused ", None, "paused"),
        ("struck   down", None, "struck down"),
    ],
)
def test_a_number_is_a_rate_and_words_a_status(text, rate, status) -> None:
    change = parse_change("2025-10-01", text, "", "")
    assert (change.effective, change.rate, change.status) == (date(2025, 10, 1), rate, status)
    assert change.new_source is None and change.quote is None


def test_every_problem_in_the_form_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_change("1 Oct", "lots", "not a source", "a quote")
    fields = [e.field for e in caught.value.errors]
    assert fields == ["effective", "rate or status", "source"]
    with pytest.raises(ValidationError) as caught:
        parse_change("2025-10-01", "25", "", "words from nowhere")
    assert [e.field for e in caught.value.errors] == ["quote"]


# ---- moderators ------------------------------------------------------------------------------


async def test_moderator_changes_a_rate_two_linked_facts_and_history(world, measure) -> None:
    result = await change(world, source=SOURCE_LINE, quote="raised to 25% from October")
    message = reply_of(result)
    assert message.ephemeral
    ended = world.store.require(MEASURE)
    [successor] = [f for f in world.store.facts() if f.supersedes == MEASURE]
    assert (ended.rate, ended.valid_from, ended.valid_to) == (20, START, date(2025, 10, 1))
    assert (successor.rate, successor.valid_from, successor.valid_to) == (
        25,
        date(2025, 10, 1),
        None,
    )
    assert (successor.importer, successor.exporter) == ("US", "VN")
    text = message.content
    assert f"Changed **{MEASURE}** by mod: 20% now ends 2025-10-01" in text
    assert f"Successor **{successor.id}**: 25% from 2025-10-01" in text
    assert "Source: New order on Vietnam (Example News, 2025-09-20)" in text
    assert "Reason: new executive order" in text
    [(source, quote)] = world.store.sources_of(successor)[-1:]
    assert source.url == "https://example.org/vn-order" and quote == "raised to 25% from October"
    last = world.store.history(MEASURE)[-1]
    assert (last.author, last.author_id, last.reason) == (
        "mod",
        str(world.mod.id),
        "new executive order",
    )
    shown = reply_of(await world.mod.slash(world.channel, "fact history", fact=MEASURE))
    assert "r2" in shown.content and "valid_to: — → 2025-10-01" in shown.content
    assert f"succeeded by {successor.id}: r1" in shown.content
    shown = reply_of(await world.mod.slash(world.channel, "fact history", fact=successor.id))
    assert f"succeeds {MEASURE}: r2" in shown.content and "new executive order" in shown.content
    assert_no_pings(world.env)
    assert world.env.errors == []


async def test_a_status_change_keeps_the_citations_when_no_source_is_given(world, measure) -> None:
    await change(world, value="paused", reason="court order")
    [successor] = [f for f in world.store.facts() if f.supersedes == MEASURE]
    assert successor.status == "paused" and successor.valid_from == date(2025, 10, 1)
    assert successor.source_ids == measure.source_ids


async def test_hostile_reason_is_escaped_and_pings_no_one(world, measure) -> None:
    hostile = "**loud** @everyone <@123> [click](https://evil.example) # title"
    text = reply_of(await change(world, reason=hostile)).content
    assert "\\*\\*loud\\*\\*" in text and "@everyone" not in text
    assert "\\<@123>" in text and "\\[click\\](https" in text  # shown as typed, inert
    assert_no_pings(world.env)


async def test_a_change_reaches_watch_channels_once_per_fact(world, measure) -> None:
    await watch(world)
    await change(world)
    await drained(world, timeout=30)
    world.env.bot.get_cog("Alerts").kick()  # a second pass sends nothing new
    await drained(world, timeout=30)
    me = world.env.bot.user.id
    sent = [
        m.content for m in world.channel.history() if m.author.id == me and "Fact " in m.content
    ]
    [successor] = [f for f in world.store.facts() if f.supersedes == MEASURE]
    [ended_alert] = [t for t in sent if t.startswith(f"Fact {MEASURE} ")]
    [new_alert] = [t for t in sent if t.startswith(f"Fact {successor.id} ")]
    assert "valid to: open → 1 Oct 2025" in ended_alert
    assert "New: 25%" in new_alert and "Changed by mod: new executive order" in new_alert
    assert len(alerts.deliveries(world.store, world.channel.id)) == 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"effective": "2025-02-30"}, "effective '2025-02-30' is not a date YYYY-MM-DD"),
        ({"effective": "next week"}, "is not a date YYYY-MM-DD"),
        ({"effective": "2025-01-01"}, "is not strictly inside us-vn-test-20's valid time"),
        ({"effective": "2025-08-07"}, "is not strictly inside"),  # the day it starts
        ({"value": "20"}, "rate is the same as now"),
        ({"value": "banana"}, "neither a rate in percent"),
        ({"source": "http://x | a | b | 2025-01-01"}, "source"),
        ({"quote": "said somewhere"}, "quote needs the source it comes from"),
    ],
)
async def test_bad_input_is_one_ephemeral_line_and_changes_nothing(
    world, measure, values, expected
) -> None:
    before = snapshot(world.store)
    message = reply_of(await change(world, **values))
    assert message.ephemeral and "\n" not in message.content
    assert expected in message.content
    assert snapshot(world.store) == before
    assert world.env.errors == []


async def test_non_moderator_is_refused_and_gets_no_form(world, measure) -> None:
    # Even when a server admin lets everyone see /fact, the check in code refuses.
    world.guild.set_command_permissions(world.fact_command_id, {world.member: True})
    before = snapshot(world.store)
    result = await world.member.slash(world.channel, "fact change", fact=MEASURE)
    assert result.ephemeral and "Only moderators" in result.response.content
    assert result.modal is None
    assert await world.member.autocomplete(world.channel, "fact change", "fact", "") == []
    assert snapshot(world.store) == before
    assert world.env.errors == []


async def test_autocomplete_offers_open_measures_first(world, measure) -> None:
    offered = await world.mod.autocomplete(world.channel, "fact change", "fact", "")
    assert 0 < len(offered) <= 25
    facts = {f.id: f for f in world.store.facts()}
    assert all(facts[c["value"]].kind == "tariff_rate" for c in offered)
    ends = [facts[c["value"]].valid_to is not None for c in offered]
    assert ends == sorted(ends)  # every open measure before any that has ended
    found = await world.mod.autocomplete(world.channel, "fact change", "fact", "vietnam")
    values = [c["value"] for c in found]
    assert MEASURE in values and "us-reciprocal-countries-vn-20" in values  # VN measures


def test_choices_are_measures_only_open_first(fresh_db) -> None:
    from tests.conftest import MOD, rate_fact

    fresh_db.add(
        fresh_db.parse(rate_fact(id="ended", valid_to="2025-05-01")), by=MOD, reason="test"
    )
    fresh_db.add(fresh_db.parse(rate_fact(id="open", exporter="KR")), by=MOD, reason="test")
    fresh_db.add(
        fresh_db.parse(
            {
                "id": "talks",
                "kind": "negotiation_status",
                "parties": ["US", "JP"],
                "status": "ongoing",
                "statement": "The US and Japan hold tariff talks.",
                "valid_from": "2025-04-03",
                "recorded": "2025-06-01",
                "citations": [{"source": "src-a"}],
            }
        ),
        by=MOD,
        reason="test",
    )
    facts = fresh_db.facts(include_retracted=True)
    assert [c.value for c in change_choices(facts, "")] == ["open", "ended"]
    assert [c.value for c in change_choices(facts, "KR")] == []  # ids and statements only
    assert [c.value for c in change_choices(facts, "open")] == ["open"]


async def test_change_exists_only_in_the_home_guild(world) -> None:
    other = world.env.create_guild("Elsewhere")
    channel = other.create_text_channel("general")
    owner = other.add_member(world.env.create_user("other-admin"))
    assert "fact change" not in owner.available_commands(channel)
    assert "fact change" in world.mod.available_commands(world.channel)


async def test_a_read_only_replica_answers_with_the_same_line_as_other_edits(
    world, measure, bot_settings, tmp_path: Path
) -> None:
    await world.env.bot.close()
    db = Path(bot_settings.db_path)
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        await world.env.restart_bot(create_bot(bot_settings))
        before = snapshot(world.env.bot.store)
        changed = reply_of(await change(world))
        retracted = reply_of(
            await world.mod.slash(world.channel, "fact retract", fact=MEASURE, reason="try it")
        )
        assert changed.ephemeral and "\n" not in changed.content
        assert "read-only" in changed.content and changed.content == retracted.content
        assert snapshot(world.env.bot.store) == before
    finally:
        tmp_path.chmod(0o755)
        db.chmod(0o644)

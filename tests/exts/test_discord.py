"""The real bot, through discord.py's own code, in simcord's offline Discord."""

from __future__ import annotations

import discord
import pytest

from bot.store import Author
from tests.exts.conftest import HOME_GUILD_ID

MESSAGE_ROUTES = ("/messages", "/callback", "/webhooks/")


def body(result) -> discord.Embed:
    """The embed of a slash command's answer (after defer, the first follow-up fills the
    original response)."""
    message = result.response or result.followups[-1]
    return message.embeds[0]


def text_of(embed: discord.Embed) -> str:
    return "\n".join(
        [embed.description or "", *(f.value for f in embed.fields), embed.footer.text or ""]
    )


def message_requests(env) -> list[dict]:
    """Every request by which the bot posted or edited a message, with its payload."""
    out = []
    for request in env.http_requests:
        if request.method in ("POST", "PATCH") and any(r in request.path for r in MESSAGE_ROUTES):
            payload = request.json or {}
            data = payload.get("data", payload) if "type" in payload else payload
            if isinstance(data, dict) and ("content" in data or "embeds" in data):
                out.append(data)
    return out


def assert_no_pings(env) -> None:
    sent = message_requests(env)
    assert sent, "the bot sent nothing"
    for data in sent:
        mentions = data.get("allowed_mentions")
        assert mentions is not None and mentions.get("parse") == [], data
        assert not mentions.get("users") and not mentions.get("roles")
        assert not mentions.get("replied_user")


def deferred(env) -> bool:
    return any(
        r.path.endswith("/callback") and (r.json or {}).get("type") == 5 for r in env.http_requests
    )


# ---- everyone: slash commands --------------------------------------------------------------


async def test_rate_answers_with_sources_after_defer(world) -> None:
    result = await world.member.slash(
        world.channel, "rate", importer="US", exporter="CN", date="2025-06-01"
    )
    embed = body(result)
    assert "30%" in embed.description and "14 May 2025" in embed.description
    sources = next(f.value for f in embed.fields if f.name == "Sources")
    assert "britishwire.com" in sources and "British Wire, 30 May 2025" in sources
    assert deferred(world.env)
    assert_no_pings(world.env)


async def test_rate_today_says_no_record_then_the_latest_record_framed_as_past(world) -> None:
    result = await world.member.slash(world.channel, "rate", importer="US", exporter="CN")
    embed = body(result)
    first = embed.description.splitlines()[0]
    assert "don't have a record" in first and "%" not in first  # nothing holds today
    assert "My latest record, as it stood on 23 Jul 2026:" in embed.description
    assert "My records run to" in embed.description and embed.fields  # cut-off, sources


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"importer": "Atlantis", "exporter": "CN"}, "not a party I know"),
        ({"importer": "US", "exporter": "CN", "date": "2025-02-30"}, "not a date"),
    ],
)
async def test_submitted_values_are_validated_again(world, options, expected) -> None:
    result = await world.member.slash(world.channel, "rate", **options)
    assert result.ephemeral and expected in result.response.content
    assert world.env.errors == []


async def test_autocomplete_offers_parties_with_rates(world) -> None:
    choices = await world.member.autocomplete(world.channel, "rate", "importer", "")
    assert 0 < len(choices) <= 25 and {"US", "CN"} <= {c["value"] for c in choices}
    china = await world.member.autocomplete(world.channel, "rate", "exporter", "chi", importer="US")
    assert [c["value"] for c in china] == ["CN"]


async def test_fact_autocomplete_is_capped_at_25(world) -> None:
    choices = await world.member.autocomplete(world.channel, "sources", "fact", "")
    assert len(choices) == 25
    found = await world.member.autocomplete(world.channel, "sources", "fact", "tariff-30")
    assert [c["value"] for c in found] == ["us-cn-tariff-30"]


@pytest.mark.parametrize(
    ("command", "options", "expected"),
    [
        ("status", {"parties": "CN"}, "trade talks"),
        ("rulings", {}, "Supreme Court"),
        ("deadlines", {}, "due on"),
        ("timeline", {"importer": "US", "exporter": "CN"}, "145%"),
        ("sources", {"fact": "us-cn-tariff-30"}, "US tariffs on Chinese goods were lowered"),
        ("about", {}, "I track"),
        ("ask", {"question": "is the court case over?"}, "Supreme Court"),
    ],
)
async def test_every_lookup_command(world, command, options, expected) -> None:
    result = await world.member.slash(world.channel, command, **options)
    assert expected in text_of(body(result))
    assert_no_pings(world.env)


async def test_chart_replies_with_a_png(world) -> None:
    result = await world.member.slash(world.channel, "chart", importer="US", exporter="CN")
    message = (result.response or result.followups[-1]).message
    [attachment] = message.attachments
    assert attachment.filename == "rate-US-CN.png" and "8 period(s)" in message.content
    assert_no_pings(world.env)


async def test_sources_rejects_an_unknown_fact(world) -> None:
    result = await world.member.slash(world.channel, "sources", fact="no-such-fact")
    assert result.ephemeral and "no current fact" in result.response.content


# ---- everyone: plain messages ---------------------------------------------------------------


async def test_mention_gets_a_reply_with_the_answer(world) -> None:
    me = world.env.bot.user
    question = await world.member.send(
        world.channel, f"<@{me.id}> China's tariff on US goods on 1 June 2025?"
    )
    reply = world.channel.last_message
    assert reply.author.id == me.id and reply.reference.message_id == question.id
    assert "10%" in reply.embeds[0].description
    assert_no_pings(world.env)


async def test_a_reply_to_the_bots_answer_continues_its_question(world) -> None:
    me = world.env.bot.user
    await world.member.send(world.channel, f"<@{me.id}> China's tariff on US goods on 1 June 2025?")
    first = world.channel.last_message
    assert "China's tariffs on American goods" in first.embeds[0].description
    await world.member.send(world.channel, f"<@{me.id}> and Japan?", reply_to=first)
    second = world.channel.last_message
    assert second.author.id == me.id
    # China's tariffs on US goods, continued: Japan's tariffs on US goods (none recorded).
    assert "Japan's tariffs on American goods" in second.embeds[0].description.splitlines()[0]
    # Not a reply: "and Japan?" alone has nothing to continue.
    await world.member.send(world.channel, f"<@{me.id}> and Japan?")
    third = world.channel.last_message.embeds[0].description.splitlines()[0]
    assert "Japan's tariffs on American goods" not in third
    assert_no_pings(world.env)


async def test_a_long_mention_is_read_whole_not_cut(world) -> None:
    """The ask sits past the first 1,000 characters: a cut message would lose it."""
    me = world.env.bot.user
    story = "We import furniture parts and the paperwork is getting out of hand. " * 16
    await world.member.send(
        world.channel, f"<@{me.id}> {story} China's tariff on US goods on 1 June 2025?"
    )
    reply = world.channel.last_message
    assert reply.author.id == me.id
    assert "10%" in reply.embeds[0].description


async def test_no_mention_no_reply_outside_answer_channels(world) -> None:
    await world.member.send(world.channel, "what is the US tariff on China?")
    assert world.channel.last_message.author.id == world.member.id


async def test_direct_message_is_answered(world) -> None:
    await world.member.user.send_dm("when does the tariff truce end?")
    last = world.member.user.dm_channel.last_message
    assert last.author.id == world.env.bot.user.id
    assert "due on" in last.embeds[0].description


async def test_everyone_in_a_question_never_pings(world) -> None:
    me = world.env.bot.user
    await world.member.send(world.channel, f"@everyone <@{me.id}> @here tariffs US on China?")
    reply = world.channel.last_message
    assert "@everyone" not in (reply.content or "") and "@everyone" not in text_of(reply.embeds[0])
    assert_no_pings(world.env)


# ---- moderators -----------------------------------------------------------------------------

ADD_FORM = {
    "value": "25",
    "statement": "The US applies a 25% tariff on Japanese cars.",
    "valid": "2025-04-03",
    "source": "https://example.org/autos | Car tariffs | Example News | 2025-04-02",
    "fact_id": "us-jp-autos",
}


async def add_autos(world, who=None):
    shown = await (who or world.mod).slash(
        world.channel,
        "fact add",
        kind="tariff_rate",
        reason="new tariff",
        importer="US",
        exporter="JP",
    )
    assert shown.modal is not None
    return await (who or world.mod).submit_modal(shown, ADD_FORM)


async def test_moderator_adds_a_fact_through_the_form(world) -> None:
    result = await add_autos(world)
    confirmation = body(result) if result.response and result.response.embeds else None
    text = (result.response or result.followups[-1]).content
    assert confirmation is None and "Added **us-jp-autos**" in text and "rate 25%" in text
    assert "Car tariffs" in text
    fact = world.store.require("us-jp-autos")
    assert (fact.rate, fact.importer, fact.exporter) == (25, "US", "JP")
    [rev] = world.store.history("us-jp-autos")
    assert rev.author == "mod" and rev.author_id == str(world.mod.id) and rev.reason == "new tariff"
    assert_no_pings(world.env)


async def test_admin_with_manage_server_is_a_moderator(world) -> None:
    await add_autos(world, world.admin)
    assert world.store.get("us-jp-autos", missing_ok=True) is not None


async def test_edit_form_is_prefilled_and_writes_a_revision(world) -> None:
    await add_autos(world)
    shown = await world.mod.slash(
        world.channel, "fact edit", fact="us-jp-autos", reason="deal signed"
    )
    values = {
        c["components"][0]["custom_id"]: c["components"][0].get("value")
        for c in shown.modal["components"]
    }
    assert values["value"] == "25" and values["valid"] == "2025-04-03"
    values = {k: v for k, v in values.items() if v is not None}
    result = await world.mod.submit_modal(
        shown,
        {**values, "value": "15", "statement": "The US applies a 15% tariff on Japanese cars."},
    )
    text = (result.response or result.followups[-1]).content
    assert "Updated **us-jp-autos**" in text and "rate 25% → 15%" in text
    assert world.store.require("us-jp-autos").revision == 2


async def test_two_moderators_editing_at_once_conflict(world) -> None:
    await add_autos(world)
    first = await world.mod.slash(world.channel, "fact edit", fact="us-jp-autos", reason="one")
    second = await world.admin.slash(world.channel, "fact edit", fact="us-jp-autos", reason="two")
    filled = {"statement": "The US applies a tariff on Japanese cars.", "valid": "2025-04-03"}
    await world.mod.submit_modal(first, {**filled, "value": "15"})
    result = await world.admin.submit_modal(second, {**filled, "value": "40"})
    message = result.followups[-1] if result.followups else result.response
    assert message.ephemeral
    message = message.content
    assert "changed by mod" in message and "nothing was written" in message
    fact = world.store.require("us-jp-autos")
    assert (fact.rate, fact.revision) == (15, 2)
    [refused] = world.store.rejected_edits("us-jp-autos")
    assert refused["author"] == "admin" and refused["base_revision"] == 1
    assert world.env.errors == []


async def test_invalid_form_names_fields_and_changes_nothing(world) -> None:
    before = len(world.store.facts(include_retracted=True))
    shown = await world.mod.slash(
        world.channel,
        "fact add",
        kind="tariff_rate",
        reason="typo test",
        importer="US",
        exporter="JP",
    )
    bad = {
        **ADD_FORM,
        "value": "2500",
        "valid": "2025-13-01",
        "source": "http://x | a | b | 2025-01-01",
    }
    result = await world.mod.submit_modal(shown, bad)
    reply = result.followups[-1] if result.followups else result.response
    message = reply.content
    assert reply.ephemeral
    assert "rate" in message and "valid_from" in message and "source_url" in message
    assert len(world.store.facts(include_retracted=True)) == before
    assert world.env.errors == []


async def test_retract_history_and_undo(world) -> None:
    await add_autos(world)
    await world.mod.slash(world.channel, "fact retract", fact="us-jp-autos", reason="duplicate")
    assert world.store.require("us-jp-autos").retracted
    history = await world.mod.slash(world.channel, "fact history", fact="us-jp-autos")
    text = (history.followups[-1] if history.followups else history.response).content
    assert "r1" in text and "r2" in text and "retract" in text
    await world.mod.slash(world.channel, "fact undo", fact="us-jp-autos", reason="oops")
    assert not world.store.require("us-jp-autos").retracted


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("fact add", {"kind": "tariff_rate", "reason": "sneaky"}),
        ("fact edit", {"fact": "us-cn-tariff-30", "reason": "sneaky"}),
        ("fact retract", {"fact": "us-cn-tariff-30", "reason": "sneaky"}),
        ("fact undo", {"fact": "us-cn-tariff-30", "reason": "sneaky"}),
        ("fact history", {"fact": "us-cn-tariff-30"}),
    ],
)
async def test_non_moderator_is_refused_and_nothing_changes(world, command, options) -> None:
    # Even when a server admin lets everyone see /fact, the check in code refuses.
    world.guild.set_command_permissions(world.fact_command_id, {world.member: True})
    before = [(f.id, f.revision, f.retracted) for f in world.store.facts(include_retracted=True)]
    result = await world.member.slash(world.channel, command, **options)
    assert result.ephemeral and "Only moderators" in result.response.content
    assert result.modal is None
    after = [(f.id, f.revision, f.retracted) for f in world.store.facts(include_retracted=True)]
    assert after == before
    assert world.env.errors == []


async def test_moderator_commands_exist_only_in_the_home_guild(world) -> None:
    other = world.env.create_guild("Elsewhere")
    channel = other.create_text_channel("general")
    owner = other.add_member(world.env.create_user("other-admin"))
    assert "fact add" not in owner.available_commands(channel)
    assert "rate" in owner.available_commands(channel)
    assert "fact add" in world.mod.available_commands(world.channel)


async def test_edits_elsewhere_are_answered_immediately(world) -> None:
    world.store.update(
        "us-cn-tariff-30",
        {"rate": 35, "components": None},
        base_revision=1,
        by=Author("cli"),
        reason="test",
    )
    result = await world.member.slash(
        world.channel, "rate", importer="US", exporter="CN", date="2025-06-01"
    )
    assert "35%" in body(result).description


async def test_home_guild_id_is_what_registers_moderator_commands(world) -> None:
    commands = {
        c.name
        for c in await world.env.bot.tree.fetch_commands(guild=discord.Object(id=HOME_GUILD_ID))
    }
    assert commands == {"fact", "review"}

"""/fact source-edit and /fact source-history: the real bot in simcord's offline Discord."""

from __future__ import annotations

import pytest

from bot.store import Author
from bot.store.model import SourceRevision

SOURCE = "britishwire-2025-05-30"


def reply_of(result):
    """The command's one reply: the follow-up after a defer, else the response."""
    return result.followups[-1] if result.followups else result.response


def snapshot(store) -> tuple:
    """Every source as stored, and every source edit: what must not change on a refusal."""
    sources = sorted((s.id, s.title, s.publisher, s.published) for s in store.sources().values())
    edits = [
        (r.source_id, r.revision) for r in store.changes_since(0) if isinstance(r, SourceRevision)
    ]
    return sources, edits


async def test_moderator_edits_a_source_title(world) -> None:
    old_title = world.store.require_source(SOURCE).title
    result = await world.mod.slash(
        world.channel,
        "fact source-edit",
        source=SOURCE,
        title="US-China talks stall",
        reason="headline was updated",
    )
    message = reply_of(result)
    assert message.ephemeral
    text = message.content
    assert f"Edited source **{SOURCE}** (revision 2) by mod" in text
    assert f"title: {old_title} → US-China talks stall" in text
    assert "Reason: headline was updated" in text and "us-cn-tariff-30" in text
    assert world.store.require_source(SOURCE).title == "US-China talks stall"
    [rev] = world.store.source_history(SOURCE)
    assert (rev.author, rev.author_id) == ("mod", str(world.mod.id))
    assert rev.reason == "headline was updated"
    assert (rev.before["title"], rev.after["title"]) == (old_title, "US-China talks stall")
    assert world.env.errors == []


async def test_confirmation_escapes_stored_text(world) -> None:
    result = await world.mod.slash(
        world.channel,
        "fact source-edit",
        source=SOURCE,
        publisher="**Wire** @everyone",
        reason="check escaping",
    )
    text = reply_of(result).content
    assert "\\*\\*Wire\\*\\*" in text and "@everyone" not in text


async def test_source_history_shows_who_when_why_and_before_after(world) -> None:
    world.store.edit_source(
        SOURCE, {"published": "2025-05-29"}, by=Author("alice", "42"), reason="typo in date"
    )
    result = await world.mod.slash(world.channel, "fact source-history", source=SOURCE)
    message = reply_of(result)
    assert message.ephemeral
    text = message.content
    assert "1 edit(s)" in text and "edit by alice (42): typo in date" in text
    assert "published: 2025-05-30 → 2025-05-29" in text


async def test_source_history_of_an_unedited_source(world) -> None:
    result = await world.mod.slash(world.channel, "fact source-history", source=SOURCE)
    assert "0 edit(s) since it was first stored" in reply_of(result).content
    unknown = await world.mod.slash(world.channel, "fact source-history", source="nope")
    assert "no source with id 'nope'; pick one from the list" in reply_of(unknown).content


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"published": "2025-02-30"}, "published '2025-02-30' is not a date YYYY-MM-DD"),
        ({"published": "2099-01-01"}, "is after today"),
        ({"title": "   "}, "title"),
        ({}, "give a new title, publisher or published date"),
        ({"source": "no-such-source", "title": "x"}, "no source with id 'no-such-source'"),
    ],
)
async def test_bad_input_is_one_ephemeral_line_and_changes_nothing(
    world, options, expected
) -> None:
    before = snapshot(world.store)
    result = await world.mod.slash(
        world.channel, "fact source-edit", **{"source": SOURCE, "reason": "fix it", **options}
    )
    message = reply_of(result)
    assert message.ephemeral and "\n" not in message.content
    assert message.content.startswith("Nothing was changed") and expected in message.content
    assert snapshot(world.store) == before
    assert world.env.errors == []


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("fact source-edit", {"source": SOURCE, "title": "Hijacked", "reason": "sneaky"}),
        ("fact source-history", {"source": SOURCE}),
    ],
)
async def test_non_moderator_is_refused_and_nothing_changes(world, command, options) -> None:
    # Even when a server admin lets everyone see /fact, the check in code refuses.
    world.guild.set_command_permissions(world.fact_command_id, {world.member: True})
    before = snapshot(world.store)
    result = await world.member.slash(world.channel, command, **options)
    assert result.ephemeral and "Only moderators" in result.response.content
    assert snapshot(world.store) == before
    assert world.env.errors == []


async def test_autocomplete_offers_sources_to_moderators_only(world) -> None:
    offered = await world.mod.autocomplete(world.channel, "fact source-edit", "source", "")
    assert 0 < len(offered) <= 25
    assert all(c["value"] in world.store.sources() for c in offered)
    found = await world.mod.autocomplete(world.channel, "fact source-history", "source", "british")
    assert SOURCE in {c["value"] for c in found}
    assert all("british" in c["name"].casefold() for c in found)
    world.guild.set_command_permissions(world.fact_command_id, {world.member: True})
    assert await world.member.autocomplete(world.channel, "fact source-edit", "source", "") == []


async def test_source_commands_exist_only_in_the_home_guild(world) -> None:
    other = world.env.create_guild("Elsewhere")
    channel = other.create_text_channel("general")
    owner = other.add_member(world.env.create_user("other-admin"))
    assert "fact source-edit" not in owner.available_commands(channel)
    assert {"fact source-edit", "fact source-history"} <= set(
        world.mod.available_commands(world.channel)
    )

"""Hostile stored text through the real Discord door: shown as typed, never as markup, a
masked link, an invite, a mention or an invisible reordering; a source link whose URL
has an '@' (medium.com/@author) stays whole.

`shown`, `masked_links` and `live_markup` (tests/test_safe_text.py) say what Discord
would display and what it would turn into markup.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import discord

from bot import review
from bot.answer.compose import Answer
from bot.exts.render import answer_embed
from bot.store import Author, Source
from tests.exts.test_alerts import alert_messages, drained, watch
from tests.exts.test_discord import assert_no_pings, body
from tests.test_safe_text import (
    HOSTILE,
    HOSTILE_SHOWN,
    MEDIUM,
    UNSAFE_CHARS,
    live_markup,
    masked_links,
    shown,
)

TITLE = "[click](https://evil.example) **Big** news"
PUBLISHER = "discord.gg/pub <@123>"
NICK = "**Eve** @everyone <@123>"
REASON = "__why__ @here <@&5> discord.com/invite/xyz"


def assert_inert(markdown: str, own_bold: str = "") -> None:
    """No markup Discord would apply, apart from the bot's own `**bold**` words."""
    rest = markdown.replace(own_bold, "") if own_bold else markdown
    assert masked_links(rest) == [], rest
    assert live_markup(rest) == [], rest
    assert not UNSAFE_CHARS.search(rest.replace("\u200b", "")), rest


# ---- the answer embed (bot/exts/render.py) ---------------------------------------------


def hostile_answer() -> Answer:
    sources = [
        Source("s1", MEDIUM, TITLE, PUBLISHER, date(2025, 5, 1)),
        Source("s2", "https://example.org/a", "**Plain** ](x title", "Pub", date(2025, 5, 2)),
        Source("s3", "https://www.ustr.gov@evil.example/", "Userinfo", "Pub", date(2025, 5, 3)),
    ]
    return Answer(
        question=HOSTILE,
        intent="tariff_rate",
        confidence=1.0,
        text="",
        facts=["f"],
        sources=sources,
        suggestions=["**Sure?** @everyone"],
        as_of=date(2025, 6, 1),
        outcome="answer",
        lines=[HOSTILE],
        notes=["Confidence: low. basis **b** \u202eevil"],
        quotes={"s1": HOSTILE},
    )


def test_answer_embed_shows_stored_text_as_text() -> None:
    embed = answer_embed(hostile_answer())
    assert shown(embed.description) == HOSTILE_SHOWN
    assert_inert(embed.description)
    fields = {f.name: f.value for f in embed.fields}
    assert shown(fields["Quote"]) == f"“{HOSTILE_SHOWN}”"
    assert_inert(fields["Quote"])
    assert shown(fields["You could ask"]) == "• **Sure?** @everyone"
    assert_inert(fields["You could ask"])


def test_source_links_are_built_only_from_their_own_safe_urls() -> None:
    sources = next(f.value for f in answer_embed(hostile_answer()).fields if f.name == "Sources")
    first, second, third = sources.split("\n")
    # A title that names a link cannot mask the real one: it is text, the link follows.
    assert masked_links(first) == [] and f"<{MEDIUM}>" in first  # the '@' is intact
    assert shown(first).startswith(f"{TITLE} <{MEDIUM}> — discord.gg/pub <@123>, 1 May 2025")
    assert masked_links(second) == ["https://example.org/a"]
    assert shown(second).startswith("[**Plain** ](x title](https://example.org/a)")
    assert masked_links(third) == [] and "evil" not in third  # user@host: no link at all
    for line in (first, second, third):
        assert not live_markup(line)


def test_footer_shows_no_markdown_so_it_gets_no_backslashes() -> None:
    footer = answer_embed(hostile_answer()).footer.text
    assert footer == "As of 1 Jun 2025 · Confidence: low. basis **b** evil"


# ---- moderator confirmations, history, /sources (the fake Discord server) ---------------


async def hostile_moderator(world):
    role = world.guild.create_role("Editors", permissions=discord.Permissions(manage_guild=True))
    return world.guild.add_member(world.env.create_user("eve"), roles=[role], nick=NICK)


FORM = {
    "value": "25",
    "statement": "Cars " + HOSTILE,
    "valid": "2025-04-03",
    "source": f"{MEDIUM} | {TITLE} | {PUBLISHER} | 2025-04-02",
    "fact_id": "us-jp-hostile",
}


async def test_confirmation_history_and_sources_show_text_as_typed(world) -> None:
    eve = await hostile_moderator(world)
    shown_form = await eve.slash(
        world.channel, "fact add", kind="tariff_rate", reason=REASON, importer="US", exporter="JP"
    )
    result = await eve.submit_modal(shown_form, FORM)
    text = (result.response or result.followups[-1]).content
    assert text.startswith("Added **us-jp-hostile**")
    for typed in (TITLE, PUBLISHER, NICK, REASON):
        assert typed in shown(text)
    assert_inert(text, own_bold="**us-jp-hostile**")

    history = await eve.slash(world.channel, "fact history", fact="us-jp-hostile")
    text = (history.followups[-1] if history.followups else history.response).content
    assert f"by {NICK} (" in shown(text) and REASON in shown(text)
    assert_inert(text, own_bold="**us-jp-hostile**")

    embed = body(await world.member.slash(world.channel, "sources", fact="us-jp-hostile"))
    assert shown(embed.description).startswith("Cars " + HOSTILE_SHOWN)
    assert_inert(embed.description)
    sources = next(f.value for f in embed.fields if f.name == "Sources")
    assert f"<{MEDIUM}>" in sources and shown(sources).startswith(TITLE)
    assert_inert(sources.replace(f"<{MEDIUM}>", ""))
    assert_no_pings(world.env)


async def test_review_list_shows_a_missed_question_as_text(world) -> None:
    question = "**x** [masked](https://evil.example) discord.gg/abc \x1b[31mred\x1b[0m \u202eq"
    missed = SimpleNamespace(question=question, intent=None, outcome="out_of_scope", confidence=0)
    assert review.record_miss(world.store, missed) is not None
    result = await world.mod.slash(world.channel, "review list")
    text = (result.followups[-1] if result.followups else result.response).content
    assert "“**x** [masked](https://evil.example) discord.gg/abc red q”" in shown(text)
    own = ["**Missed questions**", "**Answers marked wrong or outdated:**"]
    for bold in own:
        text = text.replace(bold, "")
    assert_inert(text.split("Teach one:")[0].replace("`", ""))  # group ids are in `code`


# ---- change alerts (bot/alerts.py through the real delivery task) -----------------------


async def test_alert_shows_stored_text_as_text_and_keeps_the_link(world) -> None:
    await watch(world, "US China")
    world.store.put_source(Source("med", MEDIUM, TITLE, PUBLISHER, date(2025, 5, 1)))
    fact = world.store.require("us-cn-tariff-30")
    world.store.update(
        fact.id,
        {"statement": "Now " + HOSTILE, "citations": [{"source": "med"}]},
        base_revision=fact.revision,
        by=Author(NICK, "7"),
        reason=REASON,
    )
    await drained(world)
    [alert] = alert_messages(world)
    visible = shown(alert.content)
    assert f"→ Now {HOSTILE_SHOWN}" in visible
    assert f"Source: {TITLE} — {PUBLISHER}, 1 May 2025 <{MEDIUM}>" in visible
    assert f"Changed by {NICK}: {REASON}" in visible
    assert f"<{MEDIUM}>" in alert.content  # the link itself, '@' and all
    assert_inert(alert.content.replace(f"<{MEDIUM}>", ""))
    assert_no_pings(world.env)

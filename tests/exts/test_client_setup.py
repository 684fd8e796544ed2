"""How the bot is built: intents, mentions, syncing, answer channels, cooldown, faults."""

from __future__ import annotations

import discord
import pytest

from bot.client import create_bot, intents_for
from bot.config import Settings


def test_intents_are_only_what_is_needed(tmp_path) -> None:
    plain = intents_for(Settings(db_path=tmp_path / "a.db"))
    assert plain.guilds and plain.guild_messages and plain.dm_messages
    assert not plain.message_content and not plain.members and not plain.presences
    assert intents_for(
        Settings(db_path=tmp_path / "a.db", message_content_intent=True)
    ).message_content
    bot = create_bot(Settings(db_path=tmp_path / "a.db"))
    assert bot.allowed_mentions.to_dict() == discord.AllowedMentions.none().to_dict()


class TestNoSyncUnlessAsked:
    @pytest.fixture
    def simcord_bot(self, bot_settings):
        return create_bot(bot_settings.model_copy(update={"sync_on_start": False}))

    @pytest.mark.simcord(strict_sync=False)
    async def test_start_does_not_sync(self, simcord_env) -> None:
        assert simcord_env.bot.store is not None  # setup_hook ran
        assert not [
            r for r in simcord_env.http_requests if r.method == "PUT" and "/commands" in r.path
        ]


class TestAnswerChannel:
    @pytest.fixture
    def simcord_bot(self, bot_settings):
        return create_bot(bot_settings.model_copy(update={"message_content_intent": True}))

    async def test_answer_channel_needs_no_mention(self, simcord_env) -> None:
        guild = simcord_env.create_guild("Other")
        answers = guild.create_text_channel("ask-tradebot")
        chat = guild.create_text_channel("general")
        simcord_env.bot.settings.answer_channel_ids.append(answers.id)
        user = guild.add_member(simcord_env.create_user("reader"))
        await user.send(answers, "what are china's tariffs on american goods on 1 june 2025")
        assert answers.last_message.author.id == simcord_env.bot.user.id
        await user.send(chat, "what are china's tariffs on american goods on 1 june 2025")
        assert chat.last_message.author.id == user.id


class TestCooldown:
    @pytest.fixture
    def simcord_bot(self, bot_settings):
        return create_bot(bot_settings.model_copy(update={"question_cooldown_seconds": 60}))

    async def test_second_question_within_cooldown_gets_one_friendly_note(self, world) -> None:
        me = world.env.bot.user
        for _ in range(3):
            await world.member.send(world.channel, f"<@{me.id}> US tariff on China?")
        bot_messages = [m for m in world.channel.history() if m.author.id == me.id]
        assert len(bot_messages) == 2  # the answer, then one note; the third is ignored
        assert "One question every 60 s" in bot_messages[1].content
        await world.env.advance_time(61)
        await world.member.send(world.channel, f"<@{me.id}> US tariff on China?")
        assert world.channel.last_message.embeds

    async def test_warned_users_are_forgotten_once_their_cooldown_is_over(self, world) -> None:
        from bot.exts import questions

        cog = world.env.bot.get_cog("Questions")
        cog.warned = {n: 100.0 for n in range(questions.WARNED_PRUNE_AT + 1)}
        cog._forget_expired(now=200.0)
        assert cog.warned == {}


async def test_a_failed_reply_does_not_stop_the_bot(world) -> None:
    me = world.env.bot.user
    world.env.inject_error("POST", "/channels/*/messages", status=500)
    await world.member.send(world.channel, f"<@{me.id}> US tariff on China?")
    assert world.channel.last_message.author.id == world.member.id  # the reply failed
    await world.member.send(world.channel, f"<@{me.id}> US tariff on China?")  # fault was once
    assert world.channel.last_message.author.id == me.id
    result = await world.member.slash(world.channel, "about")
    message = result.response or result.followups[-1]
    assert "I track" in message.embeds[0].description


def test_sharding_settings_choose_the_auto_sharded_bot(tmp_path, monkeypatch) -> None:
    from bot.client import ShardedTradebot, Tradebot

    monkeypatch.setenv("TRADEBOT_SHARD_COUNT", "4")
    monkeypatch.setenv("TRADEBOT_SHARD_IDS", "2-3")
    settings = Settings(db_path=tmp_path / "a.db")
    assert settings.shard_ids == [2, 3]
    bot = create_bot(settings)
    assert isinstance(bot, ShardedTradebot) and isinstance(bot, discord.AutoShardedClient)
    assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    on_shard_2 = (2 << 22) | 5  # a snowflake's shard is (id >> 22) % shard_count
    assert bot.owns_guild(on_shard_2) and not bot.owns_guild(1 << 22)
    assert not bot.owns_guild(None)  # DMs belong to shard 0's process
    monkeypatch.delenv("TRADEBOT_SHARD_COUNT")
    monkeypatch.delenv("TRADEBOT_SHARD_IDS")
    plain = create_bot(Settings(db_path=tmp_path / "a.db"))
    assert type(plain) is Tradebot and plain.owns_guild(12345)


class TestShardedBot:
    @pytest.fixture
    def simcord_bot(self, bot_settings):
        return create_bot(bot_settings.model_copy(update={"shard_count": 2}))

    @pytest.mark.simcord(shard_count=2)
    async def test_sharded_bot_answers_on_both_shards(self, simcord_env) -> None:
        me = simcord_env.bot.user
        for shard in (0, 1):
            guild = simcord_env.create_guild(f"g{shard}", shard_id=shard)
            channel = guild.create_text_channel("trade")
            user = guild.add_member(simcord_env.create_user(f"u{shard}"))
            await user.send(channel, f"<@{me.id}> US tariff on China on 1 June 2025?")
            reply = channel.last_message
            assert reply.author.id == me.id and "30%" in reply.embeds[0].description

"""Questions in plain words: mentions, DMs, answer channels, and `/ask`."""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer_stage import PendingReply
from bot.exts.feedback import answered
from bot.followup import Previous

log = logging.getLogger("tradebot.questions")
NONE = discord.AllowedMentions.none()
WARNED_PRUNE_AT = 1_000  # past this many warned users, drop those whose cooldown is over
THREAD_MEMORY = 5_000  # answers whose question a reply can continue


class Questions(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.per = max(bot.settings.question_cooldown_seconds, 0.0)  # type: ignore[attr-defined]
        self.cooldown = (
            commands.CooldownMapping.from_cooldown(1, self.per, commands.BucketType.user)
            if self.per > 0
            else None
        )
        # user id -> when their cooldown ends: warned once per cooldown, then quiet.
        # Entries whose cooldown is over are dropped, so the map stays small.
        self.warned: dict[int, float] = {}
        # The bot's answer messages -> what they answered, so a reply ("and Japan?")
        # continues them; the oldest are forgotten past THREAD_MEMORY.
        self.threads: OrderedDict[int, Previous] = OrderedDict()

    def _forget_expired(self, now: float) -> None:
        if len(self.warned) > WARNED_PRUNE_AT:
            self.warned = {user: until for user, until in self.warned.items() if until > now}

    def _should_answer(self, message: discord.Message) -> bool:
        if message.author.bot or message.author == self.bot.user:
            return False
        if message.guild is None:
            return True
        if self.bot.user in message.mentions:
            return True
        channels = self.bot.settings.answer_channel_ids  # type: ignore[attr-defined]
        return message.channel.id in channels and bool(message.content.strip())

    def _question(self, message: discord.Message) -> str:
        me = self.bot.user
        text = message.content
        if me is not None:
            text = re.sub(rf"<@!?{me.id}>", " ", text)
        return text.strip()  # never cut: the engine answers an over-long question itself

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Decide at once (checks and cooldown need the `Message`), then queue the answer
        holding only the question and ids: in a burst, the `Message` objects are freed
        while their answers wait for the answer stage."""
        if not self._should_answer(message):
            return
        stage = self.bot.answer_stage  # type: ignore[attr-defined]
        target = PendingReply.to(message)
        sent = message.created_at.timestamp()  # the message's own time: deterministic
        bucket = self.cooldown.get_bucket(message, sent) if self.cooldown else None
        retry = bucket.update_rate_limit(sent) if bucket else None
        if retry:
            if self.warned.get(message.author.id, 0.0) <= sent:  # once, then quiet
                self._forget_expired(sent)
                self.warned[message.author.id] = sent + retry
                note = f"One question every {self.per:.0f} s, please — try again in {retry:.0f} s."
                stage.submit(partial(self._send, target, content=note))
            return
        self.warned.pop(message.author.id, None)
        stage.submit(partial(self._answer, target, self._question(message)))

    async def _answer(self, target: PendingReply, question: str) -> None:
        """Answer `question` (run by the answer stage, in a slot) and reply to it; a reply
        to one of the bot's answers continues that answer's question."""
        try:
            assistant = self.bot.assistant  # type: ignore[attr-defined]
            previous = self.threads.get(target.replying_to) if target.replying_to else None
            answer, embed, view = await answered(
                self.bot, assistant.ask, question, previous=previous
            )
            sent = await self._send(target, embed=embed, view=view)
            if sent is not None:
                self._remember(sent.id, assistant.previous_of(answer))
        except Exception:
            log.exception("answering message %s failed", target.message_id)

    def _remember(self, message_id: int, previous: Previous | None) -> None:
        if previous is None:
            return
        self.threads[message_id] = previous
        while len(self.threads) > THREAD_MEMORY:
            self.threads.popitem(last=False)

    async def _send(self, target: PendingReply, **fields: object) -> discord.Message | None:
        try:
            return await target.target(self.bot).reply(
                mention_author=False, allowed_mentions=NONE, **fields
            )
        except discord.HTTPException:
            log.warning("could not reply in channel %s", target.channel_id, exc_info=True)
        except Exception:
            log.exception("replying to message %s failed", target.message_id)
        return None

    @app_commands.command(
        name="ask", description="Ask a question about trade tariffs in plain words."
    )
    @app_commands.describe(question="Your question, e.g. 'What is the US tariff on Chinese goods?'")
    @app_commands.checks.cooldown(1, 3.0, key=lambda i: i.user.id)
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]
    ) -> None:
        await interaction.response.defer(thinking=True)  # at once, whatever the queue
        async with self.bot.answer_stage.slot():  # type: ignore[attr-defined]
            assistant = self.bot.assistant  # type: ignore[attr-defined]
            _, embed, view = await answered(self.bot, assistant.ask, question)
            await interaction.followup.send(embed=embed, view=view, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Questions(bot))

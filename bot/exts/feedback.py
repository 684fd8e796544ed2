"""Buttons under every answer: "Helpful", "Wrong or outdated", and for an ambiguous
question one button per interpretation. They are dynamic items (the state lives in the
custom id), so they keep working after the bot restarts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import discord
from discord.ext import commands

from bot import review
from bot.answer.compose import Answer
from bot.exts.render import answer_embed
from bot.safe_text import plain
from bot.store import StoreError

log = logging.getLogger("tradebot.feedback")
NONE = discord.AllowedMentions.none()
FEEDBACK_LABELS = {"helpful": "Helpful", "wrong": "Wrong or outdated"}


async def answered(
    bot: commands.Bot, func: Callable[..., Answer], *args: Any, **kwargs: Any
) -> tuple[Answer, discord.Embed, discord.ui.View]:
    """Compute an answer on the read thread and queue its record (for its buttons, and as
    a miss if it is one): no write on the answer path, the records are written in batches
    on the database thread. Return it with its embed and buttons."""
    recorder = bot.recorder  # type: ignore[attr-defined]

    def job() -> tuple[Answer, int]:
        answer = func(*args, **kwargs)
        return answer, recorder.add(answer)

    answer, answer_id = await bot.run_read(job)  # type: ignore[attr-defined]
    bot.schedule_flush()  # type: ignore[attr-defined]
    view = answer_view(answer, answer_id, feedback=recorder.writes)
    return answer, answer_embed(answer), view


def answer_view(answer: Answer, answer_id: int, *, feedback: bool = True) -> discord.ui.View:
    """Interpretation buttons, and feedback buttons unless votes cannot be kept (a
    read-only replica)."""
    view = discord.ui.View(timeout=None)
    for intent, label in zip(answer.interpretations, answer.suggestions, strict=False):
        view.add_item(InterpretButton(intent, answer_id, label))
    if feedback and answer.outcome in ("answer", "no_record"):
        view.add_item(FeedbackButton("helpful", answer_id))
        view.add_item(FeedbackButton("wrong", answer_id))
    return view


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"tb:fb:(?P<vote>helpful|wrong):(?P<answer>\d+)",
):
    def __init__(self, vote: str, answer_id: int) -> None:
        style = discord.ButtonStyle.success if vote == "helpful" else discord.ButtonStyle.danger
        super().__init__(
            discord.ui.Button(
                label=FEEDBACK_LABELS[vote], style=style, custom_id=f"tb:fb:{vote}:{answer_id}"
            )
        )
        self.vote, self.answer_id = vote, answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["vote"], int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        await interaction.response.defer(ephemeral=True, thinking=True)  # before any write

        def job() -> None:
            bot.recorder.flush()  # type: ignore[attr-defined]  # the answer's row first
            review.record_feedback(bot.store, self.answer_id, self.vote)  # type: ignore[attr-defined]

        try:
            await bot.run_db(job)  # type: ignore[attr-defined]
        except StoreError as exc:
            await interaction.followup.send(str(exc), ephemeral=True, allowed_mentions=NONE)
            return
        text = (
            "Thanks — glad it helped."
            if self.vote == "helpful"
            else "Thanks — moderators will review this answer and its facts."
        )
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)


class InterpretButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"tb:as:(?P<intent>[a-z_]+):(?P<answer>\d+)"
):
    def __init__(self, intent: str, answer_id: int, label: str = "This one") -> None:
        super().__init__(
            discord.ui.Button(
                label=plain(label, newlines=False)[:80],  # labels show no markdown
                style=discord.ButtonStyle.primary,
                custom_id=f"tb:as:{intent}:{answer_id}",
            )
        )
        self.intent, self.answer_id = intent, answer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> InterpretButton:
        return cls(match["intent"], int(match["answer"]), item.label or "This one")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        await interaction.response.defer(thinking=True)
        record = await bot.run_read(bot.recorder.lookup, self.answer_id)  # type: ignore[attr-defined]
        if record is None:
            await interaction.followup.send(
                "That question is too old now; please ask again.",
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        async with bot.answer_stage.slot():  # type: ignore[attr-defined]
            _, embed, view = await answered(
                bot,
                bot.assistant.ask_as,
                record["question"],  # type: ignore[attr-defined]
                self.intent,
            )
            await interaction.followup.send(embed=embed, view=view, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(FeedbackButton, InterpretButton)

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

log = logging.getLogger("tradebot.feedback")
NONE = discord.AllowedMentions.none()
FEEDBACK_LABELS = {"helpful": "Helpful", "wrong": "Wrong or outdated"}


async def answered(
    bot: commands.Bot, func: Callable[..., Answer], *args: Any, **kwargs: Any
) -> tuple[Answer, discord.Embed, discord.ui.View]:
    """Compute an answer and record it (for its buttons, and as a miss if it is one) in a
    single job on the database thread; return it with its embed and buttons."""
    store = bot.store  # type: ignore[attr-defined]

    def job() -> tuple[Answer, int]:
        answer = func(*args, **kwargs)
        return answer, review.record(store, answer)

    answer, answer_id = await bot.run_db(job)  # type: ignore[attr-defined]
    return answer, answer_embed(answer), answer_view(answer, answer_id)


def answer_view(answer: Answer, answer_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for intent, label in zip(answer.interpretations, answer.suggestions, strict=False):
        view.add_item(InterpretButton(intent, answer_id, label))
    if answer.outcome in ("answer", "no_record"):
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
        await bot.run_db(review.record_feedback, bot.store, self.answer_id, self.vote)  # type: ignore[attr-defined]
        text = (
            "Thanks — glad it helped."
            if self.vote == "helpful"
            else "Thanks — moderators will review this answer and its facts."
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)


class InterpretButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"tb:as:(?P<intent>[a-z_]+):(?P<answer>\d+)"
):
    def __init__(self, intent: str, answer_id: int, label: str = "This one") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80],
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
        record = await bot.run_db(review.answer_record, bot.store, self.answer_id)  # type: ignore[attr-defined]
        if record is None:
            await interaction.followup.send(
                "That question is too old now; please ask again.",
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        _, embed, view = await answered(
            bot,
            bot.assistant.ask_as,
            record["question"],  # type: ignore[attr-defined]
            self.intent,
        )
        await interaction.followup.send(embed=embed, view=view, allowed_mentions=NONE)


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(FeedbackButton, InterpretButton)

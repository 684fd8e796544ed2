"""`tradebot review ...`: the questions Tradebot missed, and teaching it their intent.

bot.cli registers the `review` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot import review
from bot.cli_common import (
    EXIT_FAILED,
    db_option,
    fail,
    make_assistant,
    open_store,
    report_errors,
    say,
)
from bot.store import StoreError, ValidationError
from bot.understand.rules import INTENT_NAMES


@click.group("review", invoke_without_command=True)
@db_option
@click.pass_context
def review_group(ctx: click.Context, db_path: Path | None) -> None:
    """The questions Tradebot missed, grouped, and the answers marked wrong."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db_path)
    found = review.groups(store)
    click.echo(
        f"{len(found)} group(s) of missed questions (kept {review.RETENTION_DAYS} days, "
        "no user ids):"
    )
    for group in found:
        intents = ", ".join(group.intents) or "out of scope"
        say(f"  [{group.id}] ×{group.count}  “{group.question}”  (read as: {intents})")
    wrong = review.wrong_answers(store)
    click.echo(f"{len(wrong)} answer(s) marked wrong or outdated:")
    for row in wrong:
        say(f"  ×{row['votes']}  “{row['question']}”  facts: {row['facts']}")
    if found:
        click.echo(
            "Teach a group: tradebot review learn GROUP --intent INTENT --by NAME; "
            "or: tradebot review dismiss GROUP --by NAME"
        )


@review_group.command("learn")
@click.argument("group_id", type=int)
@click.option(
    "--intent",
    required=True,
    type=click.Choice(INTENT_NAMES),
    help="The intent the group's question should have been read as.",
)
@click.option("--by", required=True, help="Who teaches it (your name).")
@db_option
def review_learn(group_id: int, intent: str, by: str, db_path: Path | None) -> None:
    """Add a group's question as a phrasing of an intent (used at once)."""
    assistant = make_assistant(db_path)
    try:
        phrasing = assistant.learn(group_id, intent, by)
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(f"learned “{phrasing}” as {intent}")


@review_group.command("dismiss")
@click.argument("group_id", type=int)
@click.option("--by", required=True, help="Who dismisses it (your name).")
@db_option
def review_dismiss(group_id: int, by: str, db_path: Path | None) -> None:
    """Close a group of misses without teaching anything."""
    store = open_store(db_path)
    try:
        count = review.dismiss(store, group_id)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    click.echo(f"dismissed group {group_id} ({count} question(s)) by {by}")

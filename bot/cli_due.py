"""`tradebot facts due` and `tradebot facts settle`: records about to lapse or lapsed
with nothing after them, topics nobody has updated, and settling them.

bot/cli_facts.py registers both on the `facts` group. The rules (how many days ahead,
which deadline statuses are settled) are in bot/data/due.toml.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from bot import quick_config
from bot.cli_common import (
    EXIT_FAILED,
    as_date,
    db_option,
    fail,
    open_store,
    report_errors,
    say,
    say_json,
)
from bot.due import due_items, due_line, idle_topics
from bot.settle import settle
from bot.store import Author, StoreError, ValidationError


@click.command("due")
@click.option(
    "--within",
    "within_days",
    type=click.IntRange(0, 3660),
    help="Days ahead to look (default: default_within_days in bot/data/due.toml).",
)
@click.option(
    "--idle-days",
    type=click.IntRange(1, 36600),
    help="List topics with no fact recorded for this many days (default: "
    "TRADEBOT_TOPIC_IDLE_DAYS, 120).",
)
@click.option("--as-of", metavar="YYYY-MM-DD", help="Count from this day (default today).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@db_option
def facts_due(
    within_days: int | None,
    idle_days: int | None,
    as_of: str | None,
    as_json: bool,
    db_path: Path | None,
) -> None:
    """Records falling due (a scheduled end or a deadline) within --within days, those
    that passed with nothing recorded after them, and topics nobody has updated.
    Settle one with `tradebot facts settle` or `tradebot facts change`."""
    today = as_date(as_of, "--as-of") or date.today()
    if idle_days is None:
        try:
            idle_days = quick_config.topic_idle_days()
        except ValueError as exc:
            fail(str(exc))
    store = open_store(db_path)
    facts, _ = store.snapshot()
    items = due_items(facts, today, within_days)
    idle = idle_topics(facts, today, idle_days)
    if as_json:
        for item in items:
            say_json({"type": "due", **item.json(today)})
        for topic in idle:
            say_json({"type": "idle_topic", **topic.json(today)})
        return
    if not items:
        say("Nothing falls due.")
    for item in items:
        say(due_line(item, today))
    if idle:
        say(f"Topics with no fact recorded in {idle_days} days:")
        for topic in idle:
            say(
                f"  {topic.topic}: newest fact recorded {topic.newest.isoformat()} "
                f"({(today - topic.newest).days} days ago; {topic.facts} facts)"
            )


@click.command("settle")
@click.argument("fact_id")
@click.option(
    "--extended-to",
    metavar="YYYY-MM-DD",
    help="It was extended: the new end (or, for a deadline, the new due date).",
)
@click.option("--ended", is_flag=True, help="It ended as scheduled (or the deadline passed).")
@click.option("--by", required=True, help="Who records this (your name).")
@click.option("--reason", required=True, help="What happened, and where you read it.")
@db_option
def facts_settle(
    fact_id: str,
    extended_to: str | None,
    ended: bool,
    by: str,
    reason: str,
    db_path: Path | None,
) -> None:
    """Record what happened to a record that fell due: --extended-to DATE or --ended.
    A change to another rate or status is `tradebot facts change`."""
    if bool(extended_to) == ended:
        fail("give one of --extended-to YYYY-MM-DD or --ended")
    until = as_date(extended_to, "--extended-to")
    store = open_store(db_path)
    try:
        before = store.require(fact_id)
        fact = settle(
            store,
            fact_id,
            "ended" if ended else "extended",
            by=Author(by),
            reason=reason,
            until=until,
        )
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(f"settled {fact.id}: revision {before.revision} → {fact.revision}")

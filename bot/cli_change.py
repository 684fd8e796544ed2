"""`tradebot facts change`: a rate or status change in the world, as one operation.

`facts update` corrects a fact over its whole valid time; a change from a date ends the
fact on that date and starts its successor (linked by `supersedes`), so answers about the
past keep the old value. The work is `bot.service.change_fact`, which Discord's
`/fact change` calls too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot import service
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
from bot.present import human_date, validity_text
from bot.store import Author, StoreError, ValidationError
from bot.store.succession import value_words
from bot.store.validate import MAX_RATE


@click.command("change")
@click.argument("fact_id")
@click.option(
    "--effective",
    required=True,
    metavar="YYYY-MM-DD",
    help="The first day of the new value (strictly inside the fact's valid time).",
)
@click.option("--rate", help="The new rate in percent (tariff facts).")
@click.option("--status", help="The new status, e.g. paused, 'struck down', stalled.")
@click.option("--by", required=True, help="Who makes the change (your name).")
@click.option("--reason", required=True, help="Why: what happened in the world.")
@click.option("--source-url", help="Cite this source for the new value (default: the old ones).")
@click.option("--source-title", help="New source: title.")
@click.option("--source-publisher", help="New source: publisher.")
@click.option("--source-published", metavar="YYYY-MM-DD", help="New source: date.")
@click.option("--quote", help="Exact supporting quote from the source.")
@click.option("--new-id", help="Id of the successor (default: <id>-from-<effective>).")
@click.option("--statement", help="The successor's statement (default: the old one + the change).")
@click.option("--json", "as_json", is_flag=True, help="Print the two facts as JSON.")
@db_option
def facts_change(
    fact_id: str,
    effective: str,
    rate: str | None,
    status: str | None,
    by: str,
    reason: str,
    quote: str | None,
    new_id: str | None,
    statement: str | None,
    as_json: bool,
    db_path: Path | None,
    **source: Any,
) -> None:
    """A change in the world: end FACT_ID on --effective and start its successor with the
    new --rate or --status (one revision each, in one transaction). To correct a value
    that was wrong all along, use `tradebot facts update`."""
    day = as_date(effective, "--effective")
    assert day is not None
    if (rate is None) == (status is None):
        fail("give either --rate (a tariff's new percent) or --status (a new status word)")
    new_rate = _rate(rate) if rate is not None else None
    new_source = _new_source(source)
    store = open_store(db_path)
    try:
        ended, successor = service.change_fact(
            store,
            fact_id,
            effective=day,
            rate=new_rate,
            status=status,
            by=Author(by),
            reason=reason,
            new_source=new_source,
            quote=quote,
            new_id=new_id,
            statement=statement,
        )
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    if as_json:
        say_json(
            {
                "ended": service.fact_json(store, ended),
                "successor": service.fact_json(store, successor),
            },
            indent=2,
        )
        return
    say(f"ended {ended.id}: {value_words(ended)} {validity_text(ended)}")
    say(
        f"started {successor.id}: {value_words(successor)} from "
        f"{human_date(successor.valid_from)}"
        + (f" until {human_date(successor.valid_to)}" if successor.valid_to else "")
        + f" (supersedes {ended.id})"
    )


def _rate(text: str) -> float:
    try:
        value = float(text.strip().removesuffix("%"))
    except ValueError:
        fail(f"--rate '{text}' is not a number of percent (e.g. 15 or 12.5)")
    if not 0 <= value <= MAX_RATE:
        fail(f"--rate {text} is outside 0–{MAX_RATE:g} percent")
    return value


def _new_source(options: dict[str, Any]) -> service.NewSource | None:
    given = [
        options.get(k)
        for k in ("source_url", "source_title", "source_publisher", "source_published")
    ]
    if not any(given):
        return None
    if not given[0]:
        fail(
            "--source-title, --source-publisher and --source-published describe the "
            "source at --source-url; give --source-url too"
        )
    return service.NewSource(*given)

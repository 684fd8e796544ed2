"""What every `tradebot` command shares: exit codes, the --db option, opening the store,
printing stored text safely, reading dates and arguments as UTF-8, and the root group
class that turns SQLite failures into one line.

The command modules (bot/cli_*.py) import from here, never from bot.cli, so each imports
on its own (also under `python -m bot.cli`). Nothing here imports discord.py or pydantic:
`tradebot ask` must start fast.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from bot import service
from bot.safe_text import for_terminal, json_for_terminal
from bot.store import FactStore, ValidationError
from bot.store.facts_files import FactsFileError
from bot.store.location import StoreLocationError
from bot.store.validate import MAX_DATE, MIN_DATE, parse_date

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    say(f"error: {message}", err=True)
    sys.exit(code)


def say(text: str = "", *, err: bool = False) -> None:
    """Print text holding stored strings (statements, titles, reasons, names, questions)
    with no terminal escape sequence, control or bidi character: a fact must not be able
    to recolour, move the cursor, retitle the window or reorder what is printed."""
    click.echo(for_terminal(text), err=err)


def say_json(value: Any, *, indent: int | None = None) -> None:
    """Print JSON; characters a terminal would act on are \\u escapes, the data unchanged."""
    click.echo(json_for_terminal(value, indent=indent))


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Database file (default: $TRADEBOT_DB, else ./tradebot.db).",
    )(func)


def resolve_db(db_path: Path | None) -> Path:
    if db_path is not None:
        return db_path
    from bot import quick_config

    return quick_config.db_path()


def open_store(db_path: Path | None) -> FactStore:
    path = resolve_db(db_path)
    try:
        store = service.open_store(path)
    except StoreLocationError as exc:  # missing folder, not a Tradebot file: a wrong path
        fail(str(exc))
    except FactsFileError as exc:
        fail(str(exc), EXIT_FAILED)
    except Exception as exc:  # sqlite3 errors: unreadable, not a database, read-only
        fail(
            f"cannot open the database {path}: {exc}. Check the path (--db or TRADEBOT_DB).",
            EXIT_FAILED,
        )
    click.get_current_context().call_on_close(store.close)
    return store


def as_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        fail(f"{option} '{utf8_text(value)}' is not a date YYYY-MM-DD")
    if not MIN_DATE <= day <= MAX_DATE:  # the dates a fact may have (bot.store.validate)
        fail(f"{option} {day} is outside {MIN_DATE} … {MAX_DATE}; give a date in that range")
    return day


def utf8_text(value: str) -> str:
    """`value` as text that encodes to UTF-8: bytes that were not UTF-8 (kept by Python
    as lone surrogates in argv, or read from stdin or a file) become U+FFFD, so the
    question is still answered and the JSON printed and the misses stored stay UTF-8."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", "surrogateescape")  # the bytes argv really held
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")


def report_errors(exc: ValidationError) -> NoReturn:
    lines = "\n".join(f"  {e.field}: {e.message}" for e in exc.errors)
    fail(f"nothing was changed; fix these and try again:\n{lines}")


def storage_problem(exc: sqlite3.Error) -> str:
    """What to tell a user when SQLite itself fails (read-only file, full disk, corruption)."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        hint = "the database file or its folder is read-only; check permissions"
    elif "full" in text:
        hint = "the disk is full; free some space"
    elif "locked" in text or "busy" in text:
        hint = "another process holds the database; try again in a moment"
    else:
        hint = "the file may be damaged; check it with `sqlite3 FILE 'PRAGMA integrity_check'`"
    return f"the fact store could not be used ({text}): {hint}. Nothing was changed."


class TradebotGroup(click.Group):
    """Turns storage failures in any command into one clear line and exit code 1, and
    reads every argument as UTF-8 text (bytes that were not become U+FFFD), so no
    option value can carry a lone surrogate into the store or the output."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, [utf8_text(arg) for arg in args])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sqlite3.Error as exc:
            fail(storage_problem(exc), EXIT_FAILED)


def make_assistant(db_path: Path | None) -> service.Assistant:
    """The assistant `ask`, `chat`, `chart` and `review learn` use. Settings come from
    `bot.quick_config`, not pydantic, so a one-shot question starts fast."""
    from bot import quick_config

    try:
        stale_days = quick_config.stale_after_days()
    except ValueError as exc:
        fail(str(exc))
    store = open_store(db_path if db_path is not None else quick_config.db_path())
    return service.Assistant(store, stale_after_days=stale_days)

"""`tradebot doctor`: is this installation ready to run, and if not, what to fix?

Each check is a plain function returning `Result`s (one line each: ✓ fine, – worth
knowing, ✗ needs fixing), so tests call them directly. Nothing here writes: the database
is opened read-only, the facts files are validated without a store, and Discord is never
contacted (discord.py is not even imported); the token is checked for presence and shape.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from bot.store.location import foreign_reason, open_read_only

OK, INFO, FAIL = "ok", "info", "fail"
MARKS = {OK: "✓", INFO: "–", FAIL: "✗"}
PRIVATE_MASK = 0o077  # any access for group or others
# A bot token is three base64url parts: the bot's id, a timestamp, a signature.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")


@dataclass(frozen=True)
class Result:
    status: str  # OK, INFO or FAIL
    message: str

    def line(self) -> str:
        return f"{MARKS[self.status]} {self.message}"


# ---- settings ---------------------------------------------------------------------------


def check_settings() -> tuple[list[Result], Any]:
    """One result per variable, from the environment and `.env`; and the settings, if
    every variable is valid (else None)."""
    import pydantic

    from bot import quick_config
    from bot.config import EXPECTED, Settings, problems_by_variable

    try:
        settings = Settings()
    except pydantic.ValidationError as exc:
        problems = problems_by_variable(exc)
        results = [Result(FAIL, line) for line in problems.values()]
        if "DISCORD_TOKEN" not in problems:
            results.append(_token_result(quick_config.raw_value("DISCORD_TOKEN")))
        results += [
            Result(OK, f"{name} is valid")
            for name in EXPECTED
            if name not in problems and name != "DISCORD_TOKEN"
        ]
        return results, None
    results = [_token_result(settings.discord_token)]
    for name, field in Settings.model_fields.items():
        alias = str(field.validation_alias)
        if alias != "DISCORD_TOKEN":
            results.append(Result(OK, f"{alias} = {_shown(getattr(settings, name))}"))
    results += _moderator_channel_results(settings)
    return results, settings


def _moderator_channel_results(settings: Any) -> list[Result]:
    """Reminders and the source watcher post to the moderators' channel: without it they
    are kept (`tradebot facts due`, `tradebot sources leads`) but nobody is told."""
    if settings.moderator_channel_id:
        return []
    if settings.watch_sources:
        return [
            Result(
                FAIL,
                "TRADEBOT_WATCH_SOURCES is on but TRADEBOT_MODERATOR_CHANNEL_ID is not set: "
                "set the channel id where new documents should be posted",
            )
        ]
    return [
        Result(
            INFO,
            "TRADEBOT_MODERATOR_CHANNEL_ID is not set: reminders of records falling due are "
            "not posted (`tradebot facts due` lists them)",
        )
    ]


def _token_result(token: Any) -> Result:
    """Presence and shape only: a token is never sent anywhere from here."""
    if hasattr(token, "get_secret_value"):
        token = token.get_secret_value()
    value = (token or "").strip()
    if not value:
        return Result(INFO, "DISCORD_TOKEN is not set; only `tradebot run` and `sync` need it")
    if value.lower().startswith("bot ") or value[:1] in "\"'":
        return Result(FAIL, "DISCORD_TOKEN: write the token alone, without 'Bot ' or quotes")
    if not TOKEN_SHAPE.fullmatch(value):
        return Result(
            FAIL,
            "DISCORD_TOKEN does not look like a bot token (three parts joined by dots); "
            "copy it again from the Developer Portal (Bot -> Reset Token)",
        )
    return Result(OK, "DISCORD_TOKEN is set and shaped like a bot token (not tried online)")


def _shown(value: object) -> str:
    if value is None or value == []:
        return "(not set)"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


# ---- database ---------------------------------------------------------------------------


def check_database(file: Path) -> list[Result]:
    """Folder, identity, schema, writability, permissions and a quick integrity check."""
    if not file.parent.is_dir():
        return [
            Result(
                FAIL,
                f"database folder {file.parent.absolute()} does not exist; create it or fix "
                "--db/TRADEBOT_DB",
            )
        ]
    if file.is_dir():
        return [Result(FAIL, f"database path {file} is a folder; give a file name")]
    if not file.exists():
        return [
            Result(
                INFO,
                f"no database at {file} yet; the first command creates it with the bundled "
                "facts, readable by you only",
            )
        ]
    reason = foreign_reason(file)
    if reason:
        return [Result(FAIL, f"{file} is not a Tradebot database ({reason}); fix --db/TRADEBOT_DB")]
    try:
        conn = open_read_only(file)
    except sqlite3.Error as exc:
        return [Result(FAIL, f"cannot read {file} ({exc}); check its permissions")]
    try:
        results = [_writable_result(file), _schema_result(conn, file)]
        results.append(_integrity_result(conn, file))
    except sqlite3.DatabaseError as exc:  # too damaged even to list its tables
        results = [Result(FAIL, f"{file} is damaged ({exc}); restore it from a backup")]
    finally:
        conn.close()
    return [*results, _permissions_result(file)]


def _writable_result(file: Path) -> Result:
    from bot.store.readonly import read_only_reason

    reason = read_only_reason(str(file))
    if reason:
        return Result(INFO, f"{file} is read-only ({reason}): it answers; edits are refused")
    return Result(OK, f"{file} is writable")


def _schema_result(conn: sqlite3.Connection, file: Path) -> Result:
    from bot.store.readonly import read_only_reason
    from bot.store.schema import MIGRATIONS

    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    applied = (
        {row[0] for row in conn.execute("SELECT name FROM migrations")}
        if "migrations" in tables
        else set()
    )
    missing = [name for name, _ in MIGRATIONS if name not in applied]
    if not missing:
        return Result(
            OK, f"{file} is a Tradebot store, schema up to date ({len(applied)} migrations)"
        )
    if read_only_reason(str(file)):
        return Result(
            FAIL,
            f"{file} is read-only and lacks migrations {', '.join(missing)}; open it once "
            "writable or restore a newer copy",
        )
    return Result(INFO, f"{file} lacks migrations {', '.join(missing)}; the next command adds them")


def _integrity_result(conn: sqlite3.Connection, file: Path) -> Result:
    rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if rows == ["ok"]:
        return Result(OK, f"{file} passes SQLite's quick_check")
    return Result(
        FAIL,
        f"{file} is damaged (quick_check: {rows[0]}); restore it from a backup",
    )


def _permissions_result(file: Path) -> Result:
    files = [file, *(file.with_name(file.name + tail) for tail in ("-wal", "-shm"))]
    open_to_others = [f for f in files if f.exists() and f.stat().st_mode & PRIVATE_MASK]
    if not open_to_others:
        return Result(OK, f"{file} is readable by its owner only")
    names = " ".join(str(f) for f in open_to_others)
    return Result(
        FAIL,
        f"{names}: readable by group or others (it holds moderator ids and users' "
        f"questions); run: chmod 600 {names}",
    )


# ---- facts files and .env ---------------------------------------------------------------


def check_facts_files(paths: list[Path] | None = None) -> list[Result]:
    """Validate the bundled facts (or `paths`) with the loader's own checks, no store."""
    from bot.store.facts_files import FactsFileError, bundled_facts_dir, read_facts_files
    from bot.vocabulary import load_vocabulary

    where = paths or [bundled_facts_dir()]
    try:
        files = read_facts_files(where, load_vocabulary())
    except FactsFileError as exc:
        return [Result(FAIL, f"facts file problem: {problem}") for problem in exc.problems]
    count = sum(len(f.facts) for f in files)
    return [Result(OK, f"facts files: {count} facts in {len(files)} files are valid")]


def check_env_file(env_file: Path = Path(".env")) -> list[Result]:
    if not env_file.exists():
        return [Result(INFO, f"no {env_file} here; settings come from the environment only")]
    mode = env_file.stat().st_mode
    if mode & PRIVATE_MASK:
        return [
            Result(
                FAIL,
                f"{env_file} is readable by group or others (mode {mode & 0o777:o}) and holds "
                f"the token; run: chmod 600 {env_file}",
            )
        ]
    return [Result(OK, f"{env_file} is readable by its owner only")]


def run_checks(db_path: Path | None) -> list[Result]:
    """Every check, in the order a user would fix things."""
    from bot import quick_config

    results, settings = check_settings()
    results += check_env_file()
    if db_path is None:
        db_path = settings.db_path if settings is not None else quick_config.db_path()
    results += check_database(db_path)
    results += check_facts_files()
    results += check_bundled_loaded(db_path)
    return results


def check_bundled_loaded(file: Path) -> list[Result]:
    """Has the database loaded this release's bundled facts? A store is filled once, on
    first use; after an upgrade the new facts arrive only with `tradebot facts load`."""
    from bot.store.facts_files import FactsFileError, bundled_facts_dir, read_facts_files
    from bot.vocabulary import load_vocabulary

    if not file.is_file() or foreign_reason(file):
        return []
    try:
        files = read_facts_files([bundled_facts_dir()], load_vocabulary())
        conn = open_read_only(file)
        try:
            loaded = dict(conn.execute("SELECT fact_id, digest FROM file_loads").fetchall())
        finally:
            conn.close()
    except (FactsFileError, sqlite3.Error):
        return []  # reported by the checks above
    newer = [f.id for ff in files for f in ff.facts if loaded.get(f.id) != f.digest()]
    if not newer:
        return [Result(OK, f"{file} has loaded every bundled fact of this release")]
    return [
        Result(
            INFO,
            f"{len(newer)} bundled facts are new or changed since {file} loaded them; run "
            "`tradebot facts load` (moderators' edits stay as revisions)",
        )
    ]


@click.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $TRADEBOT_DB, else ./tradebot.db).",
)
def doctor(db_path: Path | None) -> None:
    """Check settings, database, facts files and .env without contacting Discord."""
    results = run_checks(db_path)
    for result in results:
        click.echo(result.line())
    failed = sum(1 for r in results if r.status == FAIL)
    if failed:
        click.echo(f"{failed} problem(s) to fix (✗ above).")
        sys.exit(1)
    click.echo("all good.")

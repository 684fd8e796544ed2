"""Where the database lives: checks made before SQLite touches the path.

`sqlite3.connect` happily creates a fresh, empty store at a mistyped path (which then
looks like lost edits) and writes our tables into any SQLite file it is pointed at. So,
before connecting: the folder must exist (we never create folders), a file that is there
must be a Tradebot store (or an empty file), and a new file is created readable by its
owner only: it holds moderator ids and users' questions. SQLite gives the -wal and -shm
files the main file's permissions, so creating that one with 0600 covers all three.
"""

from __future__ import annotations

import os
import sqlite3
from functools import cache
from pathlib import Path
from urllib.parse import quote

from bot.store.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
OWNER_ONLY = 0o600


class StoreLocationError(StoreError):
    """The path cannot hold a Tradebot store; the message names the path and the fix."""


def check_location(file: Path) -> None:
    """Raise `StoreLocationError` unless `file` is a Tradebot store or may become one.

    Reads at most the file's header and table names; never writes.
    """
    folder = file.parent
    if not folder.is_dir():
        raise StoreLocationError(
            f"database folder {folder.absolute()} does not exist; create it or fix --db/TRADEBOT_DB"
        )
    if file.is_dir():
        raise StoreLocationError(
            f"database path {file} is a folder; give a file name such as {file / 'tradebot.db'}"
        )
    reason = foreign_reason(file)
    if reason:
        raise StoreLocationError(
            f"{file} is not a Tradebot database ({reason}); nothing was written to it. "
            "Fix --db/TRADEBOT_DB, or give a new file name to start a new store"
        )


def foreign_reason(file: Path) -> str | None:
    """Why an existing file is not a Tradebot store; None if it is one, or new or empty."""
    if not file.is_file() or file.stat().st_size == 0:
        return None
    with file.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return "not a SQLite database"
    tables = _table_names(file)
    if tables is None or not tables:  # unreadable: SQLite reports it; no tables: new store
        return None
    if "migrations" not in tables:
        return f"it has tables ({_names(tables)}) but no Tradebot migrations table"
    from bot.store.schema import MIGRATIONS

    known_migrations = {name for name, _ in MIGRATIONS}
    applied = _migration_names(file)
    if applied is None or not applied <= known_migrations:
        return (
            f"its migrations ({_names(applied or set())}) are not this Tradebot's "
            "(another program, or a newer Tradebot)"
        )
    if applied == known_migrations:  # fully ours; a table a user added is theirs to keep
        return None
    unknown = tables - _known_tables()  # an older store, or another program's `migrations`
    if unknown:
        return f"it has tables Tradebot does not know: {_names(unknown)}"
    return None


def create_private(file: Path) -> bool:
    """Create `file` empty with mode 0600 if it does not exist; True if created here."""
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def _names(names: set[str], limit: int = 5) -> str:
    shown = sorted(names)[:limit]
    return ", ".join(shown) + (", …" if len(names) > limit else "")


def open_read_only(file: Path) -> sqlite3.Connection:
    """Read without writing or creating anything. With no -wal file beside it, everything
    is in the main file, read as immutable (a plain read-only open would leave new -wal
    and -shm files behind); a WAL file in a read-only folder with no -shm file can only
    be read as immutable too."""
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    if not file.with_name(file.name + "-wal").exists():
        return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=10.0)
    conn = sqlite3.connect(uri, uri=True, timeout=10.0)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=10.0)
    return conn


def _table_names(file: Path) -> set[str] | None:
    """User tables of the file, read-only; None if SQLite cannot read it."""
    try:
        conn = open_read_only(file)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _migration_names(file: Path) -> set[str] | None:
    try:
        conn = open_read_only(file)
        try:
            return {str(name) for (name,) in conn.execute("SELECT name FROM migrations")}
        finally:
            conn.close()
    except sqlite3.Error:  # a `migrations` table of another shape
        return None


@cache
def _known_tables() -> frozenset[str]:
    """Every table this code's migrations create (built once, in memory, when needed)."""
    from bot.store.schema import connect

    db = connect(":memory:")
    try:
        return frozenset(name for name in db.table_names() if not name.startswith("sqlite_"))
    finally:
        db.close()

"""Opening a database read-only: a replica (Litestream restore, a copy on a read-only
volume), a file or folder without write permission, or a `file:…?mode=ro` URI.

A replica answers every question; it cannot be migrated, so it must already carry every
migration this code knows, and writes are refused with one clear message.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import sqlite_utils

from bot.store.errors import ReadOnlyError, StoreError


def file_of(path: str) -> Path:
    """The file a path or a `file:` URI names."""
    if path.startswith("file:"):
        return Path(urlsplit(path).path)
    return Path(path)


def _writable(path: Path) -> bool:
    # Root may write anything: the write bits say what the owner meant (chmod 0444).
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def read_only_reason(path: str) -> str | None:
    """Why the database at `path` must be opened read-only, or None if it can be written."""
    if path == ":memory:":
        return None
    if path.startswith("file:") and "ro" in parse_qs(urlsplit(path).query).get("mode", []):
        return "it was opened with mode=ro"
    file = file_of(path)
    if not file.exists():
        return None
    if not _writable(file):
        return "the file is not writable"
    if not _writable(file.parent):
        return "its folder is not writable (SQLite needs it for the journal)"
    return None


def connect_read_only(path: str, reason: str) -> sqlite_utils.Database:
    """A read-only connection (`PRAGMA query_only` marks it) to a migrated database."""
    from bot.store.schema import MIGRATIONS, applied_migrations

    file = file_of(path)
    if not file.exists():
        raise StoreError(f"no database at {file}; a read-only replica must already exist")
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10.0)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A WAL database in a read-only folder with no -shm file can only be read as
        # immutable (changes to the file are then seen after a restart only).
        conn.close()
        conn = sqlite3.connect(
            uri + "&immutable=1", uri=True, check_same_thread=False, timeout=10.0
        )
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA query_only = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    missing = [name for name, _ in MIGRATIONS if name not in set(applied_migrations(db))]
    if missing:
        db.close()
        raise ReadOnlyError(
            f"the database at {file} is read-only ({reason}) and lacks migrations "
            f"{', '.join(missing)}; open it once writable (`tradebot` migrates it) or "
            "restore a newer copy"
        )
    return db


def is_read_only(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("PRAGMA query_only").fetchone()[0])

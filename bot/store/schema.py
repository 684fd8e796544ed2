"""Opening the database and bringing its schema up to date.

Migrations are named, applied in order, each in its own transaction, and recorded in the
`migrations` table, so an old database file is upgraded in place and a half-applied
migration never sticks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def _m001_initial(db: sqlite_utils.Database) -> None:
    statements = [
        """CREATE TABLE topics (
            name TEXT PRIMARY KEY,
            title TEXT NOT NULL
        )""",
        """CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            publisher TEXT NOT NULL,
            published TEXT NOT NULL,
            document TEXT,
            document_file TEXT,
            recorded_at TEXT NOT NULL
        )""",
        """CREATE TABLE facts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            topic TEXT NOT NULL,
            subject TEXT,
            importer TEXT,
            exporter TEXT,
            parties TEXT NOT NULL,
            rate REAL CHECK (rate IS NULL OR (rate >= 0 AND rate <= 1000)),
            rate_candidates TEXT NOT NULL DEFAULT '[]',
            components TEXT NOT NULL DEFAULT '[]',
            status TEXT,
            statement TEXT NOT NULL,
            court TEXT,
            due TEXT,
            valid_from TEXT NOT NULL,
            valid_to TEXT CHECK (valid_to IS NULL OR valid_to > valid_from),
            confidence TEXT NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
            disputed TEXT,
            basis TEXT,
            recorded TEXT NOT NULL,
            revision INTEGER NOT NULL CHECK (revision >= 1),
            retracted INTEGER NOT NULL DEFAULT 0 CHECK (retracted IN (0, 1)),
            retracted_reason TEXT,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX facts_kind_valid ON facts (kind, valid_from)",
        "CREATE INDEX facts_pair ON facts (importer, exporter)",
        """CREATE TABLE fact_sources (
            fact_id TEXT NOT NULL REFERENCES facts (id),
            position INTEGER NOT NULL,
            source_id TEXT NOT NULL REFERENCES sources (id),
            quote TEXT,
            PRIMARY KEY (fact_id, position)
        )""",
        "CREATE INDEX fact_sources_source ON fact_sources (source_id)",
        """CREATE TABLE revisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            fact_id TEXT NOT NULL REFERENCES facts (id),
            revision INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('create', 'update', 'retract', 'undo')),
            author TEXT NOT NULL,
            author_id TEXT,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            before TEXT,
            after TEXT NOT NULL,
            UNIQUE (fact_id, revision)
        )""",
        """CREATE TABLE file_loads (
            fact_id TEXT PRIMARY KEY REFERENCES facts (id),
            path TEXT NOT NULL,
            digest TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        )""",
        # Facts are append-only: the history may never be rewritten or deleted.
        """CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
           BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END""",
        """CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
           BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END""",
        """CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts
           BEGIN SELECT RAISE(ABORT, 'facts are never deleted; retract them'); END""",
    ]
    for sql in statements:
        db.execute(sql)


def _m002_alerts_and_learning(db: sqlite_utils.Database) -> None:
    statements = [
        # A channel's subscriptions: topic is 'all', 'kind:<kind>', 'party:<A>' or
        # 'pair:<A>-<B>' (codes sorted).
        """CREATE TABLE subscriptions (
            channel_id INTEGER NOT NULL,
            topic TEXT NOT NULL,
            guild_id INTEGER,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (channel_id, topic)
        )""",
        # Per channel: the last change examined, and why delivery stopped (if it did).
        """CREATE TABLE alert_channels (
            channel_id INTEGER PRIMARY KEY,
            cursor_seq INTEGER NOT NULL,
            disabled_reason TEXT
        )""",
        # One row per change delivered to a channel: the exactly-once ledger.
        """CREATE TABLE deliveries (
            channel_id INTEGER NOT NULL,
            seq INTEGER NOT NULL REFERENCES revisions (seq),
            message_id INTEGER,
            delivered_at TEXT NOT NULL,
            PRIMARY KEY (channel_id, seq)
        )""",
        # Questions the bot could not answer well: text and time only, never who asked.
        """CREATE TABLE misses (
            id INTEGER PRIMARY KEY,
            question TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            intent TEXT,
            score REAL NOT NULL,
            outcome TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'learned', 'dismissed'))
        )""",
        "CREATE INDEX misses_status ON misses (status, asked_at)",
        # Answers sent in Discord, so that a button click can name the facts it judges.
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            question TEXT NOT NULL,
            intent TEXT,
            facts TEXT NOT NULL,
            answered_at TEXT NOT NULL
        )""",
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            answer_id INTEGER NOT NULL REFERENCES answers (id),
            vote TEXT NOT NULL CHECK (vote IN ('helpful', 'wrong')),
            facts TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        # Phrasings moderators taught from the review queue (rules as data, in the store).
        """CREATE TABLE learned_phrasings (
            id INTEGER PRIMARY KEY,
            intent TEXT NOT NULL,
            phrasing TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            UNIQUE (intent, phrasing)
        )""",
    ]
    for sql in statements:
        db.execute(sql)


def _m003_rejected_edits(db: sqlite_utils.Database) -> None:
    # Edits refused because the fact changed after the editor's base revision: the audit
    # trail keeps the losing attempt too (what it tried, on which revision, by whom).
    db.execute("""CREATE TABLE rejected_edits (
        id INTEGER PRIMARY KEY,
        fact_id TEXT NOT NULL REFERENCES facts (id),
        base_revision INTEGER NOT NULL,
        current_revision INTEGER NOT NULL,
        author TEXT NOT NULL,
        author_id TEXT,
        reason TEXT NOT NULL,
        changes TEXT NOT NULL,
        attempted_at TEXT NOT NULL
    )""")


MIGRATIONS: list[Migration] = [
    ("001_initial", _m001_initial),
    ("002_alerts_and_learning", _m002_alerts_and_learning),
    ("003_rejected_edits", _m003_rejected_edits),
]


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a database at `path` (":memory:" for tests), migrated.

    One connection is shared by the threads of a process (the store serialises access
    with a lock), so `check_same_thread` is off. WAL lets other processes read while we
    write; the busy timeout makes a second writer wait instead of failing at once.
    """
    path_str = str(path)
    if path_str != ":memory:":
        Path(path_str).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path_str, check_same_thread=False, timeout=10.0)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    if path_str != ":memory:":
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    return db


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    if "migrations" not in db.table_names():
        return []
    return [row["name"] for row in db.query("SELECT name FROM migrations ORDER BY name")]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not had yet; return their names."""
    if "migrations" not in db.table_names():
        db.execute(
            "CREATE TABLE IF NOT EXISTS migrations"
            " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        db.conn.commit()
    done = set(applied_migrations(db))
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if name in set(applied_migrations(db)):  # another process got there first
                db.execute("ROLLBACK")
                continue
            step(db)
            db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                [name, datetime.now(UTC).isoformat(timespec="seconds")],
            )
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
        applied.append(name)
    return applied

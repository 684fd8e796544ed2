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

from bot.feeds.migration import m008_source_leads
from bot.store import location, readonly

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


def _m004_source_revisions(db: sqlite_utils.Database) -> None:
    # A source's title, publisher and date change only by an explicit edit, kept here
    # append-only (who, when, why, before -> after). `seq` shares the numbering of
    # `revisions.seq` (the store allocates it and moves the revisions sequence past it),
    # so fact and source changes form one ordered change feed for alerts. `cited_by`
    # holds the citing facts (id, kind, parties) at the time, for alert topics.
    statements = [
        """CREATE TABLE source_revisions (
            seq INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources (id),
            revision INTEGER NOT NULL CHECK (revision >= 2),
            action TEXT NOT NULL CHECK (action IN ('edit')),
            author TEXT NOT NULL,
            author_id TEXT,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            cited_by TEXT NOT NULL DEFAULT '[]',
            UNIQUE (source_id, revision)
        )""",
        """CREATE TRIGGER source_revisions_no_update BEFORE UPDATE ON source_revisions
           BEGIN SELECT RAISE(ABORT, 'source revisions are append-only'); END""",
        """CREATE TRIGGER source_revisions_no_delete BEFORE DELETE ON source_revisions
           BEGIN SELECT RAISE(ABORT, 'source revisions are append-only'); END""",
        """CREATE TRIGGER sources_no_delete BEFORE DELETE ON sources
           BEGIN SELECT RAISE(ABORT, 'sources are never deleted'); END""",
        # The delivery ledger now records source changes too, whose seq is not a row of
        # `revisions`: rebuild it without that foreign key, keeping every row.
        """CREATE TABLE deliveries_new (
            channel_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            message_id INTEGER,
            delivered_at TEXT NOT NULL,
            PRIMARY KEY (channel_id, seq)
        )""",
        "INSERT INTO deliveries_new SELECT channel_id, seq, message_id, delivered_at"
        " FROM deliveries",
        "DROP TABLE deliveries",
        "ALTER TABLE deliveries_new RENAME TO deliveries",
    ]
    for sql in statements:
        db.execute(sql)


def _m005_store_generation(db: sqlite_utils.Database) -> None:
    # Change counters, bumped by triggers on every write to what answers are built from:
    # 'facts' (facts, their citations, sources) and 'phrasings' (learned phrasings). A
    # process compares them before answering (after a cheap `PRAGMA data_version`), so an
    # edit made by any process, even a plain sqlite3 shell, reaches the next answer, while
    # bookkeeping writes (answers, misses) leave the answer index alone.
    db.execute("CREATE TABLE store_generation (name TEXT PRIMARY KEY, generation INTEGER NOT NULL)")
    db.execute("INSERT INTO store_generation VALUES ('facts', 1), ('phrasings', 1)")
    watched = {
        "facts": ("facts", "fact_sources", "sources"),
        "phrasings": ("learned_phrasings",),
    }
    for name, tables in watched.items():
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                db.execute(
                    f"CREATE TRIGGER {table}_{event.lower()}_generation AFTER {event} ON {table}"
                    f" BEGIN UPDATE store_generation SET generation = generation + 1"
                    f" WHERE name = '{name}'; END"
                )
    # Answer ids come from blocks reserved here (id = block << 32 | n), so processes
    # sharing the file allocate ids in memory, without a write per answer, and never
    # collide. Block 0 holds the ids given before blocks existed.
    db.execute(
        "CREATE TABLE answer_id_blocks (block INTEGER PRIMARY KEY, reserved_at TEXT NOT NULL)"
    )


def _m006_measures(db: sqlite_utils.Database) -> None:
    # A tariff fact becomes a measure: origin scope (several origins, or all except some),
    # product scope, legal authority, instrument, rate kind, the measure it succeeded, and
    # event attributes. Existing rows get empty scopes (all goods, their one exporter), so
    # their content, digests and revision history are unchanged.
    for column, default in (
        ("origins", "'[]'"),
        ("origins_except", "'[]'"),
        ("products", "'[]'"),
        ("products_except", "'[]'"),
        ("authority", "NULL"),
        ("instrument", "NULL"),
        ("rate_kind", "NULL"),
        ("supersedes", "NULL"),
        ("attributes", "'{}'"),
    ):
        db.execute(f"ALTER TABLE facts ADD COLUMN {column} TEXT DEFAULT {default}")
    db.execute("CREATE INDEX facts_supersedes ON facts (supersedes)")


def _m007_end_kind(db: sqlite_utils.Database) -> None:
    # Is a fact's valid_to a scheduled expiry (a truce, a 150-day surcharge) or a confirmed
    # end? Existing rows get NULL (read as confirmed), so their content is unchanged.
    db.execute("ALTER TABLE facts ADD COLUMN end_kind TEXT DEFAULT NULL")


def _m009_reminders(db: sqlite_utils.Database) -> None:
    # The moderators' reminders of records falling due (bot/reminders.py): one row per
    # fact, date and stage posted, so each is posted once across restarts.
    db.execute(
        "CREATE TABLE reminders_sent (fact_id TEXT NOT NULL, due_on TEXT NOT NULL,"
        " stage TEXT NOT NULL, channel_id INTEGER NOT NULL, message_id INTEGER,"
        " sent_at TEXT NOT NULL, PRIMARY KEY (fact_id, due_on, stage))"
    )


MIGRATIONS: list[Migration] = [
    ("001_initial", _m001_initial),
    ("002_alerts_and_learning", _m002_alerts_and_learning),
    ("003_rejected_edits", _m003_rejected_edits),
    ("004_source_revisions", _m004_source_revisions),
    ("005_store_generation", _m005_store_generation),
    ("006_measures", _m006_measures),
    ("007_end_kind", _m007_end_kind),
    ("008_source_leads", m008_source_leads),
    ("009_reminders", _m009_reminders),
]


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a database at `path` (":memory:" for tests), migrated.

    One connection is shared by the threads of a process (the store serialises access
    with a lock), so `check_same_thread` is off. WAL lets other processes read while we
    write; the busy timeout makes a second writer wait instead of failing at once.
    """
    path_str = str(path)
    if path_str != ":memory:":  # no folder is created, no foreign file written into
        location.check_location(readonly.file_of(path_str))
    if reason := readonly.read_only_reason(path_str):  # a replica: never write, just read
        return readonly.connect_read_only(path_str, reason)
    if path_str != ":memory:":
        location.create_private(readonly.file_of(path_str))  # 0600; -wal/-shm inherit it
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

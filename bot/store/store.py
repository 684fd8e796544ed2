"""The fact store: every write is one transaction and leaves an append-only revision.

Writes go through one connection guarded by a lock, so one process has exactly one
writer; `BEGIN IMMEDIATE` plus SQLite's busy timeout serialise writers across processes.
Consistent reads (`reading()`) use a second, read-only connection with its own lock: in
WAL mode they never wait for a writer, even one queued behind another process's lock.
Triggers bump change counters (`generations()`) on every fact, citation, source or
phrasing write, so any process can tell cheaply whether what answers rest on changed.
Callers on an event loop run these methods in a worker thread (`asyncio.to_thread`).

This module holds the connections, transactions and reads; the fact writes are in
bot/store/fact_writes.py, source writes in source_history.py, row conversions in rows.py.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlite_utils

from bot.store import readonly, schema
from bot.store.errors import ConflictError, NotFoundError, ReadOnlyError
from bot.store.fact_writes import FactWrites
from bot.store.model import Author, Citation, Fact, Revision, Source
from bot.store.rows import fact_from_row, now, revision_from_row, source_from_row
from bot.store.source_history import SourceHistory
from bot.vocabulary import Vocabulary, load_vocabulary

log = logging.getLogger("tradebot.store")


class FactStore(FactWrites, SourceHistory):
    """Sources and facts with their history, as of any date."""

    def __init__(self, db: sqlite_utils.Database, vocab: Vocabulary | None = None) -> None:
        self.db = db
        self.vocab = vocab or load_vocabulary()
        self._lock = threading.RLock()
        self._listeners: list[Any] = []
        self._tx_owner: int | None = None  # the thread inside a write transaction
        self.read_only = readonly.is_read_only(db)
        if self.read_only:
            log.warning(
                "the database is read-only (a replica?): answering only; moderator edits, "
                "answer records and feedback are off"
            )
        # Reads (the answer index, forms, autocomplete) use their own connection: in WAL
        # mode a reader never waits for a writer, even one queued behind another process.
        self._read_db, self._read_lock = self._open_reader()
        self._seen_version: tuple[int, int] | None = None
        self._generations: dict[str, int] = {}
        self._listened_generation = self._generation_in(self.db)

    @classmethod
    def open(cls, path: str | Path, vocab: Vocabulary | None = None) -> FactStore:
        return cls(schema.connect(path), vocab)

    def close(self) -> None:
        with self._read_lock:
            if self._read_db is not self.db:
                self._read_db.close()
        with self._lock:
            self.db.close()

    def _open_reader(self) -> tuple[sqlite_utils.Database, Any]:
        """A second, read-only connection to the same file (the main one for `:memory:`)."""
        file = self.db.execute("PRAGMA database_list").fetchone()[2]
        if not file:
            return self.db, self._lock
        try:
            conn = sqlite3.connect(
                f"file:{quote(file)}?mode=ro", uri=True, check_same_thread=False, timeout=2.0
            )
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:  # e.g. an immutable replica: share the main connection
            return self.db, self._lock
        return sqlite_utils.Database(conn), threading.RLock()

    def is_empty(self) -> bool:
        with self._lock:
            return self.db["facts"].count == 0

    # ---- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction; nested calls join the outer one.

        Listeners (`on_change`) are called after a commit that changed facts or sources,
        not after bookkeeping writes (answers, misses, feedback)."""
        if self.read_only:
            raise ReadOnlyError(
                "the database is read-only (a replica, or opened read-only): make changes "
                "on the writable primary database"
            )
        with self._lock:
            if self.db.conn.in_transaction:
                yield self.db
                return
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "readonly" in str(exc):
                    raise ReadOnlyError(
                        f"the database cannot be written ({exc}); check the file's and its "
                        "folder's permissions, or make changes on the primary database"
                    ) from None
                raise
            self._tx_owner = threading.get_ident()
            try:
                yield self.db
            except BaseException:
                self.db.rollback()
                raise
            else:
                self.db.execute("COMMIT")
            finally:
                self._tx_owner = None
            generation = self._generation_in(self.db)
            changed = generation != self._listened_generation
            self._listened_generation = generation
        if changed:
            for listener in list(self._listeners):
                listener()

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        """A consistent read: a fact's row and its citations come from one snapshot even
        while another process commits (each statement would otherwise see its own).

        Yields the connection to read from: the reader connection, which never waits for
        this process's writer; inside this thread's own write transaction, the writer's
        (to see what the transaction wrote)."""
        if self._tx_owner == threading.get_ident():
            with self._lock:
                yield self.db
            return
        with self._read_lock:
            db = self._read_db
            if db.conn.in_transaction:  # nested: this thread's own read
                yield db
                return
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.conn.rollback()

    def on_change(self, callback: Any) -> None:
        """Call `callback()` after every committed write to facts or sources in this
        process (e.g. to deliver alerts). Changes by other processes: `generations`."""
        self._listeners.append(callback)

    def generations(self) -> dict[str, int]:
        """The change counters ('facts', 'phrasings') every process's writes bump.

        Cheap enough to call before every answer: the counters are read again only when
        `PRAGMA data_version` (any other connection committed) or this process's own
        change count moved. Raises sqlite3.OperationalError if the file is locked beyond
        the reader's short busy timeout (possible only outside WAL mode)."""
        with self._read_lock:
            version = self._read_db.execute("PRAGMA data_version").fetchone()[0]
            key = (version, self.db.conn.total_changes)
            if key != self._seen_version:
                self._generations = _generations_in(self._read_db)
                self._seen_version = key
            return self._generations

    @staticmethod
    def _generation_in(db: sqlite_utils.Database) -> int:
        return _generations_in(db).get("facts", 0)

    # ---- sources (put_source, edit_source, their history: bot/store/source_history.py) --

    def get_source(self, source_id: str, *, missing_ok: bool = False) -> Source | None:
        with self._lock:
            rows = list(self.db.query("SELECT * FROM sources WHERE id = ?", [source_id]))
        if not rows:
            if missing_ok:
                return None
            raise NotFoundError(f"no source with id '{source_id}'")
        return source_from_row(rows[0])

    def sources(self) -> dict[str, Source]:
        with self.reading() as db:
            return {
                row["id"]: source_from_row(row)
                for row in db.query("SELECT * FROM sources ORDER BY id")
            }

    def sources_of(self, fact: Fact) -> list[tuple[Source, str | None]]:
        """The fact's sources with their quotes, in the order the fact cites them.

        Reads only the cited sources: `facts list --json` calls this once per fact, and
        loading every source (with the full documents we hold) each time grew with the store.
        """
        ids = list(dict.fromkeys(fact.source_ids))
        if not ids:
            return []
        with self._lock:
            rows = self.db.query(
                f"SELECT * FROM sources WHERE id IN ({','.join('?' * len(ids))})", ids
            )
            known = {row["id"]: source_from_row(row) for row in rows}
        return [(known[c.source_id], c.quote) for c in fact.citations if c.source_id in known]

    def set_topic(self, name: str, title: str) -> None:
        with self.transaction():
            self.db["topics"].upsert({"name": name, "title": title}, pk="name")

    def topics(self) -> dict[str, str]:
        with self._lock:
            return {r["name"]: r["title"] for r in self.db.query("SELECT * FROM topics")}

    # ---- reading facts ------------------------------------------------------------------

    def get(self, fact_id: str, *, missing_ok: bool = False) -> Fact | None:
        with self.reading() as db:
            rows = list(db.query("SELECT * FROM facts WHERE id = ?", [fact_id]))
            if not rows:
                if missing_ok:
                    return None
                raise NotFoundError(
                    f"no fact with id '{fact_id}'; `tradebot facts list` shows the ids"
                )
            return self._fact_from_row(rows[0], db=db)

    def require(self, fact_id: str) -> Fact:
        fact = self.get(fact_id)
        assert fact is not None
        return fact

    def facts(
        self,
        *,
        kind: str | None = None,
        as_of: date | None = None,
        importer: str | None = None,
        exporter: str | None = None,
        parties: Sequence[str] = (),
        include_retracted: bool = False,
    ) -> list[Fact]:
        """Facts matching every filter given, oldest valid_from first.

        With `as_of`, only facts valid on that day (valid_from <= day < valid_to).
        `parties` keeps facts that involve all of the given parties.
        """
        where = []
        params: list[Any] = []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if as_of:
            where.append("valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)")
            params += [as_of.isoformat(), as_of.isoformat()]
        if importer:
            where.append("importer = ?")
            params.append(importer)
        if exporter:
            where.append("exporter = ?")
            params.append(exporter)
        for party in parties:
            where.append("EXISTS (SELECT 1 FROM json_each(facts.parties) WHERE value = ?)")
            params.append(party)
        if not include_retracted:
            where.append("retracted = 0")
        sql = "SELECT * FROM facts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY valid_from, id"
        with self.reading() as db:
            return [self._fact_from_row(row, db=db) for row in db.query(sql, params)]

    def snapshot(self) -> tuple[list[Fact], dict[str, Source]]:
        """Every current (not retracted) fact and every source, in two queries.

        The answer index is built from this at start-up and after each change.
        """
        with self.reading() as db:
            cites: dict[str, list[Citation]] = {}
            for row in db.query(
                "SELECT fact_id, source_id, quote FROM fact_sources ORDER BY fact_id, position"
            ):
                cites.setdefault(row["fact_id"], []).append(
                    Citation(source_id=row["source_id"], quote=row["quote"])
                )
            # Built row by row: holding every row dict at once (10,000 facts) left a 24 MB
            # peak that the allocator never handed back.
            rows = db.query("SELECT * FROM facts WHERE retracted = 0 ORDER BY valid_from, id")
            facts = [self._fact_from_row(row, tuple(cites.get(row["id"], ()))) for row in rows]
            return facts, self.sources()

    def valid_on(
        self,
        day: date,
        kind: str | None = None,
        parties: Sequence[str] = (),
        *,
        importer: str | None = None,
        exporter: str | None = None,
    ) -> list[Fact]:
        """Which facts of `kind` for `parties` were valid on `day`: the as-of query."""
        return self.facts(
            kind=kind, as_of=day, parties=parties, importer=importer, exporter=exporter
        )

    def history(self, fact_id: str) -> list[Revision]:
        self.get(fact_id)  # raises NotFoundError with a helpful message
        with self.reading() as db:
            rows = list(
                db.query("SELECT * FROM revisions WHERE fact_id = ? ORDER BY revision", [fact_id])
            )
        return [revision_from_row(row) for row in rows]

    def record_rejected_edit(
        self, error: ConflictError, changes: Mapping[str, Any], by: Author, reason: str
    ) -> None:
        """Keep a refused (conflicting) edit in the audit trail, in its own transaction."""
        with self.transaction() as db:
            db["rejected_edits"].insert(
                {
                    "fact_id": error.fact_id,
                    "base_revision": error.base_revision,
                    "current_revision": error.current_revision,
                    "author": by.name,
                    "author_id": by.id,
                    "reason": " ".join(reason.split()),
                    "changes": json.dumps(dict(changes), ensure_ascii=False, default=str),
                    "attempted_at": now(),
                }
            )

    def rejected_edits(self, fact_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(
                self.db.query(
                    "SELECT * FROM rejected_edits WHERE fact_id = ? ORDER BY id", [fact_id]
                )
            )

    def revisions_since(self, seq: int, limit: int = 500) -> list[Revision]:
        """Every revision after `seq`, in the order written: the change feed."""
        with self._lock:
            rows = list(
                self.db.query(
                    "SELECT * FROM revisions WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit]
                )
            )
        return [revision_from_row(row) for row in rows]

    def newest_recorded(self) -> date | None:
        with self._lock:
            row = self.db.execute("SELECT max(recorded) FROM facts WHERE retracted = 0").fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    # ---- internals ----------------------------------------------------------------------

    def _fact_from_row(
        self,
        row: Mapping[str, Any],
        citations: tuple[Citation, ...] | None = None,
        *,
        db: sqlite_utils.Database | None = None,
    ) -> Fact:
        if citations is None:
            citations = tuple(
                Citation(source_id=r["source_id"], quote=r["quote"])
                for r in (db or self.db).query(
                    "SELECT source_id, quote FROM fact_sources WHERE fact_id = ? ORDER BY position",
                    [row["id"]],
                )
            )
        return fact_from_row(row, citations)


def _generations_in(db: sqlite_utils.Database) -> dict[str, int]:
    try:
        return dict(db.execute("SELECT name, generation FROM store_generation").fetchall())
    except sqlite3.OperationalError as exc:  # a database built before migration 005
        if "no such table" in str(exc):
            return {}
        raise

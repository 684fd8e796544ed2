"""Sources that never change behind a fact's back: unique ids, URL identity, revisioned edits.

A source is stored once, under a unique id, and its URL is what it is: storing it again
with the same metadata is a no-op, with different metadata an error naming the
difference. Its title, publisher and date change only through `edit_source`, which keeps
an append-only `source_revisions` row (who, when, why, before → after).

Source revisions are numbered in the same sequence as fact revisions (`seq`), so
`changes_since` is one ordered change feed: alerts deliver a source edit once per
channel exactly as they deliver a fact change.

`SourceHistory` is mixed into `FactStore`; it uses the store's connection, lock and
`transaction()` (so every write here also notifies the store's change listeners).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.store.errors import NotFoundError
from bot.store.fact_writes import check_author
from bot.store.model import Author, Revision, Source, SourceRevision
from bot.store.rows import now
from bot.store.source_rules import parse_source_changes, source_differences
from bot.store.validate import FieldError, ValidationError


def source_snapshot(source: Source) -> dict[str, Any]:
    """What a source revision records: the fields readers see."""
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.isoformat(),
    }


class SourceHistory:
    """Source writes and the source half of the change feed (mixed into `FactStore`)."""

    db: Any
    _lock: Any

    if TYPE_CHECKING:  # provided by FactStore

        def transaction(self) -> Any: ...

        def get_source(self, source_id: str, *, missing_ok: bool = False) -> Source | None: ...

        def revisions_since(self, seq: int, limit: int = 500) -> list[Revision]: ...

    # ---- writing ------------------------------------------------------------------------

    def source_conflicts(self, source: Source, *, documents: bool = True) -> list[FieldError]:
        """Why `source` cannot be stored as given: its id already names another URL, its URL
        is stored under another id, or it repeats a stored source with other metadata."""
        by_id = self.get_source(source.id, missing_ok=True)
        if by_id is not None and by_id.url != source.url:
            return [
                FieldError(
                    "id",
                    f"'{source.id}' is already the source {by_id.url}; give this source another id",
                )
            ]
        with self._lock:
            clash = self.db.execute(
                "SELECT id FROM sources WHERE url = ? AND id != ?", [source.url, source.id]
            ).fetchone()
        if clash:
            return [FieldError("url", f"is already the source '{clash[0]}'; cite that id")]
        if by_id is None:
            return []
        return source_differences(by_id, source, documents=documents)

    def put_source(self, source: Source) -> bool:
        """Store a new source; False when exactly this source is already stored.

        Never replaces or changes a stored source (see `source_conflicts`); metadata is
        changed with `edit_source`, which keeps a revision.
        """
        with self.transaction():
            problems = self.source_conflicts(source)
            if problems:
                raise ValidationError(problems)
            if self.get_source(source.id, missing_ok=True) is not None:
                return False
            self.db["sources"].insert(
                {
                    "id": source.id,
                    "url": source.url,
                    "title": source.title,
                    "publisher": source.publisher,
                    "published": source.published.isoformat(),
                    "document": source.document,
                    "document_file": source.document_file,
                    "recorded_at": now(),
                }
            )
            return True

    def edit_source(
        self,
        source_id: str,
        changes: Mapping[str, Any],
        *,
        by: Author,
        reason: str,
        today: date | None = None,
    ) -> SourceRevision:
        """Change a source's title, publisher or published date, as a new source revision.

        Writes the `sources` row and appends to `source_revisions` in one transaction.
        """
        check_author(by, reason)
        with self.transaction() as db:
            current = self.require_source(source_id)
            updated = parse_source_changes(current, changes, today=today)
            before, after = source_snapshot(current), source_snapshot(updated)
            if before == after:
                raise ValidationError(
                    [FieldError("changes", "change nothing; give at least one new value")]
                )
            db["sources"].update(
                source_id,
                {k: after[k] for k in ("title", "publisher", "published")},
            )
            row = {
                "seq": self._next_feed_seq(),
                "source_id": source_id,
                "revision": len(self.source_history(source_id)) + 2,  # 1 = as first stored
                "action": "edit",
                "author": by.name.strip(),
                "author_id": by.id,
                "reason": " ".join(reason.split()),
                "at": now(),
                "before": json.dumps(before, ensure_ascii=False),
                "after": json.dumps(after, ensure_ascii=False),
                "cited_by": json.dumps(self._citing(source_id), ensure_ascii=False),
            }
            db["source_revisions"].insert(row)
            return _source_revision_from_row(row)

    def _next_feed_seq(self) -> int:
        """The next number of the change feed shared with fact revisions. The AUTOINCREMENT
        counter of `revisions` is moved past it, so no fact revision ever reuses it."""
        (last,) = self.db.execute(
            "SELECT max(coalesce((SELECT max(seq) FROM revisions), 0),"
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'revisions'), 0),"
            " coalesce((SELECT max(seq) FROM source_revisions), 0))"
        ).fetchone()
        seq = int(last) + 1
        moved = self.db.execute(
            "UPDATE sqlite_sequence SET seq = ? WHERE name = 'revisions'", [seq]
        ).rowcount
        if not moved:
            self.db.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('revisions', ?)", [seq]
            )
        return seq

    def _citing(self, source_id: str) -> list[dict[str, Any]]:
        """The current facts citing a source: {id, kind, parties} (for alert topics)."""
        rows = self.db.execute(
            "SELECT DISTINCT f.id, f.kind, f.parties FROM fact_sources s"
            " JOIN facts f ON f.id = s.fact_id WHERE s.source_id = ? AND f.retracted = 0"
            " ORDER BY f.id",
            [source_id],
        ).fetchall()
        return [{"id": r[0], "kind": r[1], "parties": json.loads(r[2])} for r in rows]

    # ---- reading ------------------------------------------------------------------------

    def citing_fact_ids(self, source_id: str) -> list[str]:
        """Every fact that cites the source now, retracted ones included."""
        with self._lock:
            rows = self.db.execute(
                "SELECT DISTINCT fact_id FROM fact_sources WHERE source_id = ? ORDER BY fact_id",
                [source_id],
            ).fetchall()
        return [r[0] for r in rows]

    def source_history(self, source_id: str) -> list[SourceRevision]:
        """Every explicit edit of a source, oldest first."""
        with self._lock:
            rows = list(
                self.db.query(
                    "SELECT * FROM source_revisions WHERE source_id = ? ORDER BY seq", [source_id]
                )
            )
        return [_source_revision_from_row(row) for row in rows]

    def require_source(self, source_id: str) -> Source:
        source = self.get_source(source_id, missing_ok=True)
        if source is None:
            raise NotFoundError(
                f"no source with id '{source_id}'; `tradebot sources list` shows the ids"
            )
        return source

    def source_edits_for(self, revisions: list[Revision]) -> list[SourceRevision]:
        """Edits of every source a fact cited in any of its `revisions`, oldest first."""
        ids = {
            c["source_id"]
            for rev in revisions
            for snap in (rev.before, rev.after)
            for c in (snap or {}).get("citations") or []
        }
        if not ids:
            return []
        with self._lock:
            rows = list(
                self.db.query(
                    f"SELECT * FROM source_revisions WHERE source_id IN "
                    f"({','.join('?' * len(ids))}) ORDER BY seq",
                    sorted(ids),
                )
            )
        return [_source_revision_from_row(row) for row in rows]

    def source_revisions_since(self, seq: int, limit: int = 500) -> list[SourceRevision]:
        with self._lock:
            rows = list(
                self.db.query(
                    "SELECT * FROM source_revisions WHERE seq > ? ORDER BY seq LIMIT ?",
                    [seq, limit],
                )
            )
        return [_source_revision_from_row(row) for row in rows]

    def feed_head(self) -> int:
        """The newest seq of the change feed (fact and source revisions); 0 when empty."""
        with self._lock:
            (head,) = self.db.execute(
                "SELECT max(coalesce((SELECT max(seq) FROM revisions), 0),"
                " coalesce((SELECT max(seq) FROM source_revisions), 0))"
            ).fetchone()
        return int(head)

    def changes_since(self, seq: int, limit: int = 500) -> list[Revision | SourceRevision]:
        """The change feed: fact and source revisions after `seq`, in the order written."""
        facts: list[Revision | SourceRevision] = list(self.revisions_since(seq, limit=limit))
        merged = facts + list(self.source_revisions_since(seq, limit=limit))
        return sorted(merged, key=lambda change: change.seq)[:limit]


def _source_revision_from_row(row: Mapping[str, Any]) -> SourceRevision:
    return SourceRevision(
        seq=row["seq"],
        source_id=row["source_id"],
        revision=row["revision"],
        action=row["action"],
        author=row["author"],
        author_id=row["author_id"],
        reason=row["reason"],
        at=row["at"],
        before=json.loads(row["before"]),
        after=json.loads(row["after"]),
        cited_by=tuple(json.loads(row["cited_by"])),
    )

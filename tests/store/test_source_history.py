"""Sources never change behind a fact's back: unique ids, no silent upsert, revisioned edits
in one change feed with fact revisions."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.answer.index import FactIndex
from bot.store import FactStore, NotFoundError, Source, ValidationError, schema
from bot.store.model import SourceRevision
from tests.conftest import MOD, rate_fact


def test_put_source_never_replaces_a_stored_source(fresh_db: FactStore) -> None:
    other = Source("src-a", "https://example.org/other", "Other", "Other News", date(2025, 6, 3))
    with pytest.raises(
        ValidationError, match=r"'src-a' is already the source https://example\.org/a"
    ):
        fresh_db.put_source(other)
    retitled = Source("src-a", "https://example.org/a", "Renamed", "Example News", date(2025, 6, 1))
    with pytest.raises(
        ValidationError, match="already cited as 'Example A' \\(you gave 'Renamed'\\)"
    ):
        fresh_db.put_source(retitled)
    kept = fresh_db.require_source("src-a")
    assert (kept.url, kept.title) == ("https://example.org/a", "Example A")
    same = Source("src-a", "https://example.org/a", "Example A", "Example News", date(2025, 6, 1))
    assert fresh_db.put_source(same) is False  # the same source again: nothing to do


def test_edit_source_writes_a_revision_and_the_row(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    rev = fresh_db.edit_source(
        "src-a", {"title": "Example A, corrected", "published": "2025-06-02"}, by=MOD, reason="typo"
    )
    assert isinstance(rev, SourceRevision) and rev.revision == 2
    assert rev.changed_fields() == ["title", "published"]
    assert rev.before["title"] == "Example A" and rev.after["published"] == "2025-06-02"
    assert [f["id"] for f in rev.cited_by] == ["xx-rate"]
    source = fresh_db.require_source("src-a")
    assert (source.title, source.published) == ("Example A, corrected", date(2025, 6, 2))
    assert fresh_db.source_history("src-a") == [rev]
    again = fresh_db.edit_source("src-a", {"publisher": "Example Wire"}, by=MOD, reason="rename")
    assert again.revision == 3


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"url": "https://example.org/z"}, "url: is the source's identity"),
        ({"title": "Example A"}, "change nothing"),
        ({"published": "2099-01-01"}, "published: 2099-01-01 is after today"),
        ({"title": ""}, "title: is required"),
        ({"document": "x"}, "document: cannot be edited"),
    ],
)
def test_bad_source_edits_are_refused_and_change_nothing(
    fresh_db: FactStore, changes: dict[str, str], fragment: str
) -> None:
    with pytest.raises(ValidationError, match=fragment):
        fresh_db.edit_source("src-a", changes, by=MOD, reason="try")
    assert fresh_db.require_source("src-a").title == "Example A"
    assert fresh_db.source_history("src-a") == []


def test_edit_needs_author_reason_and_a_known_source(fresh_db: FactStore) -> None:
    with pytest.raises(ValidationError, match="reason"):
        fresh_db.edit_source("src-a", {"title": "New title"}, by=MOD, reason="")
    with pytest.raises(NotFoundError, match="tradebot sources list"):
        fresh_db.edit_source("nope", {"title": "New title"}, by=MOD, reason="why")


def test_source_history_is_append_only_and_sources_never_deleted(fresh_db: FactStore) -> None:
    fresh_db.edit_source("src-a", {"title": "New title"}, by=MOD, reason="why")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        fresh_db.db.execute("UPDATE source_revisions SET reason = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        fresh_db.db.execute("DELETE FROM source_revisions")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        fresh_db.db.execute("DELETE FROM sources")


def test_source_edits_and_fact_revisions_form_one_ordered_feed(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    edit = fresh_db.edit_source("src-a", {"title": "New title"}, by=MOD, reason="why")
    fresh_db.update("xx-rate", {"rate": 26}, base_revision=1, by=MOD, reason="later")
    feed = fresh_db.changes_since(0)
    assert [type(c).__name__ for c in feed] == ["Revision", "SourceRevision", "Revision"]
    seqs = [c.seq for c in feed]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3  # a later fact seq never reuses it
    assert fresh_db.feed_head() == seqs[-1]
    assert fresh_db.changes_since(edit.seq) == feed[2:]


def test_source_edit_notifies_change_listeners(fresh_db: FactStore) -> None:
    calls: list[str] = []
    fresh_db.on_change(lambda: calls.append("changed"))
    fresh_db.edit_source("src-a", {"title": "New title"}, by=MOD, reason="why")
    assert calls == ["changed"]


def test_fact_history_lists_edits_of_its_sources(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fresh_db.edit_source("doc-b", {"title": "Not cited by xx-rate"}, by=MOD, reason="why")
    edit = fresh_db.edit_source("src-a", {"title": "New title"}, by=MOD, reason="why")
    assert fresh_db.source_edits_for(fresh_db.history("xx-rate")) == [edit]


def test_migration_keeps_deliveries_and_drops_their_revisions_key(tmp_path: Path) -> None:
    """A database from before source revisions upgrades in place, ledger rows kept."""
    path = tmp_path / "old.db"
    db = schema.sqlite_utils.Database(sqlite3.connect(path))
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in schema.MIGRATIONS[:3]:
        step(db)
        db.execute("INSERT INTO migrations VALUES (?, 'then')", [name])
    db.execute("INSERT INTO deliveries VALUES (7, 1, 70, 'then')")
    db.conn.commit()
    db.conn.close()
    store = FactStore.open(path)
    assert "004_source_revisions" in schema.applied_migrations(store.db)
    assert store.db.execute("SELECT * FROM deliveries").fetchall() == [(7, 1, 70, "then")]
    with store.transaction() as tx:  # a source edit's seq is no row of `revisions`
        tx.execute("INSERT INTO deliveries VALUES (7, 999, NULL, 'now')")
    store.close()


def test_a_source_edit_reaches_the_answer_index(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    index = FactIndex(fresh_db)
    index.refresh()
    assert index.sources["src-a"].title == "Example A"
    fresh_db.edit_source("src-a", {"title": "Example A, corrected"}, by=MOD, reason="typo")
    index.refresh()
    assert index.sources["src-a"].title == "Example A, corrected"

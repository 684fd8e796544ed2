"""Where a store may be opened: never in a missing folder, never into a foreign file, and
a new store readable by its owner only (it holds moderator ids and users' questions)."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import service
from bot.cli import main
from bot.store import FactStore
from bot.store.location import StoreLocationError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_missing_folder_is_an_error_naming_it_and_nothing_is_created(tmp_path) -> None:
    missing = tmp_path / "typo" / "deeper"
    with pytest.raises(StoreLocationError) as err:
        FactStore.open(missing / "tradebot.db")
    assert str(err.value) == (
        f"database folder {missing} does not exist; create it or fix --db/TRADEBOT_DB"
    )
    assert not (tmp_path / "typo").exists()


def test_cli_missing_folder_is_exit_2_with_one_line(tmp_path) -> None:
    result = CliRunner().invoke(main, ["facts", "list", "--db", str(tmp_path / "no" / "x.db")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: database folder {tmp_path / 'no'} does not exist; create it or fix "
        "--db/TRADEBOT_DB"
    )


def test_a_new_file_in_an_existing_folder_gets_the_bundled_facts(tmp_path) -> None:
    store = service.open_store(tmp_path / "new.db")
    try:
        assert len(store.facts()) > 10
    finally:
        store.close()


def test_a_new_store_and_its_wal_files_are_readable_by_the_owner_only(tmp_path) -> None:
    path = tmp_path / "private.db"
    store = service.open_store(path)
    try:
        files = [path, tmp_path / "private.db-wal", tmp_path / "private.db-shm"]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        store.close()


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.execute("INSERT INTO people VALUES ('Ada')")
    conn.commit()
    conn.close()


def _other_programs_migrations(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO migrations VALUES ('0001_users', '2024-01-01')")
    conn.execute("CREATE TABLE users (id INTEGER)")
    conn.commit()
    conn.close()


def _older_store_with_a_stranger_table(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO migrations VALUES ('001_initial', '2024-01-01')")
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_text("name,rate\nUS,30\n"), "not a SQLite database"),
        (_foreign_sqlite, "it has tables (people) but no Tradebot migrations table"),
        (_other_programs_migrations, "its migrations (0001_users) are not this Tradebot's"),
        (_older_store_with_a_stranger_table, "tables Tradebot does not know: invoices"),
    ],
)
def test_a_foreign_file_is_refused_and_left_byte_for_byte(tmp_path, make, reason) -> None:
    path = tmp_path / "notes.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(StoreLocationError) as err:
        service.open_store(path)
    assert reason in str(err.value) and str(path) in str(err.value)
    result = CliRunner().invoke(main, ["ask", "us tariff on china?", "--db", str(path)])
    assert result.exit_code == 2 and "is not a Tradebot database" in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no -wal, no -shm


def test_an_empty_file_and_an_existing_store_are_opened(tmp_path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    service.open_store(empty).close()
    reopened = service.open_store(empty)  # now a Tradebot store
    try:
        assert reopened.facts()
    finally:
        reopened.close()


def test_an_older_store_is_still_migrated(tmp_path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    conn.commit()
    conn.close()
    store = FactStore.open(path)
    try:
        assert "facts" in store.db.table_names()
    finally:
        store.close()

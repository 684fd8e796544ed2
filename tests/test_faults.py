"""Storage faults: a clear message and no partial state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.store import FactStore
from bot.store.facts_files import FactsFileError, load_facts
from tests.conftest import MOD, rate_fact
from tests.test_cli import ADD, digest


def dump(store: FactStore) -> str:
    return "\n".join(store.db.conn.iterdump())


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        ("database or disk is full", "the disk is full"),
        ("attempt to write a readonly database", "read-only"),
    ],
)
def test_write_failure_midway_rolls_back_everything(
    fresh_db: FactStore, monkeypatch, error, hint
) -> None:
    before = dump(fresh_db)

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(fresh_db, "_append_revision", fail)  # after the fact row is written
    with pytest.raises(sqlite3.OperationalError):
        fresh_db.add(rate_fact(), by=MOD, reason="will fail")
    assert dump(fresh_db) == before


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        ("database or disk is full", "the disk is full"),
        ("attempt to write a readonly database", "read-only"),
    ],
)
def test_cli_reports_storage_failures_in_one_line(db_file: Path, monkeypatch, error, hint) -> None:
    CliRunner().invoke(main, ["facts", "list", "--db", str(db_file)])
    before = digest(db_file)

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(FactStore, "_append_revision", fail)
    result = CliRunner().invoke(main, [*ADD, "--db", str(db_file)])
    assert result.exit_code == 1
    assert hint in result.output and "Nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert digest(db_file) == before


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(main, ["facts", "list", "--db", str(bad)])
    # A wrong --db is bad input (exit 2), and the file is left exactly as it was.
    assert result.exit_code == 2 and "is not a Tradebot database" in result.output
    assert bad.read_bytes() == b"this is not sqlite" * 100


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff\xfe garbage \x80",
        b"title = 'x'\n[[facts]\n",
        b'{"title": "x", "facts": [1, 2]}',
    ],
)
def test_corrupt_facts_files_load_nothing(
    fresh_db: FactStore, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / ("broken.json" if content.startswith(b"{") else "broken.toml")
    path.write_bytes(content)
    before = dump(fresh_db)
    with pytest.raises(FactsFileError) as err:
        load_facts(fresh_db, [path])
    assert "broken" in str(err.value)
    assert dump(fresh_db) == before

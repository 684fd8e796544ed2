"""A read-only database (a replica: file or folder not writable, or opened `mode=ro`)
answers everything, warns once, and refuses writes with one clear line."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import review, service
from bot.cli import main
from bot.recorder import AnswerRecorder
from bot.store import FactStore
from bot.store.errors import ReadOnlyError
from tests.conftest import MOD, rate_fact

DAY = date(2025, 6, 1)
QUESTIONS = ["US tariffs on Chinese goods?", "play some jazz", "is the court case over"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Path]:
    """A migrated database with the bundled facts, in a folder and file made read-only."""
    folder = tmp_path / "replica"
    folder.mkdir()
    path = folder / "tradebot.db"
    service.open_store(path).close()
    path.chmod(0o444)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def read_only_paths(replica: Path) -> list[str]:
    return [str(replica), f"file:{replica}?mode=ro"]


def check_answers_and_refuses_writes(path: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assistant = service.Assistant(service.open_store(path))
    recorder = AnswerRecorder(assistant.store)
    recorder.start()
    assert assistant.store.read_only
    for _ in range(5):
        for question in QUESTIONS:
            answer = assistant.ask(question, DAY)
            assert answer.text
            answer_id = recorder.add(answer)
            review.record_miss(assistant.store, answer)
            assert recorder.lookup(answer_id)["question"] == answer.question
    assert "30%" in assistant.ask(QUESTIONS[0], DAY).text
    assert recorder.flush() == 0 and recorder.pending == 0
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "read-only" in warnings[0].getMessage()
    with pytest.raises(ReadOnlyError, match=r"read-only .*primary"):
        service.add_fact(assistant.store, rate_fact(), by=MOD, reason="try a write")
    with pytest.raises(ReadOnlyError):
        review.record_feedback(assistant.store, 1, "helpful")
    assistant.store.close()


def test_a_read_only_file_in_a_read_only_folder_answers(replica: Path, caplog) -> None:
    before = digest(replica)
    check_answers_and_refuses_writes(str(replica), caplog)
    assert digest(replica) == before


def test_a_database_opened_mode_ro_answers(tmp_path: Path, caplog) -> None:
    path = tmp_path / "t.db"
    service.open_store(path).close()
    before = digest(path)
    check_answers_and_refuses_writes(f"file:{path}?mode=ro", caplog)
    assert digest(path) == before


def test_a_replica_sees_changes_made_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    service.open_store(path).close()
    replica = service.Assistant(service.open_store(f"file:{path}?mode=ro"))
    assert "30%" in replica.ask(QUESTIONS[0], DAY).text
    primary = FactStore.open(path)
    fact = primary.require("us-cn-tariff-30")
    primary.update(
        fact.id, {"rate": 31, "components": None}, base_revision=1, by=MOD, reason="restored"
    )
    primary.close()
    assert "31%" in replica.ask(QUESTIONS[0], DAY).text
    replica.store.close()


def test_an_unmigrated_read_only_database_is_refused_clearly(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    sqlite3.connect(path).execute("CREATE TABLE migrations (name TEXT, applied_at TEXT)")
    with pytest.raises(ReadOnlyError, match=r"lacks migrations 001_initial.*writable"):
        FactStore.open(f"file:{path}?mode=ro")


@pytest.mark.parametrize("how", ["chmod", "mode=ro"])
def test_cli_ask_answers_from_a_replica(replica: Path, how: str) -> None:
    db = str(replica) if how == "chmod" else f"file:{replica}?mode=ro"
    before = digest(replica)
    result = CliRunner().invoke(main, ["ask", QUESTIONS[0], "--as-of", "2025-06-01", "--db", db])
    assert result.exit_code == 0, result.output
    assert "30%" in result.output
    missed = CliRunner().invoke(main, ["ask", "play some jazz", "--db", db])
    assert missed.exit_code == 0, missed.output
    assert digest(replica) == before


def test_cli_edit_on_a_replica_is_one_clear_line(replica: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "facts",
            "retract",
            "us-cn-tariff-30",
            "--reason",
            "test",
            "--by",
            "me",
            "--db",
            str(replica),
        ],
    )
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "read-only" in lines[0], result.output

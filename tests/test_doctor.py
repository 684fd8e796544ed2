"""`tradebot doctor`: every check passes on a good setup and names the fix on a bad one,
without writing anything and without contacting (or importing) Discord."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import doctor, service
from bot.cli import main
from tests.conftest import REPO
from tests.test_config import SETTING_NAMES

GOOD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.abcdefghijklmnopqrstuvwxyz0123"


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working folder with no .env and no Tradebot variable set."""
    monkeypatch.chdir(tmp_path)
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def good_db(home: Path) -> Path:
    path = home / "tradebot.db"
    service.open_store(path).close()
    gc.collect()  # let any last connection go, so its files settle before a test looks
    return path


def statuses(results: list[doctor.Result]) -> set[str]:
    return {r.status for r in results}


def failures(results: list[doctor.Result]) -> list[str]:
    return [r.message for r in results if r.status == doctor.FAIL]


# ---- settings ---------------------------------------------------------------------------


def test_settings_good(home, monkeypatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("TRADEBOT_SHARD_COUNT", "2")
    monkeypatch.setenv("TRADEBOT_MODERATOR_CHANNEL_ID", "123456789012345678")
    results, settings = doctor.check_settings()
    assert statuses(results) == {doctor.OK} and settings is not None
    assert len(results) == len(SETTING_NAMES)
    assert all(GOOD_TOKEN not in r.message for r in results)


def test_the_moderators_channel_is_named_when_reminders_or_the_watcher_need_it(
    home, monkeypatch
) -> None:
    results, _ = doctor.check_settings()
    assert any(
        r.status == doctor.INFO and r.message.startswith("TRADEBOT_MODERATOR_CHANNEL_ID is not set")
        for r in results
    )
    monkeypatch.setenv("TRADEBOT_WATCH_SOURCES", "true")
    results, _ = doctor.check_settings()
    assert any(
        r.status == doctor.FAIL and "TRADEBOT_WATCH_SOURCES is on but" in r.message for r in results
    )
    monkeypatch.setenv("TRADEBOT_MODERATOR_CHANNEL_ID", "123456789012345678")
    results, _ = doctor.check_settings()
    assert not any("TRADEBOT_MODERATOR_CHANNEL_ID is not set" in r.message for r in results)
    assert not any(r.status == doctor.FAIL for r in results)


def test_settings_bad_names_each_variable(home, monkeypatch) -> None:
    monkeypatch.setenv("TRADEBOT_LOG_LEVEL", "LOUD")
    monkeypatch.setenv("TRADEBOT_HOME_GUILD_ID", "abc")
    results, settings = doctor.check_settings()
    assert settings is None
    assert sorted(m.split("=")[0] for m in failures(results)) == [
        "TRADEBOT_HOME_GUILD_ID",
        "TRADEBOT_LOG_LEVEL",
    ]


@pytest.mark.parametrize(
    ("token", "status"),
    [
        (None, doctor.INFO),
        (GOOD_TOKEN, doctor.OK),
        (f"Bot {GOOD_TOKEN}", doctor.FAIL),
        ("not-a-token", doctor.FAIL),
    ],
)
def test_token_presence_and_shape(home, monkeypatch, token, status) -> None:
    if token:
        monkeypatch.setenv("DISCORD_TOKEN", token)
    results, _ = doctor.check_settings()
    token_result = next(r for r in results if "DISCORD_TOKEN" in r.message)
    assert token_result.status == status
    assert not token or token not in token_result.message


def test_token_is_checked_even_when_another_setting_is_bad(home, monkeypatch) -> None:
    monkeypatch.setenv("TRADEBOT_LOG_LEVEL", "LOUD")
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-token")
    results, _ = doctor.check_settings()
    assert any(m.startswith("DISCORD_TOKEN does not look like") for m in failures(results))


# ---- database ---------------------------------------------------------------------------


def test_database_good(good_db) -> None:
    results = doctor.check_database(good_db)
    assert statuses(results) == {doctor.OK}
    assert len(results) == 4  # writable, schema, integrity, permissions


def test_a_database_behind_the_bundled_facts_is_told_to_load_them(good_db) -> None:
    (ok,) = doctor.check_bundled_loaded(good_db)
    assert ok.status == doctor.OK
    conn = sqlite3.connect(good_db)
    with conn:
        conn.execute("DELETE FROM file_loads WHERE rowid IN (SELECT rowid FROM file_loads LIMIT 2)")
    conn.close()
    (behind,) = doctor.check_bundled_loaded(good_db)
    assert behind.status == doctor.INFO
    assert behind.message.startswith("2 bundled facts") and "tradebot facts load" in behind.message


def test_database_not_created_yet_is_only_information(home) -> None:
    results = doctor.check_database(home / "new.db")
    assert statuses(results) == {doctor.INFO}
    assert not (home / "new.db").exists()


def test_database_missing_folder(home) -> None:
    (result,) = doctor.check_database(home / "nope" / "x.db")
    assert result.status == doctor.FAIL and "database folder" in result.message


def test_database_foreign_file_is_named_and_untouched(home) -> None:
    path = home / "notes.db"
    path.write_text("not a database at all")
    (result,) = doctor.check_database(path)
    assert result.status == doctor.FAIL and "not a SQLite database" in result.message
    assert path.read_text() == "not a database at all"


def test_database_open_to_others_is_named_with_the_chmod(good_db) -> None:
    os.chmod(good_db, 0o644)
    results = doctor.check_database(good_db)
    (problem,) = failures(results)
    assert f"chmod 600 {good_db}" in problem


def test_database_pending_migrations_are_information_when_writable(good_db) -> None:
    conn = sqlite3.connect(good_db)
    conn.execute("DELETE FROM migrations WHERE name = (SELECT max(name) FROM migrations)")
    conn.commit()
    conn.close()
    results = doctor.check_database(good_db)
    assert failures(results) == []
    assert any("lacks migrations" in r.message for r in results if r.status == doctor.INFO)


def test_database_read_only_is_reported(good_db) -> None:
    os.chmod(good_db, 0o400)
    try:
        results = doctor.check_database(good_db)
    finally:
        os.chmod(good_db, 0o600)
    assert failures(results) == []
    assert any("read-only" in r.message for r in results if r.status == doctor.INFO)


def test_database_damage_fails_quick_check(good_db) -> None:
    conn = sqlite3.connect(good_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(good_db.read_bytes())
    for offset in range(page_size * 2, len(data), page_size):  # every page header but the first
        data[offset : offset + 8] = b"\xff" * 8
    good_db.write_bytes(bytes(data))
    results = doctor.check_database(good_db)
    assert any("restore it from a backup" in m or "cannot read" in m for m in failures(results))


def test_doctor_writes_nothing_to_the_database(good_db) -> None:
    before = {p.name: p.read_bytes() for p in good_db.parent.iterdir() if p.is_file()}
    result = CliRunner().invoke(main, ["doctor", "--db", str(good_db)])
    after = {p.name: p.read_bytes() for p in good_db.parent.iterdir() if p.is_file()}
    assert result.exit_code == 0, result.output
    assert after == before  # not even a -wal or -shm file appears


# ---- facts files and .env ---------------------------------------------------------------


def test_facts_files_good() -> None:
    (result,) = doctor.check_facts_files()
    assert result.status == doctor.OK and "facts" in result.message


def test_facts_files_bad(tmp_path) -> None:
    (tmp_path / "broken.toml").write_text('title = "Broken"\n[[facts]]\nid = "x"\n')
    results = doctor.check_facts_files([tmp_path])
    assert results and statuses(results) == {doctor.FAIL}
    assert all("broken.toml" in r.message for r in results)


def test_env_file_private_open_and_absent(home) -> None:
    env = Path(".env")
    assert statuses(doctor.check_env_file(env)) == {doctor.INFO}
    env.write_text(f"DISCORD_TOKEN={GOOD_TOKEN}\n")
    os.chmod(env, 0o600)
    assert statuses(doctor.check_env_file(env)) == {doctor.OK}
    os.chmod(env, 0o644)
    (result,) = doctor.check_env_file(env)
    assert result.status == doctor.FAIL and "chmod 600 .env" in result.message


# ---- the command ------------------------------------------------------------------------


def test_doctor_all_good_exits_0(good_db) -> None:
    result = CliRunner().invoke(main, ["doctor", "--db", str(good_db)])
    assert result.exit_code == 0, result.output
    assert "✗" not in result.output and result.output.strip().endswith("all good.")


def test_doctor_with_problems_exits_1_one_line_each(home, monkeypatch) -> None:
    monkeypatch.setenv("TRADEBOT_STALE_AFTER_DAYS", "0")
    (home / ".env").write_text("TRADEBOT_LOG_LEVEL=INFO\n")
    os.chmod(home / ".env", 0o644)
    result = CliRunner().invoke(main, ["doctor", "--db", str(home / "gone" / "x.db")])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert len(problems) == 3, result.output
    assert "Traceback" not in result.output


def test_doctor_never_imports_discord(good_db) -> None:
    code = (
        "import sys; from bot.cli import main\n"
        "try:\n    main(['doctor', '--db', sys.argv[1]])\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "assert 'discord' not in sys.modules, 'discord imported'\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["DISCORD_TOKEN"] = GOOD_TOKEN
    done = subprocess.run(
        [sys.executable, "-c", code, str(good_db)],
        cwd=good_db.parent,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr

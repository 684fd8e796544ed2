"""Settings come from keyword arguments, the environment or `.env`, never logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_DB_PATH, Settings

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("TRADEBOT_DB", "DISCORD_TOKEN", "TRADEBOT_MODERATOR_ROLE_IDS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.db_path == DEFAULT_DB_PATH
    assert settings.discord_token is None and settings.sync_on_start is False
    assert settings.stale_after_days == 60


def test_environment_and_comma_separated_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADEBOT_DB", "/tmp/x.db")
    monkeypatch.setenv("TRADEBOT_MODERATOR_ROLE_IDS", "11, 22,33")
    monkeypatch.setenv("TRADEBOT_ANSWER_CHANNEL_IDS", "44")
    monkeypatch.setenv("TRADEBOT_SYNC_ON_START", "true")
    settings = Settings()
    assert settings.db_path == Path("/tmp/x.db")
    assert settings.moderator_role_ids == [11, 22, 33]
    assert settings.answer_channel_ids == [44]
    assert settings.sync_on_start is True


def test_keyword_arguments_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    (tmp_path / ".env").write_text("DISCORD_TOKEN=secret-token-value\nTRADEBOT_HOME_GUILD_ID=7\n")
    settings = Settings()
    assert settings.home_guild_id == 7
    assert settings.discord_token.get_secret_value() == "secret-token-value"
    assert "secret-token-value" not in repr(settings)
    assert Settings(db_path=Path("a.db"), moderator_role_ids=[1]).moderator_role_ids == [1]


def test_env_example_lists_every_setting() -> None:
    example = (REPO_ROOT / ".env.example").read_text()
    for field in Settings.model_fields.values():
        assert f"{field.validation_alias}=" in example, field.validation_alias


@pytest.mark.parametrize(
    ("env", "dotenv"),
    [
        ({}, ""),
        ({"TRADEBOT_DB": "/tmp/env.db", "TRADEBOT_STALE_AFTER_DAYS": "30"}, ""),
        ({}, "TRADEBOT_DB=from-dotenv.db\nTRADEBOT_STALE_AFTER_DAYS=7\n"),
        ({"TRADEBOT_DB": "env-wins.db"}, "TRADEBOT_DB=dotenv-loses.db\n"),
        # Empty means not set: the default, or the .env value behind an empty variable.
        ({"TRADEBOT_DB": "", "TRADEBOT_STALE_AFTER_DAYS": ""}, ""),
        ({}, "TRADEBOT_DB=\nTRADEBOT_STALE_AFTER_DAYS=\n"),
        ({"TRADEBOT_DB": "", "TRADEBOT_STALE_AFTER_DAYS": ""}, "TRADEBOT_DB=d.db\n"),
        ({"TRADEBOT_STALE_AFTER_DAYS": ""}, "TRADEBOT_STALE_AFTER_DAYS=9\n"),
        ({"TRADEBOT_STALE_AFTER_DAYS": " 30 "}, ""),
        ({"TRADEBOT_STALE_AFTER_DAYS": "+7"}, ""),
    ],
)
def test_quick_config_agrees_with_settings(monkeypatch, tmp_path, env, dotenv) -> None:
    from bot import quick_config

    monkeypatch.chdir(tmp_path)
    for name in ("TRADEBOT_DB", "TRADEBOT_STALE_AFTER_DAYS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if dotenv:
        (tmp_path / ".env").write_text(dotenv)
    settings = Settings()
    assert quick_config.db_path() == settings.db_path
    assert quick_config.stale_after_days() == settings.stale_after_days


@pytest.mark.parametrize("value", ["0", "-3", "soon", "30.0", "1_000", "1e2", "٣", "0x10"])
def test_quick_config_refuses_what_settings_refuses(clean_env, value) -> None:
    from bot import quick_config
    from bot.config import SettingsError, load_settings

    clean_env.setenv("TRADEBOT_STALE_AFTER_DAYS", value)
    with pytest.raises(SettingsError) as full:
        load_settings()
    with pytest.raises(ValueError) as quick:
        quick_config.stale_after_days()
    assert [str(quick.value)] == full.value.lines


def test_bad_stale_days_is_a_usage_error(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.setenv("TRADEBOT_STALE_AFTER_DAYS", "soon")
    result = CliRunner().invoke(main, ["ask", "hi", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "TRADEBOT_STALE_AFTER_DAYS" in result.output


SETTING_NAMES = (
    "DISCORD_TOKEN",
    "TRADEBOT_DB",
    "TRADEBOT_HOME_GUILD_ID",
    "TRADEBOT_MODERATOR_ROLE_IDS",
    "TRADEBOT_ANSWER_CHANNEL_IDS",
    "TRADEBOT_SYNC_ON_START",
    "TRADEBOT_MESSAGE_CONTENT_INTENT",
    "TRADEBOT_STALE_AFTER_DAYS",
    "TRADEBOT_QUESTION_COOLDOWN_SECONDS",
    "TRADEBOT_LOG_LEVEL",
    "TRADEBOT_SHARD_COUNT",
    "TRADEBOT_SHARD_IDS",
    "TRADEBOT_MODERATOR_CHANNEL_ID",
    "TRADEBOT_WATCH_SOURCES",
    "TRADEBOT_WATCH_INTERVAL_MINUTES",
    "TRADEBOT_TOPIC_IDLE_DAYS",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No Tradebot variable set, and a working folder without .env."""
    monkeypatch.chdir(tmp_path)
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_setting_names_cover_every_field() -> None:
    assert {str(f.validation_alias) for f in Settings.model_fields.values()} == set(SETTING_NAMES)


def test_env_example_copied_with_only_the_token_filled_in_works(clean_env, tmp_path) -> None:
    from bot import quick_config
    from bot.config import load_settings

    example = (REPO_ROOT / ".env.example").read_text()
    assert "TRADEBOT_HOME_GUILD_ID=\n" in example and "TRADEBOT_SHARD_COUNT=\n" in example
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.abcdefghijklmnopqrstuvwxyz0123"
    (tmp_path / ".env").write_text(example.replace("DISCORD_TOKEN=\n", f"DISCORD_TOKEN={token}\n"))
    settings = load_settings()
    assert settings.discord_token.get_secret_value() == token
    assert settings.home_guild_id is None and settings.shard_count is None
    assert settings.shard_ids == [] and settings.moderator_role_ids == []
    assert not settings.sharded
    assert quick_config.db_path() == settings.db_path == Path("tradebot.db")


@pytest.mark.parametrize("name", SETTING_NAMES)
def test_an_empty_variable_means_not_set(clean_env, name) -> None:
    clean_env.setenv(name, "")
    assert Settings() == Settings.model_validate({})


BAD_SETTINGS = [
    ("TRADEBOT_LOG_LEVEL", "LOUD", "one of DEBUG, INFO, WARNING or ERROR"),
    ("TRADEBOT_HOME_GUILD_ID", "my-server", "a server id"),
    ("TRADEBOT_HOME_GUILD_ID", "-5", "a server id"),
    ("TRADEBOT_MODERATOR_ROLE_IDS", "12, admins", "has 'admins', which is not an id"),
    ("TRADEBOT_ANSWER_CHANNEL_IDS", "1.5", "has '1.5', which is not an id"),
    ("TRADEBOT_SHARD_IDS", "3-1", "has the range '3-1', which runs backwards"),
    ("TRADEBOT_SHARD_IDS", "a-b", "has 'a-b', which is not a shard number or a range"),
    ("TRADEBOT_SHARD_IDS", "0-999999999", "larger than any bot needs"),
    ("TRADEBOT_SHARD_COUNT", "0", "the total number of shards, 1 or more"),
    ("TRADEBOT_QUESTION_COOLDOWN_SECONDS", "-1", "seconds, 0 or more"),
    ("TRADEBOT_QUESTION_COOLDOWN_SECONDS", "nan", "seconds, 0 or more"),
    ("TRADEBOT_STALE_AFTER_DAYS", "0", "a whole number of days, 1 or more"),
    ("TRADEBOT_STALE_AFTER_DAYS", "30.0", "a whole number of days, 1 or more"),
    ("TRADEBOT_SYNC_ON_START", "maybe", "true or false"),
    ("TRADEBOT_MESSAGE_CONTENT_INTENT", "sometimes", "true or false"),
]


@pytest.mark.parametrize(("name", "value", "expected"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_naming_it_and_what_to_write(
    clean_env, name, value, expected
) -> None:
    from bot.config import SettingsError, load_settings

    clean_env.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert len(err.value.lines) == 1
    line = err.value.lines[0]
    assert line.startswith(f"{name}='{value}' ") and expected in line and "; write " in line


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TRADEBOT_SHARD_COUNT": "4", "TRADEBOT_SHARD_IDS": "2-4"}, "has shard 4"),
        ({"TRADEBOT_SHARD_IDS": "0,1"}, "TRADEBOT_SHARD_COUNT is not"),
    ],
)
def test_shard_ids_must_fit_the_shard_count(clean_env, env, expected) -> None:
    from bot.config import SettingsError, load_settings

    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert len(err.value.lines) == 1 and err.value.lines[0].startswith("TRADEBOT_SHARD_IDS ")
    assert expected in err.value.lines[0]


def test_a_malformed_token_is_never_repeated() -> None:
    from bot.config import SettingsError, load_settings

    with pytest.raises(SettingsError) as err:
        load_settings(discord_token=12345)
    assert "12345" not in str(err.value) and err.value.lines[0].startswith("DISCORD_TOKEN ")


def test_every_bad_variable_gets_its_own_line(clean_env) -> None:
    from bot.config import SettingsError, load_settings

    for name, value, _ in BAD_SETTINGS[:2] + BAD_SETTINGS[5:6]:
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert sorted(line.split("=")[0] for line in err.value.lines) == [
        "TRADEBOT_HOME_GUILD_ID",
        "TRADEBOT_LOG_LEVEL",
        "TRADEBOT_SHARD_IDS",
    ]


@pytest.mark.parametrize("command", [["run"], ["sync"]])
def test_run_and_sync_report_bad_settings_without_a_traceback(clean_env, tmp_path, command):
    from click.testing import CliRunner

    from bot.cli import main

    clean_env.setenv("TRADEBOT_LOG_LEVEL", "LOUD")
    clean_env.setenv("TRADEBOT_SHARD_IDS", "3-1")
    result = CliRunner().invoke(main, [*command, "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: TRADEBOT_") for line in lines)
    assert "Traceback" not in result.output


def test_run_refuses_a_database_in_a_missing_folder_before_connecting(clean_env, tmp_path):
    from click.testing import CliRunner

    from bot.cli import main

    clean_env.setenv("DISCORD_TOKEN", "not-used")
    result = CliRunner().invoke(main, ["run", "--db", str(tmp_path / "gone" / "x.db")])
    assert result.exit_code == 2
    assert "database folder" in result.output and "does not exist" in result.output


def test_gitignore_keeps_every_env_file_but_the_example_out_of_git() -> None:
    import subprocess

    def ignored(name: str) -> bool:
        found = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", name], cwd=REPO_ROOT, check=False
        )
        return found.returncode == 0

    assert ignored(".env") and ignored(".env.local") and ignored(".env.production")
    assert not ignored(".env.example")

"""Settings come from keyword arguments, the environment or `.env`, never logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_DB_PATH, Settings


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
    example = (Path(__file__).resolve().parents[1] / ".env.example").read_text()
    for field in Settings.model_fields.values():
        assert f"{field.validation_alias}=" in example, field.validation_alias


@pytest.mark.parametrize(
    ("env", "dotenv"),
    [
        ({}, ""),
        ({"TRADEBOT_DB": "/tmp/env.db", "TRADEBOT_STALE_AFTER_DAYS": "30"}, ""),
        ({}, "TRADEBOT_DB=from-dotenv.db\nTRADEBOT_STALE_AFTER_DAYS=7\n"),
        ({"TRADEBOT_DB": "env-wins.db"}, "TRADEBOT_DB=dotenv-loses.db\n"),
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


def test_bad_stale_days_is_a_usage_error(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.setenv("TRADEBOT_STALE_AFTER_DAYS", "soon")
    result = CliRunner().invoke(main, ["ask", "hi", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "TRADEBOT_STALE_AFTER_DAYS" in result.output

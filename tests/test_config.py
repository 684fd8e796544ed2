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

"""Settings from the environment or `.env` (never from tracked files).

Every setting is listed, with a comment, in `.env.example`. The token is a `SecretStr` so
it never appears in a repr, a log line or a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.quick_config import DEFAULT_DB_PATH, DEFAULT_STALE_AFTER_DAYS


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    db_path: Path = Field(default=DEFAULT_DB_PATH, validation_alias="TRADEBOT_DB")
    home_guild_id: int | None = Field(default=None, validation_alias="TRADEBOT_HOME_GUILD_ID")
    moderator_role_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias="TRADEBOT_MODERATOR_ROLE_IDS"
    )
    answer_channel_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias="TRADEBOT_ANSWER_CHANNEL_IDS"
    )
    sync_on_start: bool = Field(default=False, validation_alias="TRADEBOT_SYNC_ON_START")
    message_content_intent: bool = Field(
        default=False, validation_alias="TRADEBOT_MESSAGE_CONTENT_INTENT"
    )
    stale_after_days: int = Field(
        default=DEFAULT_STALE_AFTER_DAYS, ge=1, validation_alias="TRADEBOT_STALE_AFTER_DAYS"
    )
    question_cooldown_seconds: float = Field(
        default=5.0, ge=0, validation_alias="TRADEBOT_QUESTION_COOLDOWN_SECONDS"
    )
    log_level: str = Field(default="INFO", validation_alias="TRADEBOT_LOG_LEVEL")
    shard_count: int | None = Field(default=None, ge=1, validation_alias="TRADEBOT_SHARD_COUNT")
    shard_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias="TRADEBOT_SHARD_IDS"
    )

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_range(cls, value: object) -> object:
        """'0-3' or '0,1,2,3' from the environment."""
        if isinstance(value, str):
            out: list[int] = []
            for part in value.replace(";", ",").split(","):
                part = part.strip()
                if "-" in part:
                    low, high = part.split("-", 1)
                    out.extend(range(int(low), int(high) + 1))
                elif part:
                    out.append(int(part))
            return out
        return value

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None or bool(self.shard_ids)

    @field_validator("moderator_role_ids", "answer_channel_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """Accept "1, 2,3" from the environment as well as a list from keyword arguments."""
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

"""Settings from the environment or `.env` (never from tracked files).

Every setting is listed, with a comment, in `.env.example`. The token is a `SecretStr` so
it never appears in a repr, a log line or a traceback.

`.env.example` copied as it is must work, so an empty value means "not set" (the default).
A bad value is reported as one line naming the variable and what to write there
(`load_settings` raises `SettingsError`), never as a pydantic traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pydantic
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.quick_config import (
    DEFAULT_DB_PATH,
    DEFAULT_STALE_AFTER_DAYS,
    STALE_AFTER_DAYS_HELP,
    parse_stale_after_days,
)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_SHARDS = 100_000

# What to write in each variable; the second half of every error line.
EXPECTED: dict[str, str] = {
    "DISCORD_TOKEN": "the bot token from the Developer Portal (Bot -> Reset Token)",
    "TRADEBOT_DB": "a database file path, e.g. tradebot.db",
    "TRADEBOT_HOME_GUILD_ID": "a server id, a number such as 123456789012345678, or nothing",
    "TRADEBOT_MODERATOR_ROLE_IDS": "role ids, numbers separated by commas, or nothing",
    "TRADEBOT_ANSWER_CHANNEL_IDS": "channel ids, numbers separated by commas, or nothing",
    "TRADEBOT_SYNC_ON_START": "true or false",
    "TRADEBOT_MESSAGE_CONTENT_INTENT": "true or false",
    "TRADEBOT_STALE_AFTER_DAYS": STALE_AFTER_DAYS_HELP,
    "TRADEBOT_QUESTION_COOLDOWN_SECONDS": "seconds, 0 or more (0 = no cooldown; default 5)",
    "TRADEBOT_LOG_LEVEL": "one of DEBUG, INFO, WARNING or ERROR",
    "TRADEBOT_SHARD_COUNT": "the total number of shards, 1 or more, or nothing",
    "TRADEBOT_MODERATOR_CHANNEL_ID": (
        "a channel id, a number such as 123456789012345678, or nothing"
    ),
    "TRADEBOT_WATCH_SOURCES": "true or false",
    "TRADEBOT_WATCH_INTERVAL_MINUTES": "minutes between two checks, 5 or more (default 60)",
    "TRADEBOT_TOPIC_IDLE_DAYS": "a whole number of days, 1 or more (default 120)",
    "TRADEBOT_SHARD_IDS": (
        "shard numbers below TRADEBOT_SHARD_COUNT, as a range '0-3' or a list '0,1', or nothing"
    ),
}


class SettingsError(ValueError):
    """Bad settings: one line per bad variable, each naming it and what to write."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


def _ids(value: str, what: str) -> list[int]:
    """'1, 2,3' -> [1, 2, 3]; a part that is not a positive whole number is an error."""
    out = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise ValueError(f"has '{part}', which is not {what}")
        out.append(int(part))
    return out


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `NAME=` as in .env.example means "use the default"
        extra="ignore",
        populate_by_name=True,
    )

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    db_path: Path = Field(default=DEFAULT_DB_PATH, validation_alias="TRADEBOT_DB")
    home_guild_id: int | None = Field(default=None, ge=1, validation_alias="TRADEBOT_HOME_GUILD_ID")
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
        default=5.0,
        ge=0,
        allow_inf_nan=False,
        validation_alias="TRADEBOT_QUESTION_COOLDOWN_SECONDS",
    )
    log_level: str = Field(default="INFO", validation_alias="TRADEBOT_LOG_LEVEL")
    moderator_channel_id: int | None = Field(
        default=None, ge=1, validation_alias="TRADEBOT_MODERATOR_CHANNEL_ID"
    )
    """Where reminders of lapsing records and new official documents (leads) are posted."""
    watch_sources: bool = Field(default=False, validation_alias="TRADEBOT_WATCH_SOURCES")
    watch_interval_minutes: int = Field(
        default=60, ge=5, validation_alias="TRADEBOT_WATCH_INTERVAL_MINUTES"
    )
    topic_idle_days: int = Field(default=120, ge=1, validation_alias="TRADEBOT_TOPIC_IDLE_DAYS")
    """A topic with no fact recorded for this long is listed by `facts due` as unattended."""
    shard_count: int | None = Field(default=None, ge=1, validation_alias="TRADEBOT_SHARD_COUNT")
    shard_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias="TRADEBOT_SHARD_IDS"
    )

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_range(cls, value: object) -> object:
        """'0-3' or '0,1,2,3' from the environment; a backwards or non-numeric range is
        an error rather than an empty or surprising list."""
        if not isinstance(value, str):
            return value
        out: list[int] = []
        for part in value.replace(";", ",").split(","):
            part = part.strip()
            low, dash, high = part.partition("-")
            if not part:
                continue
            if not (low.strip().isdigit() and (not dash or high.strip().isdigit())):
                raise ValueError(f"has '{part}', which is not a shard number or a range")
            first, last = int(low), int(high) if dash else int(low)
            if last < first:
                raise ValueError(f"has the range '{part}', which runs backwards")
            if last >= MAX_SHARDS:  # also keeps a typo such as 0-99999999 from eating memory
                raise ValueError(f"has the range '{part}', which is larger than any bot needs")
            out.extend(range(first, last + 1))
        return out

    @field_validator("moderator_role_ids", "answer_channel_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """Accept "1, 2,3" from the environment as well as a list from keyword arguments."""
        if isinstance(value, str):
            return _ids(value, "an id (a whole number)")
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("stale_after_days", mode="before")
    @classmethod
    def _whole_days(cls, value: object) -> object:
        """The same rule as `quick_config`, which `tradebot ask` reads instead of this."""
        return parse_stale_after_days(value) if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> object:
        if isinstance(value, str):
            level = value.strip().upper()
            if level not in LOG_LEVELS:
                raise ValueError("is not a log level")
            return level
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids and self.shard_count is None:
            raise ValueError(
                "TRADEBOT_SHARD_IDS is set but TRADEBOT_SHARD_COUNT is not; write the total "
                "number of shards in TRADEBOT_SHARD_COUNT"
            )
        too_big = [i for i in self.shard_ids if self.shard_count and i >= self.shard_count]
        if too_big:
            raise ValueError(
                f"TRADEBOT_SHARD_IDS has shard {too_big[0]}, but shards are numbered 0 to "
                f"{self.shard_count - 1} (TRADEBOT_SHARD_COUNT={self.shard_count}); write "
                "smaller shard ids or a larger TRADEBOT_SHARD_COUNT"
            )
        return self

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None or bool(self.shard_ids)


def _alias(name: object) -> str:
    """The environment variable behind a field name (errors from keyword arguments)."""
    field = Settings.model_fields.get(str(name))
    return str(field.validation_alias) if field is not None else str(name)


def problems_by_variable(exc: pydantic.ValidationError) -> dict[str, str]:
    """One line per bad variable (keyed by its name): what was wrong, what to write.

    The token's value is never repeated (it is a secret even when malformed).
    """
    lines: dict[str, str] = {}
    for error in exc.errors():
        if not error["loc"]:  # a check across variables: its message starts with the name
            message = str(error.get("ctx", {}).get("error", error["msg"]))
            lines.setdefault(message.split()[0], message)
            continue
        alias = _alias(error["loc"][0])
        expected = EXPECTED.get(alias, "a valid value")
        shown = "" if alias == "DISCORD_TOKEN" else f"='{error.get('input')}'"
        # Our own validators say what was wrong ("has the range '3-1', which runs backwards").
        problem = error["ctx"]["error"] if error["type"] == "value_error" else "is not valid"
        lines.setdefault(alias, f"{alias}{shown} {problem}; write {expected}")
    return lines


def problem_lines(exc: pydantic.ValidationError) -> list[str]:
    return list(problems_by_variable(exc).values())


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise `SettingsError` (one line per bad variable) if any is bad."""
    try:
        return Settings(**overrides)
    except pydantic.ValidationError as exc:
        raise SettingsError(problem_lines(exc)) from None

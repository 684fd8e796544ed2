"""The two settings every CLI command needs, read without importing pydantic.

`tradebot ask` must answer from a cold process fast; importing pydantic-settings costs
about a tenth of a second, which is more than answering. These read the same variables,
from the environment first and then `.env`, as `bot.config.Settings` does (a test keeps
the two in agreement); everything else still goes through `Settings`.
"""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DB_PATH = Path("tradebot.db")
DEFAULT_STALE_AFTER_DAYS = 60


def _value(alias: str) -> str | None:
    if alias in os.environ:
        return os.environ[alias]
    if Path(".env").is_file():
        return dotenv_values(".env").get(alias)
    return None


def db_path() -> Path:
    value = _value("TRADEBOT_DB")
    return Path(value) if value else DEFAULT_DB_PATH


def stale_after_days() -> int:
    value = _value("TRADEBOT_STALE_AFTER_DAYS")
    try:
        days = int(value) if value not in (None, "") else DEFAULT_STALE_AFTER_DAYS
    except ValueError:
        raise ValueError(
            f"TRADEBOT_STALE_AFTER_DAYS '{value}' is not a whole number of days"
        ) from None
    if days < 1:
        raise ValueError("TRADEBOT_STALE_AFTER_DAYS must be at least 1")
    return days

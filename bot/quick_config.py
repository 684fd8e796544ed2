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
STALE_AFTER_DAYS_HELP = f"a whole number of days, 1 or more (default {DEFAULT_STALE_AFTER_DAYS})"


def raw_value(alias: str) -> str | None:
    """Any variable as written (environment first, then `.env`); None if unset or empty."""
    return _value(alias)


def _value(alias: str) -> str | None:
    """The variable's value; an empty one counts as not set (as `Settings` does with
    `env_ignore_empty`), so `NAME=` copied from .env.example means "the default"."""
    if os.environ.get(alias, "").strip():
        return os.environ[alias]
    if Path(".env").is_file():
        value = dotenv_values(".env").get(alias)
        return value if value and value.strip() else None
    return None


def db_path() -> Path:
    value = _value("TRADEBOT_DB")
    return Path(value) if value else DEFAULT_DB_PATH


def parse_stale_after_days(value: str) -> int:
    """A whole number of days, 1 or more, written in plain digits ("30"; not "30.0")."""
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()) or int(text) < 1:
        raise ValueError("is not valid")
    return int(text)


def stale_after_days() -> int:
    """The setting, or ValueError worded as `bot.config.problem_lines` words it."""
    value = _value("TRADEBOT_STALE_AFTER_DAYS")
    if value is None:
        return DEFAULT_STALE_AFTER_DAYS
    try:
        return parse_stale_after_days(value)
    except ValueError as exc:
        raise ValueError(
            f"TRADEBOT_STALE_AFTER_DAYS='{value}' {exc}; write {STALE_AFTER_DAYS_HELP}"
        ) from None


def topic_idle_days() -> int:
    """TRADEBOT_TOPIC_IDLE_DAYS (default 120), or ValueError naming the variable."""
    value = _value("TRADEBOT_TOPIC_IDLE_DAYS")
    if value is None:
        return 120
    try:
        return parse_stale_after_days(value)  # the same rule: whole days, 1 or more
    except ValueError:
        raise ValueError(
            f"TRADEBOT_TOPIC_IDLE_DAYS='{value}' is not valid; write a whole number of days, "
            "1 or more (default 120)"
        ) from None

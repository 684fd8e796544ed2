"""Answer strategies by name: intents.toml maps each intent to one (`strategy = ...`).

A strategy is a function `(kit, asked) -> Answer`. The registry is checked when the
composer is built, so an intent naming an unknown strategy fails at start-up with its
name, never at answer time.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.answer.strategies.changes import rate_change
from bot.answer.strategies.courts import court_ruling
from bot.answer.strategies.fixed import greeting, help_text, sources
from bot.answer.strategies.rates import tariff_rate
from bot.answer.strategies.status import deals, generic_status, leaders, negotiation_status
from bot.answer.strategies.truce import truce

Strategy = Callable[[Kit, Asked], Answer]

STRATEGIES: dict[str, Strategy] = {
    "tariff_rate": tariff_rate,
    "rate_change": rate_change,
    "truce": truce,
    "negotiation_status": negotiation_status,
    "leaders": leaders,
    "deals": deals,
    "court_ruling": court_ruling,
    "sources": sources,
    "help": help_text,
    "greeting": greeting,
    "status": generic_status,
}
FUTURE_AWARE = frozenset({"tariff_rate", "rate_change"})
"""Strategies that answer a future date themselves (a rate scheduled for it); the others
are answered as of today, with the future-date note."""

"""Date types shared by understanding and answering.

A neutral module so the answer side can name a date range without importing the
understanding side (bot/answer reads only the `Query`); bot/understand/dates.py
re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    text: str
    event: bool = False  # told as an event clause ("after the court struck them down")

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def plus_days(day: date, days: int) -> date:
    """`day` moved by `days`, stopping at the calendar's edges (1 Jan 1, 31 Dec 9999):
    "tomorrow" asked as of 31 Dec 9999 is still a day no fact covers, so it is answered
    "no record" instead of crashing on OverflowError."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min

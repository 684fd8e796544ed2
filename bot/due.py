"""What needs a moderator: records about to lapse, lapsed ones nobody settled, and
topics nobody has updated for a while (`tradebot facts due`, the Discord reminders).

A record lapses when an end announced in advance passes — a fact whose `valid_to` is a
*scheduled* end (a truce, a 150-day surcharge), or a deadline's `due` date — with nothing
recorded after it. Until a moderator records what happened ("extended to …", "ended",
"changed to …"), answers can only say "it was scheduled to end; I have no record of
whether it was extended or ended". The rules' numbers and words live in bot/data/due.toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from bot import datafiles
from bot.answer.ends import followed
from bot.present import human_date
from bot.store import Fact

STAGES = ("before", "day", "after")
"""Reminder stages: `remind_before_days` before the date, on the day (or the first check
after it), and `remind_after_days` after it if still unsettled. Each is posted once."""


@dataclass(frozen=True)
class DueRules:
    remind_before_days: int
    remind_after_days: int
    default_within_days: int
    settled_statuses: frozenset[str]


@lru_cache(maxsize=1)
def load_due_rules() -> DueRules:
    """bot/data/due.toml, checked: a bad value names the key and what to write."""
    raw = tomllib.loads(datafiles.read_text("due.toml"))
    return parse_due_rules(raw)


def parse_due_rules(raw: dict[str, Any]) -> DueRules:
    for key in ("remind_before_days", "remind_after_days", "default_within_days"):
        value = raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 366:
            raise ValueError(f"due.toml: {key} must be a whole number of days from 0 to 366")
    statuses = raw.get("settled_statuses")
    if not isinstance(statuses, list) or not all(isinstance(s, str) and s for s in statuses):
        raise ValueError('due.toml: settled_statuses must be a list of statuses, e.g. ["ended"]')
    return DueRules(
        raw["remind_before_days"],
        raw["remind_after_days"],
        raw["default_within_days"],
        frozenset(s.lower() for s in statuses),
    )


@dataclass(frozen=True)
class DueItem:
    """One record that falls due: `on` is its scheduled end or its deadline's due date."""

    fact: Fact
    on: date
    what: str  # "scheduled end" | "deadline"

    def days_left(self, today: date) -> int:
        return (self.on - today).days

    def when(self, today: date) -> str:
        """ "due in 5 days (10 Jun 2031)", "due today (…)", "passed 3 days ago (…)"."""
        days, on = self.days_left(today), human_date(self.on)
        if days > 0:
            return f"due in {days} day{'s' if days != 1 else ''} ({on})"
        if days == 0:
            return f"due today ({on})"
        return f"passed {-days} day{'s' if days != -1 else ''} ago ({on})"

    def stage(self, today: date, rules: DueRules | None = None) -> str | None:
        """The reminder stage reached on `today`, if any (the latest one reached)."""
        rules = rules or load_due_rules()
        if today >= self.on + timedelta(days=rules.remind_after_days):
            return "after"
        if today >= self.on:
            return "day"
        if today >= self.on - timedelta(days=rules.remind_before_days):
            return "before"
        return None

    def json(self, today: date) -> dict[str, Any]:
        return {
            "fact_id": self.fact.id,
            "kind": self.fact.kind,
            "subject": self.fact.subject,
            "what": self.what,
            "on": self.on.isoformat(),
            "days_left": self.days_left(today),
            "status": self.fact.status,
            "stage": self.stage(today),
            "revision": self.fact.revision,
        }


@dataclass(frozen=True)
class IdleTopic:
    """A facts topic (the file it is kept in) with no fact recorded for a while."""

    topic: str
    newest: date
    facts: int

    def json(self, today: date) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "newest_recorded": self.newest.isoformat(),
            "days_idle": (today - self.newest).days,
            "facts": self.facts,
        }


def due_items(facts: list[Fact], today: date, within_days: int | None = None) -> list[DueItem]:
    """Records falling due by `today + within_days` or lapsed without anything after them,
    soonest first. Retracted facts and settled deadlines are left out."""
    rules = load_due_rules()
    horizon = today + timedelta(
        days=rules.default_within_days if within_days is None else within_days
    )
    live = [f for f in facts if not f.retracted]
    items: list[DueItem] = []
    for fact in live:
        item = _due(fact, live, rules)
        if item is not None and item.on <= horizon:
            items.append(item)
    return sorted(items, key=lambda i: (i.on, i.fact.id))


def lapsed(fact: Fact, others: Iterable[Fact], day: date) -> bool:
    """Has the fact's scheduled end, or its deadline, passed by `day` with nothing
    recorded after it? (What an answer about `day` cannot call current nor over.)"""
    item = _due(fact, others, load_due_rules())
    return item is not None and item.on <= day


def _due(fact: Fact, facts: Iterable[Fact], rules: DueRules) -> DueItem | None:
    if fact.scheduled_end and fact.valid_to and not followed(fact, facts):
        return DueItem(fact, fact.valid_to, "scheduled end")
    settled = (fact.status or "").lower() in rules.settled_statuses
    if fact.kind == "deadline" and fact.due and fact.valid_to is None and not settled:
        return DueItem(fact, fact.due, "deadline")
    return None


def idle_topics(facts: list[Fact], today: date, idle_days: int) -> list[IdleTopic]:
    """Topics whose newest fact was recorded more than `idle_days` before `today`."""
    newest: dict[str, date] = {}
    counts: dict[str, int] = {}
    for fact in facts:
        if fact.retracted:
            continue
        counts[fact.topic] = counts.get(fact.topic, 0) + 1
        newest[fact.topic] = max(newest.get(fact.topic, fact.recorded), fact.recorded)
    cutoff = today - timedelta(days=idle_days)
    return sorted(
        (IdleTopic(t, day, counts[t]) for t, day in newest.items() if day < cutoff),
        key=lambda t: (t.newest, t.topic),
    )


def due_line(item: DueItem, today: date) -> str:
    """One line for a person: what, when, how far away."""
    subject = item.fact.subject or item.fact.id
    passed = "; nothing recorded since" if item.days_left(today) < 0 else ""
    return f"{item.fact.id}: {subject} — {item.what} {item.when(today)}{passed}"

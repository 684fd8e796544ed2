"""The moderators' reminders: each record falling due (bot/due.py) is posted to the
moderators' channel once per stage — before the date, on it, after it if still unsettled.

Exactly once across restarts, as the alert ledger does it (bot/alerts.py): the message
is sent with a nonce that is stable per (fact, date, stage) and `enforce_nonce`, then the
ledger row is written; a crash between the two sends it again with the same nonce, which
Discord de-duplicates. A record settled meanwhile (extended, ended, changed) is no longer
due, and a moved date is a new date: its stages start again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.due import DueItem, due_items, load_due_rules
from bot.safe_text import for_discord
from bot.store import FactStore


@dataclass(frozen=True)
class Reminder:
    item: DueItem
    stage: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.item.fact.id, self.item.on.isoformat(), self.stage)


def pending(store: FactStore, today: date) -> list[Reminder]:
    """Reminders due on `today` and not yet posted: the latest stage each item has
    reached (a stage missed while the bot was offline is not posted late)."""
    facts, _ = store.snapshot()
    rules = load_due_rules()
    sent = _sent(store)
    out = []
    for item in due_items(facts, today, within_days=rules.remind_before_days):
        stage = item.stage(today, rules)
        if stage is not None and (item.fact.id, item.on.isoformat(), stage) not in sent:
            out.append(Reminder(item, stage))
    return out


def _sent(store: FactStore) -> set[tuple[str, str, str]]:
    with store.reading() as db:
        rows = db.execute("SELECT fact_id, due_on, stage FROM reminders_sent").fetchall()
    return {(r[0], r[1], r[2]) for r in rows}


def record_sent(store: FactStore, reminder: Reminder, channel_id: int, message_id: int) -> None:
    """Write the ledger row (once: a second write of the same stage is ignored)."""
    fact_id, due_on, stage = reminder.key
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO reminders_sent"
            " (fact_id, due_on, stage, channel_id, message_id, sent_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [fact_id, due_on, stage, channel_id, message_id, _now()],
        )


def nonce_for(reminder: Reminder) -> str:
    """A nonce stable per (fact, date, stage): a resend after a crash is dropped."""
    digest = hashlib.sha256("|".join(reminder.key).encode()).hexdigest()
    return str(int(digest[:15], 16))  # Discord nonces: up to 25 characters


def message(reminder: Reminder, today: date) -> str:
    """The post: what falls due, when, what answers say meanwhile, what to do. Fact text
    is escaped (a moderator may have written it)."""
    item, fact = reminder.item, reminder.item.fact
    subject = for_discord(fact.subject or fact.id, newlines=False)
    what = "The scheduled end" if item.what == "scheduled end" else "The deadline"
    lines = [
        f"**Record falling due** — {subject} (`{for_discord(fact.id)}`)",
        f"{what}: {item.when(today)}; nothing is recorded after it.",
    ]
    if item.days_left(today) <= 0:
        lines.append(
            "Answers now say it was scheduled to end and that I have no record of whether "
            "it was extended or ended."
        )
    lines.append("Record what happened: extended to a new date, ended, or changed to a new value.")
    return "\n".join(lines)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""Learning from misses: what the bot could not answer well, feedback on answers, and
the review queue in which moderators turn misses into new phrasings.

Privacy and retention: a miss keeps the question text, the time, the intent and the
score — never who asked. Misses and answer records older than `RETENTION_DAYS` are
deleted, and at most `MAX_MISSES` misses are kept (the oldest go first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from rapidfuzz import fuzz

from bot.store import FactStore, FieldError, StoreError, ValidationError
from bot.understand.rules import INTENT_NAMES, SLOTS
from bot.understand.text import clean_for_display, normalise

RETENTION_DAYS = 90
MAX_MISSES = 10_000
PRUNE_EVERY = 50
LOW_CONFIDENCE = 0.6
GROUP_SIMILARITY = 72
NOT_MISSES = {"greeting", "help", "sources"}
SLOT_NAMES = {word: slot for slot, word in SLOTS.items()}


def _now() -> datetime:
    return datetime.now(UTC)


def is_miss(answer: Any) -> bool:
    """Out of scope, no record, ambiguous, or answered with low confidence."""
    if answer.intent in NOT_MISSES:
        return False
    if answer.intent is None or answer.outcome in ("no_record", "clarify", "out_of_scope"):
        return True
    return answer.confidence < LOW_CONFIDENCE


def miss_row(answer: Any, at: str) -> tuple[str, str, str | None, float, str] | None:
    """The `misses` row for an answer (question, asked_at, intent, score, outcome), or
    None if it was not a miss."""
    question = clean_for_display(answer.question)
    if not question or not is_miss(answer):
        return None
    return (question, at, answer.intent, round(float(answer.confidence), 3), answer.outcome)


def record_miss(store: FactStore, answer: Any) -> int | None:
    """Keep the question if it was a miss; returns the miss id (None if not a miss, or if
    the store is read-only: a replica answers without keeping misses)."""
    now = _now()
    row = miss_row(answer, now.isoformat(timespec="seconds"))
    if row is None or store.read_only:
        return None
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO misses (question, asked_at, intent, score, outcome) VALUES (?,?,?,?,?)",
            row,
        )
        if cursor.lastrowid % PRUNE_EVERY == 0:  # the cap and retention, in batches
            _prune(db, now)
        return cursor.lastrowid


def write_records(store: FactStore, records: list[Any]) -> None:
    """Write a batch of queued answer records (`bot.recorder.AnswerRecord`) and their
    misses in one transaction; prune when the miss ids pass a multiple of PRUNE_EVERY."""
    misses = [r.miss for r in records if r.miss is not None]
    with store.transaction() as db:
        db.conn.executemany(
            "INSERT OR IGNORE INTO answers (id, question, intent, facts, answered_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(r.id, r.question, r.intent, r.facts, r.answered_at) for r in records],
        )
        if not misses:
            return
        (before,) = db.execute("SELECT coalesce(max(id), 0) FROM misses").fetchone()
        db.conn.executemany(
            "INSERT INTO misses (question, asked_at, intent, score, outcome) VALUES (?,?,?,?,?)",
            misses,
        )
        if (before + len(misses)) // PRUNE_EVERY > before // PRUNE_EVERY:
            _prune(db, _now())


def _prune(db: Any, now: datetime) -> None:
    cutoff = (now - timedelta(days=RETENTION_DAYS)).isoformat(timespec="seconds")
    db.execute("DELETE FROM misses WHERE asked_at < ?", [cutoff])
    db.execute("DELETE FROM feedback WHERE at < ?", [cutoff])
    db.execute(
        "DELETE FROM answers WHERE answered_at < ? AND id NOT IN (SELECT answer_id FROM feedback)",
        [cutoff],
    )
    db.execute(
        "DELETE FROM misses WHERE id NOT IN (SELECT id FROM misses ORDER BY id DESC LIMIT ?)",
        [MAX_MISSES],
    )


def record_answer(store: FactStore, answer: Any) -> int:
    """Record one answer now (CLI, tests); the bot queues them (`bot.recorder`).

    Its id comes from a freshly reserved block, like every answer id, so it can never
    collide with the ids a running bot hands out."""
    from bot.recorder import AnswerRecorder

    recorder = AnswerRecorder(store)
    recorder.start()
    answer_id = recorder.add(answer)
    recorder.flush()
    return answer_id


def answer_record(store: FactStore, answer_id: int) -> dict[str, Any] | None:
    with store.reading() as db:
        rows = list(db.query("SELECT * FROM answers WHERE id = ?", [answer_id]))
    return rows[0] if rows else None


def record_feedback(store: FactStore, answer_id: int, vote: str) -> None:
    if vote not in ("helpful", "wrong"):
        raise ValidationError([FieldError("vote", "must be 'helpful' or 'wrong'")])
    with store.transaction() as db:
        record = answer_record(store, answer_id)
        if record is None:
            raise StoreError("that answer is too old to rate; ask again")
        db["feedback"].insert(
            {
                "answer_id": answer_id,
                "vote": vote,
                "facts": record["facts"],
                "at": _now().isoformat(timespec="seconds"),
            }
        )


# ---- the review queue ------------------------------------------------------------------


@dataclass
class MissGroup:
    id: int
    """The smallest miss id in the group: stable while the group's misses are open."""
    question: str
    count: int
    miss_ids: list[int] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)


def groups(store: FactStore, limit: int = 25) -> list[MissGroup]:
    """Open misses grouped by similarity, biggest group first."""
    with store._lock:
        rows = list(
            store.db.query(
                "SELECT id, question, intent FROM misses WHERE status = 'open' ORDER BY id"
            )
        )
    found: list[tuple[str, MissGroup]] = []
    for row in rows:
        key = normalise(row["question"])
        group = next(
            (g for rep, g in found if fuzz.token_sort_ratio(key, rep) >= GROUP_SIMILARITY), None
        )
        if group is None:
            group = MissGroup(id=row["id"], question=row["question"], count=0)
            found.append((key, group))
        group.count += 1
        group.miss_ids.append(row["id"])
        if row["intent"] and row["intent"] not in group.intents:
            group.intents.append(row["intent"])
    ordered = sorted((g for _, g in found), key=lambda g: (-g.count, g.id))
    return ordered[:limit]


def wrong_answers(store: FactStore, limit: int = 25) -> list[dict[str, Any]]:
    """Answers people marked wrong or outdated, most often first."""
    with store._lock:
        return list(
            store.db.query(
                "SELECT a.question, a.intent, a.facts, count(*) AS votes, max(f.at) AS last "
                "FROM feedback f JOIN answers a ON a.id = f.answer_id WHERE f.vote = 'wrong' "
                "GROUP BY a.question, a.facts ORDER BY votes DESC, last DESC LIMIT ?",
                [limit],
            )
        )


def _group(store: FactStore, group_id: int) -> MissGroup:
    for group in groups(store, limit=10_000):
        if group.id == group_id:
            return group
    raise StoreError(f"there is no open review group {group_id}; `tradebot review` lists them")


def phrasing_from(matchable: str) -> str:
    """A question's matchable form with slot words turned back into rule slots."""
    return " ".join(SLOT_NAMES.get(w, w) for w in matchable.split())


def learn(store: FactStore, group_id: int, intent: str, phrasing: str, by: str) -> str:
    """Store `phrasing` as a new example of `intent` and close the group's misses."""
    if intent not in INTENT_NAMES:
        raise ValidationError(
            [
                FieldError(
                    "intent", f"'{intent}' is not an intent; use one of {', '.join(INTENT_NAMES)}"
                )
            ]
        )
    group = _group(store, group_id)
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO learned_phrasings (intent, phrasing, added_by, "
            "added_at) VALUES (?, ?, ?, ?)",
            [intent, phrasing, by, _now().isoformat(timespec="seconds")],
        )
        db.execute(
            f"UPDATE misses SET status = 'learned' WHERE id IN "
            f"({','.join('?' * len(group.miss_ids))})",
            group.miss_ids,
        )
    return phrasing


def dismiss(store: FactStore, group_id: int) -> int:
    group = _group(store, group_id)
    with store.transaction() as db:
        db.execute(
            f"UPDATE misses SET status = 'dismissed' WHERE id IN "
            f"({','.join('?' * len(group.miss_ids))})",
            group.miss_ids,
        )
    return group.count


def learned_phrasings(store: FactStore) -> list[tuple[str, str]]:
    """Read on the reader connection: a writer waiting for the file never delays it."""
    with store.reading() as db:
        return [
            (r["intent"], r["phrasing"])
            for r in db.query("SELECT intent, phrasing FROM learned_phrasings ORDER BY id")
        ]

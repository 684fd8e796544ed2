"""Answer and miss records, kept off the answer path.

Answering only reads (the in-memory index); what each answer was made of is queued here
and written in batches on the database thread (`flush`). A feedback button needs its
answer's id when the answer is sent, so ids are allocated in memory from a block this
process reserved at start (id = block << 32 | n): processes sharing the file never give
two answers one id, and ids keep growing across restarts (a new block per start).

On a read-only store (a replica) nothing is queued: the store logged its one warning when
opened, answers are still given, and ids come from a random "ephemeral" block that is
never looked up in the store (the interpretation buttons work from memory).
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.store import FactStore
from bot.store.errors import ReadOnlyError

log = logging.getLogger("tradebot.recorder")
BLOCK_BITS = 32
EPHEMERAL_BLOCKS = 1 << 30  # blocks from here up are never written to the store
MAX_PENDING = 20_000  # records waiting for the database; beyond, the oldest are dropped
RECENT = 2_000  # answers kept in memory for their buttons


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as recorded: the row of `answers`, and of `misses` if it was one."""

    id: int
    question: str
    intent: str | None
    facts: str
    answered_at: str
    miss: tuple[str, str, str | None, float, str] | None

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "intent": self.intent,
            "facts": self.facts,
            "answered_at": self.answered_at,
        }


def record_of(answer_id: int, answer: Any) -> AnswerRecord:
    from bot import review

    now = datetime.now(UTC).isoformat(timespec="seconds")
    return AnswerRecord(
        id=answer_id,
        question=review.clean_for_display(answer.question),
        intent=answer.intent,
        facts=json.dumps(answer.facts),
        answered_at=now,
        miss=review.miss_row(answer, now),
    )


class AnswerRecorder:
    """The queue of answer records of one process (thread-safe)."""

    def __init__(self, store: FactStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._block: int | None = None
        self._next = 0
        self._pending: deque[AnswerRecord] = deque()
        self._recent: OrderedDict[int, AnswerRecord] = OrderedDict()
        self._warned = False

    @property
    def writes(self) -> bool:
        """Are records written (False on a read-only store)?"""
        return not self.store.read_only

    @property
    def pending(self) -> int:
        return len(self._pending)

    def start(self) -> None:
        """Reserve this process's block of ids: one small write, at start-up."""
        if self._block is not None:
            return
        if not self.writes:
            self._block = EPHEMERAL_BLOCKS + random.randrange(EPHEMERAL_BLOCKS)
            return
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO answer_id_blocks (reserved_at) VALUES (?)",
                [datetime.now(UTC).isoformat(timespec="seconds")],
            )
            self._block = int(cursor.lastrowid)

    def add(self, answer: Any) -> int:
        """Queue the answer's record (no database work); return its id for the buttons."""
        with self._lock:
            if self._block is None or self._next >> BLOCK_BITS:
                raise RuntimeError("call start() first (it reserves a block of answer ids)")
            answer_id = (self._block << BLOCK_BITS) | self._next
            self._next += 1
        record = record_of(answer_id, answer)
        with self._lock:
            self._recent[answer_id] = record
            while len(self._recent) > RECENT:
                self._recent.popitem(last=False)
            if self.writes:
                if len(self._pending) >= MAX_PENDING:
                    self._pending.popleft()
                    self._warn_once("the database is not keeping up: oldest answer records dropped")
                self._pending.append(record)
        return answer_id

    def flush(self) -> int:
        """Write the queued records in one transaction; run it on the database thread.

        Returns how many were written. If the file stays locked (another process holds
        the write lock beyond the busy timeout) they are kept for the next flush."""
        from bot import review

        with self._lock:
            batch = list(self._pending)
            self._pending.clear()
        if not batch:
            return 0
        try:
            review.write_records(self.store, batch)
        except ReadOnlyError as exc:
            self._warn_once(f"answer records are not kept: {exc}")
            return 0
        except sqlite3.OperationalError as exc:
            with self._lock:
                self._pending.extendleft(reversed(batch))
            log.warning("%d answer record(s) not written yet (%s); will retry", len(batch), exc)
            return 0
        return len(batch)

    def lookup(self, answer_id: int) -> dict[str, Any] | None:
        """An answer's record, from memory if recent, else from the store."""
        from bot import review

        with self._lock:
            record = self._recent.get(answer_id)
        if record is not None:
            return record.row()
        if answer_id >> BLOCK_BITS >= EPHEMERAL_BLOCKS:
            return None  # given by a read-only process, never written
        return review.answer_record(self.store, answer_id)

    def _warn_once(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning(message)

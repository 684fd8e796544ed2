"""Answer records are queued off the answer path and written in batches; ids are unique
across processes and restarts; a locked file delays the records, never loses them."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from bot import review, service
from bot.recorder import BLOCK_BITS, AnswerRecorder
from tests.conftest import MOD

DAY = date(2025, 6, 1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    service.open_store(path).close()
    return path


def answers_in(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, question FROM answers ORDER BY id").fetchall()


def test_answering_and_queueing_write_nothing_until_the_flush(db: Path) -> None:
    assistant = service.Assistant(service.open_store(db))
    recorder = AnswerRecorder(assistant.store)
    recorder.start()
    changes = assistant.store.db.conn.total_changes
    ids = [recorder.add(assistant.ask(q, DAY)) for q in ["US tariff on China", "play jazz"]]
    assert assistant.store.db.conn.total_changes == changes and answers_in(db) == []
    assert recorder.lookup(ids[1])["question"] == "play jazz"  # buttons work before the flush
    assert recorder.flush() == 2
    assert [i for i, _ in answers_in(db)] == ids
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT question FROM misses").fetchall() == [("play jazz",)]
    review.record_feedback(assistant.store, ids[0], "helpful")
    assistant.store.close()


def test_ids_never_collide_across_processes_and_restarts(db: Path) -> None:
    assistant = service.Assistant(service.open_store(db))
    answer = assistant.ask("US tariff on China", DAY)
    shard_a, shard_b = (AnswerRecorder(service.open_store(db)) for _ in range(2))
    for recorder in (shard_a, shard_b):
        recorder.start()
    ids = [r.add(answer) for _ in range(3) for r in (shard_a, shard_b)]
    shard_a.flush(), shard_b.flush()
    restarted = AnswerRecorder(service.open_store(db))
    restarted.start()
    later = restarted.add(answer)
    restarted.flush()
    ids.append(review.record_answer(assistant.store, answer))  # the CLI's one-off path
    assert len({*ids, later}) == 8 and later > max(ids[:6])
    assert len(answers_in(db)) == 8
    assert {i >> BLOCK_BITS for i in ids[:6]} == {1, 2}


def test_a_locked_file_keeps_the_records_for_the_next_flush(db: Path) -> None:
    store = service.open_store(db)
    store.db.execute("PRAGMA busy_timeout = 50")
    assistant = service.Assistant(store)
    recorder = AnswerRecorder(store)
    recorder.start()
    answer_id = recorder.add(assistant.ask("US tariff on China", DAY))
    holder = sqlite3.connect(db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    assert recorder.flush() == 0 and recorder.pending == 1
    holder.rollback()
    assert recorder.flush() == 1 and [i for i, _ in answers_in(db)] == [answer_id]
    holder.close()
    store.close()


def test_answers_are_given_while_another_process_holds_the_write_lock(db: Path) -> None:
    """The answer path reads on its own connection: a writer queued for the lock (this
    process's database thread) does not delay it."""
    store = service.open_store(db)
    assistant = service.Assistant(store)
    fact = store.require("us-cn-tariff-30")
    store.update(fact.id, {"rate": 31, "components": None}, base_revision=1, by=MOD, reason="new")
    holder = sqlite3.connect(db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    blocked = threading.Thread(
        target=lambda: review.record_miss(store, assistant.ask("play some jazz", DAY))
    )
    blocked.start()  # waits on the lock, holding the store's write lock meanwhile
    answered = threading.Event()
    threading.Thread(
        target=lambda: assistant.ask("US tariff on China", DAY) and answered.set()
    ).start()
    assert answered.wait(5), "the answer (which re-reads the changed facts) waited"
    assert blocked.is_alive()  # the writer is still waiting: the answer did not need it
    holder.rollback()
    blocked.join(15)
    holder.close()
    store.close()

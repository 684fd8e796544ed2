"""The answer index is rebuilt when facts, citations or sources change, in this process or
another, and only then: answer and miss records (bookkeeping) cost no rebuild."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import review, service
from bot.recorder import AnswerRecorder
from bot.store import Author, FactStore, Source

DAY = date(2025, 6, 1)
OTHER = Author("other process")
QUESTION = "US tariffs on Chinese goods?"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    service.open_store(path).close()  # bundled facts
    return path


@pytest.fixture
def assistant(db: Path):
    assistant = service.Assistant(service.open_store(db))
    yield assistant
    assistant.store.close()


def set_rate(store: FactStore, rate: int) -> None:
    fact = store.require("us-cn-tariff-30")
    store.update(
        fact.id,
        {"rate": rate, "components": None},
        base_revision=fact.revision,
        by=OTHER,
        reason="a new order",
    )


def test_bookkeeping_writes_do_not_rebuild_the_index(assistant) -> None:
    recorder = AnswerRecorder(assistant.store)
    recorder.start()
    assistant.ask(QUESTION, DAY)
    built = assistant.index.generation
    for question in [QUESTION, "play some jazz", "what about korea and beef"]:
        answer = assistant.ask(question, DAY)
        recorder.add(answer)
        review.record_miss(assistant.store, answer)
    assert recorder.flush() == 3
    assistant.ask(QUESTION, DAY)
    assert assistant.index.generation == built


def test_an_edit_by_another_process_is_in_the_next_answer(assistant, db: Path) -> None:
    assert "30%" in assistant.ask(QUESTION, DAY).text
    other = FactStore.open(db)  # its own connection, as `tradebot facts update` would have
    set_rate(other, 31)
    assert "31%" in assistant.ask(QUESTION, DAY).text
    other.close()


def test_a_source_change_by_another_process_rebuilds_the_index(assistant, db: Path) -> None:
    assistant.ask(QUESTION, DAY)
    built = assistant.index.generation
    other = FactStore.open(db)
    other.db.execute(
        "UPDATE sources SET title = 'Retitled' WHERE id = ?", [next(iter(other.sources()))]
    )
    other.db.conn.commit()
    other.close()
    assistant.ask(QUESTION, DAY)
    assert assistant.index.generation == built + 1
    assert "Retitled" in {s.title for s in assistant.index.sources.values()}


def test_bookkeeping_by_another_process_does_not_rebuild(assistant, db: Path) -> None:
    assistant.ask(QUESTION, DAY)
    built = assistant.index.generation
    other = service.Assistant(service.open_store(db))
    review.record_answer(other.store, other.ask("play some jazz", DAY))
    other.store.close()
    assistant.ask(QUESTION, DAY)
    assert assistant.index.generation == built


def test_a_phrasing_learned_by_another_process_reaches_the_matcher(assistant, db: Path) -> None:
    missed = "hows the beijing washington standoff looking"
    assert assistant.ask(missed, DAY).intent != "negotiation_status"
    other = service.Assistant(service.open_store(db))
    review.record_miss(other.store, other.ask(missed, DAY))
    [group] = review.groups(other.store)
    other.learn(group.id, "negotiation_status", "mod")
    other.store.close()
    assert assistant.ask(missed, DAY).intent == "negotiation_status"


def test_listeners_hear_fact_changes_not_bookkeeping(fresh_db: FactStore) -> None:
    from tests.conftest import MOD, rate_fact

    calls: list[int] = []
    fresh_db.on_change(lambda: calls.append(1))
    fresh_db.add(rate_fact(), by=MOD, reason="new fact")
    assert calls == [1]
    with fresh_db.transaction() as db:
        db.execute(
            "INSERT INTO misses (question, asked_at, score, outcome) VALUES ('q', 't', 0, 'x')"
        )
    assert calls == [1]
    fresh_db.put_source(
        Source("src-c", "https://example.org/c", "Example C", "Example", date(2025, 6, 3))
    )
    assert calls == [1, 1]

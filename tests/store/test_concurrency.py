"""Concurrent editors, a burst of edits, readers, and a writer killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from bot import service
from bot.store import Author, ConflictError, FactStore
from bot.store.facts_files import bundled_facts_dir, load_facts
from tests.conftest import REPO, rate_fact


def make_db(path: Path, extra: int = 0) -> None:
    store = FactStore.open(path)
    load_facts(store, [bundled_facts_dir()])
    from datetime import date

    from bot.store import Source

    store.put_source(
        Source("src-a", "https://example.org/a", "Example A", "Example News", date(2025, 6, 1))
    )
    with store.transaction():
        for i in range(extra):
            # One year each: same-scope tariff facts may not overlap in time.
            fact = rate_fact(
                id=f"load-{i}",
                rate=i % 50,
                valid_from=f"{1901 + i}-01-01",
                valid_to=f"{1902 + i}-01-01",
            )
            store.add(fact, by=Author("setup"), reason="setup")
    store.close()


def check_consistent(store: FactStore) -> None:
    """Every fact's current row equals its last revision; revision numbers have no gap."""
    with store.reading():
        for fact in store.facts(include_retracted=True):
            history = store.history(fact.id)
            assert [r.revision for r in history] == list(range(1, len(history) + 1)), fact.id
            assert history[-1].after == {
                **fact.content(),
                "retracted": fact.retracted,
                "retracted_reason": fact.retracted_reason,
            }, fact.id
    seqs = [r.seq for r in store.revisions_since(0, limit=1_000_000)]
    assert seqs == sorted(seqs)


def test_two_moderators_at_once_exactly_one_wins(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    make_db(db)
    stores = [FactStore.open(db), FactStore.open(db)]  # two processes' worth of connections
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(store: FactStore, rate: int, who: str) -> None:
        barrier.wait()
        try:
            service.update_fact(
                store,
                "us-cn-tariff-30",
                {"rate": rate, "components": None},
                base_revision=1,
                by=Author(who),
                reason=f"{who} edits",
            )
            outcomes.append(f"won:{who}")
        except ConflictError:
            outcomes.append(f"conflict:{who}")

    threads = [
        threading.Thread(target=edit, args=(s, r, w))
        for s, r, w in ((stores[0], 40, "alice"), (stores[1], 50, "bob"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"]
    winner = next(o for o in outcomes if o.startswith("won")).split(":")[1]
    loser = next(o for o in outcomes if o.startswith("conflict")).split(":")[1]
    check = FactStore.open(db)
    fact = check.require("us-cn-tariff-30")
    assert fact.revision == 2 and fact.rate == {"alice": 40, "bob": 50}[winner]
    assert [r.author for r in check.history(fact.id)][-1] == winner
    [refused] = check.rejected_edits(fact.id)
    assert refused["author"] == loser and refused["current_revision"] == 2
    check_consistent(check)


def test_hundred_concurrent_edits_all_recorded_and_readers_see_whole_facts(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    make_db(db, extra=100)
    stop = threading.Event()
    problems: list[str] = []

    def reader() -> None:
        store = FactStore.open(db)
        while not stop.is_set():
            with store.reading():
                for fact in store.facts(kind="tariff_rate"):
                    if fact.id.startswith("load-") and fact.revision == 2 and fact.rate < 100:
                        problems.append(f"{fact.id}: revision 2 with old rate")
                    if not fact.citations:
                        problems.append(f"{fact.id}: no citations")
        store.close()

    def writer(i: int) -> None:
        store = FactStore.open(db)
        service.update_fact(
            store,
            f"load-{i}",
            {"rate": 100 + i},
            base_revision=1,
            by=Author(f"mod-{i}"),
            reason="burst edit",
        )
        store.close()

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for t in readers:
        t.start()
    writers = [threading.Thread(target=writer, args=(i,)) for i in range(100)]
    for t in writers:
        t.start()
    for t in writers:
        t.join(30)
    stop.set()
    for t in readers:
        t.join(10)
    assert problems == []
    store = FactStore.open(db)
    assert all(store.require(f"load-{i}").rate == 100 + i for i in range(100))
    check_consistent(store)


BURST = """
import sys
from bot.store import Author, FactStore
store = FactStore.open(sys.argv[1])
i = 0
while True:
    fact = store.require(f"load-{i % 20}")
    store.update(fact.id, {"rate": (fact.rate + 1) % 900}, base_revision=fact.revision,
                 by=Author("burst"), reason=f"edit {i}")
    i += 1
    if i == 50:
        print("ready", flush=True)
"""


def test_sigkill_in_a_burst_of_edits_leaves_a_sound_database(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    make_db(db, extra=20)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", BURST, str(db)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        threading.Event().wait(0.3)  # let it write many more, mid-transaction when killed
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    store = FactStore.open(db)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    edits = store.db.execute("SELECT count(*) FROM revisions WHERE author = 'burst'").fetchone()[0]
    assert edits >= 50
    check_consistent(store)
    print(json.dumps({"edits_before_kill": edits}))

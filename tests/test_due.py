"""Records falling due (bot/due.py), settling them (bot/settle.py), and the commands
`tradebot facts due` / `tradebot facts settle` (bot/cli_due.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.due import DueItem, due_items, idle_topics, parse_due_rules
from bot.settle import settle
from bot.store import FactStore, Source, ValidationError
from tests.conftest import MOD, rate_fact

TODAY = date(2026, 12, 6)


def deadline(fid: str, due: str, status: str = "scheduled", **more: object) -> dict:
    return {
        "id": fid,
        "kind": "deadline",
        "subject": f"Deadline {fid}",
        "parties": ["US", "CN"],
        "status": status,
        "due": due,
        "statement": f"Deadline {fid} falls due.",
        "valid_from": "2026-01-01",
        "recorded": "2026-01-02",
        "citations": [{"source": "src-a"}],
        **more,
    }


def scheduled(fid: str, end: str, **more: object) -> dict:
    return rate_fact(id=fid, valid_from="2026-02-24", valid_to=end, end_kind="scheduled", **more)


def seeded(store: FactStore, *raws: dict) -> FactStore:
    store.put_source(
        Source("src-a", "https://example.org/a", "Example A", "Example News", date(2025, 6, 1))
    )
    for raw in raws:
        store.add(raw, by=MOD, reason="seed")
    return store


@pytest.fixture
def store(fresh_db: FactStore) -> FactStore:
    return seeded(
        fresh_db,
        scheduled("lapsed", "2026-11-10", exporter="CN"),
        scheduled("soon", "2026-12-10", exporter="VN"),
        scheduled("far", "2027-06-01", exporter="KR"),
        rate_fact(id="confirmed", valid_from="2026-01-01", valid_to="2026-11-01", exporter="IN"),
        deadline("comments", "2026-12-08"),
        deadline("done", "2026-11-01", status="ended"),
    )


def facts_of(store: FactStore) -> list:
    return store.snapshot()[0]


def test_due_lists_lapsed_and_near_items_soonest_first(store: FactStore) -> None:
    items = due_items(facts_of(store), TODAY, within_days=14)
    assert [(i.fact.id, i.what) for i in items] == [
        ("lapsed", "scheduled end"),
        ("comments", "deadline"),
        ("soon", "scheduled end"),
    ]  # a confirmed end, a settled deadline and one months away are not due
    assert [i.stage(TODAY) for i in items] == ["after", "before", "before"]
    assert [i.fact.id for i in due_items(facts_of(store), TODAY, within_days=0)] == ["lapsed"]


def test_a_successor_settles_a_scheduled_end(store: FactStore) -> None:
    store.add(
        rate_fact(id="next", exporter="CN", valid_from="2026-11-10", rate=20),
        by=MOD,
        reason="seeded",
    )
    assert "lapsed" not in [i.fact.id for i in due_items(facts_of(store), TODAY)]


def test_stages_run_before_on_the_day_and_after() -> None:
    rules = parse_due_rules(
        {
            "remind_before_days": 7,
            "remind_after_days": 7,
            "default_within_days": 14,
            "settled_statuses": ["ended"],
        }
    )
    item = DueItem(fact=None, on=date(2026, 11, 10), what="deadline")  # type: ignore[arg-type]
    stages = [item.stage(date(2026, 11, d), rules) for d in (2, 3, 9, 10, 16, 17, 30)]
    assert stages == [None, "before", "before", "day", "day", "after", "after"]


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        ({"remind_before_days": -1}, "remind_before_days"),
        ({"default_within_days": "7"}, "default_within_days"),
        ({"settled_statuses": "ended"}, "settled_statuses"),
    ],
)
def test_bad_due_rules_name_the_key(raw: dict, word: str) -> None:
    good = {
        "remind_before_days": 7,
        "remind_after_days": 7,
        "default_within_days": 14,
        "settled_statuses": ["ended"],
    }
    with pytest.raises(ValueError, match=word):
        parse_due_rules({**good, **raw})


def test_idle_topics(store: FactStore) -> None:
    assert idle_topics(facts_of(store), TODAY, 400) == []
    (idle,) = idle_topics(facts_of(store), TODAY, 120)
    assert (idle.topic, idle.facts) == ("moderated", 6)


def test_settle_extended_and_ended(store: FactStore) -> None:
    extended = settle(
        store, "lapsed", "extended", by=MOD, reason="recorded", until=date(2027, 11, 10)
    )
    assert (extended.valid_to, extended.end_kind) == (date(2027, 11, 10), "scheduled")
    assert extended.recorded == date.today() and extended.revision == 2
    ended = settle(store, "soon", "ended", by=MOD, reason="recorded")
    assert ended.end_kind == "confirmed"
    moved = settle(store, "comments", "extended", by=MOD, reason="recorded", until=date(2027, 1, 8))
    assert moved.due == date(2027, 1, 8)
    passed = settle(store, "comments", "ended", by=MOD, reason="recorded")
    assert passed.status == "passed"
    assert [i.fact.id for i in due_items(facts_of(store), TODAY)] == []
    assert [r.action for r in store.history("lapsed")] == ["create", "update"]


def test_settle_refuses_what_makes_no_sense_and_changes_nothing(store: FactStore) -> None:
    before = store.require("lapsed")
    with pytest.raises(ValidationError, match="not after the recorded end"):
        settle(store, "lapsed", "extended", by=MOD, reason="recorded", until=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="give the new end date"):
        settle(store, "lapsed", "extended", by=MOD, reason="recorded")
    store.add(rate_fact(id="open", exporter="TH"), by=MOD, reason="seeded")
    with pytest.raises(ValidationError, match="no end date"):
        settle(store, "open", "ended", by=MOD, reason="recorded")
    assert store.require("lapsed") == before and store.require("open").revision == 1


# ---- the commands ------------------------------------------------------------------------


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


@pytest.fixture
def db(db_file: Path) -> Path:
    store = FactStore.open(db_file)
    seeded(store, scheduled("lapsed", "2026-11-10", exporter="CN"), deadline("cc", "2026-12-08"))
    store.close()
    return db_file


def test_facts_due_text_and_json(db: Path) -> None:
    text = run(db, "facts", "due", "--as-of", "2026-12-06", "--idle-days", "100").output
    lapsed, comments, heading, topic = text.splitlines()
    assert lapsed.startswith("lapsed: ") and lapsed.endswith(
        "scheduled end passed 26 days ago (10 Nov 2026); nothing recorded since"
    )
    assert comments == "cc: Deadline cc — deadline due in 2 days (8 Dec 2026)"
    assert heading == "Topics with no fact recorded in 100 days:"
    assert topic == "  moderated: newest fact recorded 2026-01-02 (338 days ago; 2 facts)"
    lines = [
        json.loads(line)
        for line in run(db, "facts", "due", "--as-of", "2026-12-06", "--json").output.splitlines()
    ]
    assert [(x["type"], x.get("fact_id"), x.get("stage")) for x in lines] == [
        ("due", "lapsed", "after"),
        ("due", "cc", "before"),
        ("idle_topic", None, None),
    ]
    nothing = run(db, "facts", "due", "--as-of", "2026-01-01", "--idle-days", "9999")
    assert nothing.output == "Nothing falls due.\n"


def test_facts_settle_and_its_errors(db: Path) -> None:
    ok = run(db, "facts", "settle", "lapsed", "--ended", "--by", "ann", "--reason", "CBP notice")
    assert ok.exit_code == 0 and ok.output == "settled lapsed: revision 1 → 2\n"
    both = run(db, "facts", "settle", "cc", "--ended", "--extended-to", "2027-01-01", "--by", "a",
               "--reason", "r")  # fmt: skip
    assert both.exit_code == 2 and "give one of --extended-to" in both.output
    bad = run(
        db, "facts", "settle", "cc", "--extended-to", "2026-01-01", "--by", "a", "--reason", "r"
    )
    assert bad.exit_code == 2 and "until: 2026-01-01 is not after the due date" in bad.output
    missing = run(db, "facts", "settle", "nope", "--ended", "--by", "a", "--reason", "r")
    assert missing.exit_code == 1 and "no fact with id 'nope'" in missing.output
    assert FactStore.open(db).require("cc").revision == 1  # refused edits change nothing

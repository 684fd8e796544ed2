"""Store semantics: as-of queries, revisions, conflicts, retraction, undo, history."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bot.store import Author, ConflictError, FactStore, NotFoundError, StoreError, ValidationError
from bot.store.schema import MIGRATIONS, applied_migrations
from tests.conftest import MOD, rate_fact

OTHER = Author("Other Moderator", "999")


def test_add_creates_revision_one_with_author_and_reason(fresh_db: FactStore) -> None:
    fact = fresh_db.add(rate_fact(), by=MOD, reason="new tariff announced")
    assert fact.revision == 1
    [rev] = fresh_db.history(fact.id)
    assert (rev.action, rev.author, rev.author_id, rev.reason) == (
        "create",
        "Test Moderator",
        "1234",
        "new tariff announced",
    )
    assert rev.before is None and rev.after["rate"] == 25


def test_as_of_query_respects_half_open_validity(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(id="old", rate=10, valid_to="2025-05-01"), by=MOD, reason="seed")
    fresh_db.add(rate_fact(id="new", rate=20, valid_from="2025-05-01"), by=MOD, reason="seed")

    def ids(day: date) -> list[str]:
        return [f.id for f in fresh_db.valid_on(day, "tariff_rate", importer="US", exporter="JP")]

    assert ids(date(2025, 3, 1)) == []  # before anything was valid
    assert ids(date(2025, 4, 30)) == ["old"]
    assert ids(date(2025, 5, 1)) == ["new"]  # valid_to is exclusive
    assert ids(date(2030, 1, 1)) == ["new"]  # open-ended
    assert fresh_db.valid_on(date(2025, 4, 30), "tariff_rate", importer="JP") == []


def test_parties_filter_matches_facts_involving_all_given_parties(fresh_db: FactStore) -> None:
    fresh_db.add(
        {
            "id": "talks",
            "kind": "negotiation_status",
            "parties": ["US", "JP"],
            "status": "ongoing",
            "statement": "The US and Japan are negotiating.",
            "valid_from": "2025-05-01",
            "recorded": "2025-06-01",
            "citations": [{"source": "src-a"}],
        },
        by=MOD,
        reason="seed",
    )
    day = date(2025, 6, 1)
    assert [f.id for f in fresh_db.valid_on(day, "negotiation_status", ["JP"])] == ["talks"]
    assert [f.id for f in fresh_db.valid_on(day, "negotiation_status", ["JP", "US"])] == ["talks"]
    assert fresh_db.valid_on(day, "negotiation_status", ["CN"]) == []


def test_update_writes_new_revision_and_keeps_previous_values(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fact = fresh_db.update("xx-rate", {"rate": 15}, base_revision=1, by=OTHER, reason="cut")
    assert (fact.rate, fact.revision) == (15, 2)
    history = fresh_db.history("xx-rate")
    assert [r.revision for r in history] == [1, 2]
    assert history[1].before["rate"] == 25 and history[1].after["rate"] == 15
    assert history[1].changed_fields() == ["rate"]
    assert history[1].author == "Other Moderator"


def test_update_based_on_stale_revision_is_a_conflict_and_writes_nothing(
    fresh_db: FactStore,
) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fresh_db.update("xx-rate", {"rate": 15}, base_revision=1, by=OTHER, reason="first edit")
    with pytest.raises(ConflictError) as err:
        fresh_db.update("xx-rate", {"rate": 50}, base_revision=1, by=MOD, reason="second edit")
    assert "Other Moderator" in str(err.value) and "nothing was written" in str(err.value)
    assert fresh_db.require("xx-rate").rate == 15
    assert len(fresh_db.history("xx-rate")) == 2


def test_update_that_changes_nothing_is_rejected(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    with pytest.raises(ValidationError, match="change nothing"):
        fresh_db.update("xx-rate", {"rate": 25}, base_revision=1, by=MOD, reason="same")


def test_invalid_update_leaves_fact_and_history_unchanged(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    with pytest.raises(ValidationError) as err:
        fresh_db.update(
            "xx-rate",
            {"rate": 5000, "valid_to": "2020-01-01"},
            base_revision=1,
            by=MOD,
            reason="typo",
        )
    assert {e.field for e in err.value.errors} == {"rate", "valid_to"}
    assert fresh_db.require("xx-rate").rate == 25
    assert len(fresh_db.history("xx-rate")) == 1


def test_retract_marks_and_keeps_the_fact(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fact = fresh_db.retract("xx-rate", by=OTHER, reason="source was wrong")
    assert fact.retracted and fact.retracted_reason == "source was wrong"
    assert fresh_db.valid_on(date(2025, 6, 1), "tariff_rate") == []
    assert [f.id for f in fresh_db.facts(include_retracted=True)] == ["xx-rate"]
    assert fresh_db.history("xx-rate")[-1].action == "retract"
    with pytest.raises(StoreError, match="already retracted"):
        fresh_db.retract("xx-rate", by=OTHER, reason="again")


def test_undo_restores_previous_revision_as_new_revision(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fresh_db.update("xx-rate", {"rate": 99}, base_revision=1, by=OTHER, reason="oops")
    fact = fresh_db.undo("xx-rate", by=MOD, reason="revert vandalism")
    assert (fact.rate, fact.revision) == (25, 3)
    assert [r.action for r in fresh_db.history("xx-rate")] == ["create", "update", "undo"]
    fresh_db.retract("xx-rate", by=MOD, reason="mistake")
    assert not fresh_db.undo("xx-rate", by=MOD, reason="unretract").retracted


def test_undo_of_first_revision_is_refused(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    with pytest.raises(StoreError, match="nothing to undo"):
        fresh_db.undo("xx-rate", by=MOD, reason="try")


def test_duplicate_id_and_unknown_fact_are_clear_errors(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    with pytest.raises(ValidationError, match="already exists"):
        fresh_db.add(rate_fact(), by=MOD, reason="again")
    with pytest.raises(NotFoundError, match="facts list"):
        fresh_db.history("nope")


def test_author_and_reason_are_required(fresh_db: FactStore) -> None:
    with pytest.raises(ValidationError) as err:
        fresh_db.add(rate_fact(), by=Author(" "), reason="")
    assert {e.field for e in err.value.errors} == {"by", "reason"}
    assert fresh_db.facts() == []


def test_components_are_kept_and_must_add_up(fresh_db: FactStore) -> None:
    comps = [{"name": "reciprocal", "rate": 10}, {"name": "fentanyl", "rate": 20}]
    fact = fresh_db.add(rate_fact(rate=30, components=comps), by=MOD, reason="seed")
    assert [(c.name, c.rate) for c in fact.components] == [("reciprocal", 10), ("fentanyl", 20)]
    assert fact.rate == 30
    with pytest.raises(ValidationError, match="add up to 30"):
        fresh_db.add(rate_fact(id="bad", rate=35, components=comps), by=MOD, reason="seed")


def test_history_is_append_only_in_the_database(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        fresh_db.db.execute("UPDATE revisions SET reason = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        fresh_db.db.execute("DELETE FROM revisions")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        fresh_db.db.execute("DELETE FROM facts")


def test_current_row_always_matches_last_revision(bundled_store: FactStore) -> None:
    bundled_store.update(
        "us-cn-tariff-30",
        {"statement": "Changed statement for the test."},
        base_revision=1,
        by=MOD,
        reason="test",
    )
    for fact in bundled_store.facts(include_retracted=True):
        last = bundled_store.history(fact.id)[-1]
        assert last.revision == fact.revision
        assert last.after == {
            **fact.content(),
            "retracted": fact.retracted,
            "retracted_reason": fact.retracted_reason,
        }


def test_file_database_uses_wal_foreign_keys_and_records_migrations(db_file) -> None:
    store = FactStore.open(db_file)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert applied_migrations(store.db) == [name for name, _ in MIGRATIONS]
    store.close()
    again = FactStore.open(db_file)  # re-opening applies nothing twice
    assert applied_migrations(again.db) == [name for name, _ in MIGRATIONS]
    again.close()


def test_change_listeners_run_after_commit_only(fresh_db: FactStore) -> None:
    calls: list[int] = []
    fresh_db.on_change(lambda: calls.append(len(fresh_db.facts())))
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    with pytest.raises(ValidationError):
        fresh_db.add(rate_fact(id="bad", rate=-1), by=MOD, reason="seed")
    assert calls == [1]

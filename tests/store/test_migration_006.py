"""A store written by the release before the measures model (migrations 001–005) opens,
upgrades in place through 006 and keeps every fact, digest and revision; undo works
across the upgrade and the new fields are usable at once."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from bot.store import Citation, Component, Fact, FactStore, schema
from bot.store.schema import MIGRATIONS, applied_migrations
from tests.conftest import MOD

SOURCE_ROW = {
    "id": "src-old",
    "url": "https://example.org/old",
    "title": "Old source",
    "publisher": "Example News",
    "published": "2025-05-30",
    "document": None,
    "document_file": None,
    "recorded_at": "2025-06-01T10:00:00+00:00",
}

R1 = {  # the content as the old release wrote it: CONTENT_FIELDS only
    "kind": "tariff_rate",
    "topic": "us-japan",
    "subject": None,
    "importer": "US",
    "exporter": "JP",
    "parties": ["US", "JP"],
    "rate": 20.0,
    "rate_candidates": [],
    "components": [],
    "status": None,
    "statement": "The US applies a 20% tariff on Japanese cars.",
    "court": None,
    "due": None,
    "valid_from": "2025-04-03",
    "valid_to": None,
    "confidence": "high",
    "disputed": None,
    "basis": None,
    "recorded": "2025-06-01",
    "citations": [{"source_id": "src-old", "quote": "Cars pay 25%."}],
}
R2 = {
    **R1,
    "rate": 25.0,
    "components": [
        {"name": "reciprocal", "rate": 10.0, "legal_basis": "IEEPA"},
        {"name": "autos", "rate": 15.0},
    ],
    "statement": "The US applies a 25% tariff on Japanese cars.",
}
TALKS = {
    "kind": "negotiation_status",
    "topic": "moderated",
    "subject": "US-Japan talks",
    "importer": None,
    "exporter": None,
    "parties": ["US", "JP"],
    "rate": None,
    "rate_candidates": [],
    "components": [],
    "status": "ongoing",
    "statement": "The US and Japan are negotiating.",
    "court": None,
    "due": None,
    "valid_from": "2025-05-01",
    "valid_to": None,
    "confidence": "medium",
    "disputed": None,
    "basis": None,
    "recorded": "2025-06-01",
    "citations": [{"source_id": "src-old"}],
}
# R2's digest as the release before migration 006 computed it (its Fact.digest()).
R2_OLD_DIGEST = "d85faf9943fd0cfd824937a6d828b676f1ac419c509a8fa2a55c31eaa6a11057"


def old_digest(content: dict) -> str:
    """How the old release hashed a fact: its content, sorted keys, UTF-8."""
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def fact_row(fact_id: str, content: dict, revision: int, retracted: str | None) -> dict:
    """A `facts` row shaped as the old release wrote it (no measure columns)."""
    row = {k: v for k, v in content.items() if k != "citations"}
    for key in ("parties", "rate_candidates", "components"):
        row[key] = json.dumps(row[key])
    return {
        "id": fact_id,
        **row,
        "revision": revision,
        "retracted": int(retracted is not None),
        "retracted_reason": retracted,
        "updated_at": "2025-06-02T09:00:00+00:00",
    }


def revision_row(fact_id: str, n: int, action: str, before: dict | None, after: dict) -> dict:
    return {
        "fact_id": fact_id,
        "revision": n,
        "action": action,
        "author": "alice",
        "author_id": "42",
        "reason": f"{action} by the old release",
        "at": f"2025-06-0{n}T09:00:00+00:00",
        "before": json.dumps(before, ensure_ascii=False) if before else None,
        "after": json.dumps(after, ensure_ascii=False),
    }


def state(content: dict, retracted: str | None = None) -> dict:
    return {**content, "retracted": retracted is not None, "retracted_reason": retracted}


@pytest.fixture
def old_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file as the release before 006 left it, with facts, history and a source."""
    path = tmp_path / "old.db"
    monkeypatch.setattr(schema, "MIGRATIONS", MIGRATIONS[:5])
    db = schema.connect(path)
    assert applied_migrations(db)[-1] == "005_store_generation"
    with db.conn:
        db["sources"].insert(SOURCE_ROW)
        db["facts"].insert(fact_row("us-jp-autos", R2, 2, None))
        db["facts"].insert(fact_row("talks", TALKS, 2, "duplicate"))
        for fact_id, content in (("us-jp-autos", R2), ("talks", TALKS)):
            for position, cite in enumerate(content["citations"], 1):
                db["fact_sources"].insert(
                    {"fact_id": fact_id, "position": position, "quote": cite.get("quote")}
                    | {"source_id": cite["source_id"]}
                )
        db["revisions"].insert_all(
            [
                revision_row("us-jp-autos", 1, "create", None, state(R1)),
                revision_row("us-jp-autos", 2, "update", state(R1), state(R2)),
                revision_row("talks", 1, "create", None, state(TALKS)),
                revision_row("talks", 2, "retract", state(TALKS), state(TALKS, "duplicate")),
            ]
        )
        db["file_loads"].insert(
            {
                "fact_id": "us-jp-autos",
                "path": "facts/us-japan.toml",
                "digest": old_digest(R2),
                "loaded_at": "2025-06-02T09:00:00+00:00",
            }
        )
    db.close()
    monkeypatch.undo()
    return path


EXPECTED_AUTOS = Fact(
    id="us-jp-autos",
    kind="tariff_rate",
    topic="us-japan",
    statement="The US applies a 25% tariff on Japanese cars.",
    valid_from=date(2025, 4, 3),
    recorded=date(2025, 6, 1),
    citations=(Citation("src-old", "Cars pay 25%."),),
    importer="US",
    exporter="JP",
    parties=("US", "JP"),
    rate=25.0,
    components=(Component("reciprocal", 10.0, "IEEPA"), Component("autos", 15.0)),
    revision=2,
)


def test_upgrade_applies_006_once_and_reads_every_fact_back_equal(old_db: Path) -> None:
    store = FactStore.open(old_db)
    try:
        assert applied_migrations(store.db) == [name for name, _ in MIGRATIONS]
        assert "authority" in store.db["facts"].columns_dict
        autos = store.require("us-jp-autos")
        assert autos == EXPECTED_AUTOS
        assert autos.content() == R2  # no measure key appears in an old fact's content
        assert autos.digest() == old_digest(R2) == R2_OLD_DIGEST
        talks = store.require("talks")
        assert (talks.retracted, talks.retracted_reason, talks.status) == (
            True,
            "duplicate",
            "ongoing",
        )
        assert talks.digest() == old_digest(TALKS)
        assert schema.migrate(store.db) == []  # nothing left to apply
    finally:
        store.close()
    again = FactStore.open(old_db)  # opening again applies nothing twice
    try:
        (count,) = again.db.execute("SELECT count(*) FROM migrations").fetchone()
        assert count == len(MIGRATIONS)
        assert again.require("us-jp-autos") == EXPECTED_AUTOS
    finally:
        again.close()


def test_history_survives_and_undo_works_across_the_upgrade(old_db: Path) -> None:
    store = FactStore.open(old_db)
    try:
        history = store.history("us-jp-autos")
        assert [(r.revision, r.action, r.author) for r in history] == [
            (1, "create", "alice"),
            (2, "update", "alice"),
        ]
        assert history[1].changed_fields() == ["components", "rate", "statement"]
        restored = store.undo("us-jp-autos", by=MOD, reason="the 25% was announced, not applied")
        assert (restored.revision, restored.rate, restored.components) == (3, 20.0, ())
        assert restored.digest() == old_digest(R1)
        back = store.undo("talks", by=MOD, reason="not a duplicate after all")
        assert not back.retracted
    finally:
        store.close()


def test_new_fields_are_usable_on_an_upgraded_fact(old_db: Path) -> None:
    store = FactStore.open(old_db)
    try:
        ended, successor = store.change(
            "us-jp-autos", effective=date(2025, 9, 16), rate=15, by=MOD, reason="the US-Japan deal"
        )
        assert ended.valid_to == date(2025, 9, 16) and ended.rate == 25.0
        assert (successor.supersedes, successor.rate) == ("us-jp-autos", 15.0)
        assert store.require(successor.id).content()["supersedes"] == "us-jp-autos"
        assert [r.action for r in store.history("us-jp-autos")] == ["create", "update", "update"]
    finally:
        store.close()

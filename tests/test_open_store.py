"""The open store: json and csv exports, and Datasette metadata naming every table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bot.store import FactStore
from bot.store.facts_files import export_facts, load_facts
from tests.conftest import MOD, REPO


def test_json_export_loads_back_unchanged(bundled_store: FactStore, tmp_path: Path) -> None:
    bundled_store.retract("us-cn-leaders-call", by=MOD, reason="test retraction")
    written = export_facts(bundled_store, tmp_path, "json")
    assert all(p.suffix == ".json" for p in written)
    data = json.loads((tmp_path / "us-china.json").read_text())
    assert {"title", "sources", "facts"} == set(data)
    copy = FactStore.open(":memory:")
    load_facts(copy, [tmp_path])
    assert {f.id: (f.content(), f.retracted) for f in copy.facts(include_retracted=True)} == {
        f.id: (f.content(), f.retracted) for f in bundled_store.facts(include_retracted=True)
    }


def test_csv_export_is_flat_and_complete(bundled_store: FactStore, tmp_path: Path) -> None:
    export_facts(bundled_store, tmp_path, "csv")
    facts = list(csv.DictReader((tmp_path / "facts.csv").open()))
    sources = list(csv.DictReader((tmp_path / "sources.csv").open()))
    citations = list(csv.DictReader((tmp_path / "citations.csv").open()))
    assert len(facts) == len(bundled_store.facts(include_retracted=True))
    row = next(r for r in facts if r["id"] == "us-cn-tariff-30")
    assert row["rate"] == "30.0" and row["parties"] == "US;CN"
    assert row["components"] == "reciprocal tariff (IEEPA)=10;fentanyl-related duty (IEEPA)=20"
    assert {s["id"] for s in sources} == set(bundled_store.sources())
    quote = next(c for c in citations if c["fact_id"] == "us-cn-tariff-30")
    assert quote["quote"] == "US tariffs on Chinese goods were lowered from 145% to 30%"


def test_datasette_metadata_describes_every_table(bundled_store: FactStore) -> None:
    metadata = json.loads((REPO / "datasette" / "metadata.json").read_text())
    tables = metadata["databases"]["tradebot"]["tables"]
    assert set(tables) == set(bundled_store.db.table_names()) - {"sqlite_sequence"}
    assert all(t.get("description") for t in tables.values())

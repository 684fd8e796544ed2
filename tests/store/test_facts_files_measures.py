"""Facts files carry the measure fields: exported only when set, loaded back unchanged
(no revision), and flat in the CSV tables; a fact without them exports as before."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import replace
from pathlib import Path

from bot.store import FactStore
from bot.store.facts_files import export_facts, load_facts
from bot.store.model import MEASURE_FIELDS
from tests.conftest import MOD, rate_fact


def steel_measure(store: FactStore):
    base = store.parse(
        rate_fact(
            id="us-world-steel",
            exporter="WORLD",
            rate=50,
            statement="The US charges 50% on steel from every country but the UK.",
            valid_from="2025-06-04",
            topic="measures",
        )
    )
    return replace(
        base,
        origins=("WORLD",),
        origins_except=("GB",),
        products=("steel",),
        authority="section-232",
        instrument="Proclamation 10947",
        rate_kind="additional",
    )


def plain_fact(store: FactStore):
    return store.parse(rate_fact(topic="measures"))


def test_export_writes_measure_fields_only_when_set(fresh_db: FactStore, tmp_path: Path) -> None:
    fresh_db.add(steel_measure(fresh_db), by=MOD, reason="seed")
    fresh_db.add(plain_fact(fresh_db), by=MOD, reason="seed")
    export_facts(fresh_db, tmp_path)
    tables = {t["id"]: t for t in tomllib.loads((tmp_path / "measures.toml").read_text())["facts"]}
    steel = tables["us-world-steel"]
    assert (steel["products"], steel["origins"], steel["origins_except"]) == (
        ["steel"],
        ["WORLD"],
        ["GB"],
    )
    assert (steel["authority"], steel["instrument"], steel["rate_kind"]) == (
        "section-232",
        "Proclamation 10947",
        "additional",
    )
    assert not set(MEASURE_FIELDS) & set(tables["xx-rate"])  # a plain fact: as before


def test_export_then_load_is_unchanged_and_writes_no_revision(
    fresh_db: FactStore, tmp_path: Path
) -> None:
    fresh_db.add(steel_measure(fresh_db), by=MOD, reason="seed")
    fresh_db.add(plain_fact(fresh_db), by=MOD, reason="seed")
    _, successor = fresh_db.change(
        "us-world-steel",
        effective=steel_measure(fresh_db).valid_from.replace(month=11),
        rate=25,
        by=MOD,
        reason="cut",
    )
    export_facts(fresh_db, tmp_path)
    revisions = fresh_db.db["revisions"].count
    report = load_facts(fresh_db, [tmp_path / "measures.toml"])
    assert sorted(report.unchanged) == sorted(["us-world-steel", "xx-rate", successor.id])
    assert fresh_db.db["revisions"].count == revisions
    other = FactStore.open(":memory:")  # a fresh store reads the same facts back
    load_facts(other, [tmp_path / "measures.toml"])
    for fact in fresh_db.facts():
        assert other.require(fact.id).digest() == fact.digest()
    assert other.require(successor.id).supersedes == "us-world-steel"


def test_csv_export_has_flat_measure_columns(fresh_db: FactStore, tmp_path: Path) -> None:
    fresh_db.add(steel_measure(fresh_db), by=MOD, reason="seed")
    fresh_db.add(plain_fact(fresh_db), by=MOD, reason="seed")
    export_facts(fresh_db, tmp_path, "csv")
    rows = {r["id"]: r for r in csv.DictReader((tmp_path / "facts.csv").open(encoding="utf-8"))}
    steel = rows["us-world-steel"]
    assert (steel["products"], steel["origins_except"], steel["authority"]) == (
        "steel",
        "GB",
        "section-232",
    )
    assert all(rows["xx-rate"][name] == "" for name in MEASURE_FIELDS)

"""Two tariff facts with the same importer, origins, products and authority may not
overlap in time: refused on add, update, undo, change and facts-file load."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.store import FactStore
from bot.store.facts_files import FactsFileError, load_facts
from bot.store.overlap import OverlapError
from tests.conftest import MOD, rate_fact


def measure(store: FactStore, **fields: object):
    """A tariff fact with measure fields set directly (the parser is not under test)."""
    scope = {k: fields.pop(k) for k in list(fields) if k in MEASURE_KEYS}
    return replace(store.parse(rate_fact(**fields)), **scope)


MEASURE_KEYS = ("origins", "origins_except", "products", "products_except", "authority")


def test_add_of_an_overlapping_fact_names_the_other_and_writes_nothing(
    fresh_db: FactStore,
) -> None:
    fresh_db.add(rate_fact(id="first", valid_to="2025-11-10"), by=MOD, reason="seed")
    before = fresh_db.db["revisions"].count
    with pytest.raises(OverlapError) as caught:
        fresh_db.add(rate_fact(id="second", valid_from="2025-06-01"), by=MOD, reason="seed")
    assert str(caught.value) == (
        "second overlaps first (3 Apr 2025 – 10 Nov 2025) with the same importer, origins, "
        "products and authority; end that one first (tradebot facts change) or narrow the dates"
    )
    assert fresh_db.db["revisions"].count == before
    assert fresh_db.get("second", missing_ok=True) is None


def test_touching_intervals_do_not_overlap(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(id="first", valid_to="2025-11-10"), by=MOD, reason="seed")
    fresh_db.add(rate_fact(id="second", valid_from="2025-11-10"), by=MOD, reason="seed")
    fresh_db.add(
        rate_fact(id="earlier", valid_from="2025-01-01", valid_to="2025-04-03"),
        by=MOD,
        reason="seed",
    )


@pytest.mark.parametrize(
    "scope",
    [
        {"products": ("steel",)},
        {"authority": "section-232"},
        {"origins": ("JP", "KR")},
        {"origins": ("WORLD",), "origins_except": ("GB",)},
        {"products_except": ("autos",)},
    ],
)
def test_a_different_scope_or_authority_may_overlap(fresh_db: FactStore, scope: dict) -> None:
    fresh_db.add(rate_fact(id="all-goods"), by=MOD, reason="seed")
    fresh_db.add(measure(fresh_db, id="layer", **scope), by=MOD, reason="seed")
    with pytest.raises(OverlapError, match="again overlaps layer"):
        fresh_db.add(measure(fresh_db, id="again", **scope), by=MOD, reason="seed")


def test_same_scope_in_another_order_is_the_same_scope(fresh_db: FactStore) -> None:
    fresh_db.add(measure(fresh_db, id="m-a", products=("steel", "aluminum")), by=MOD, reason="seed")
    with pytest.raises(OverlapError):
        fresh_db.add(
            measure(fresh_db, id="m-b", products=("aluminum", "steel")), by=MOD, reason="seed"
        )


def test_other_importers_retracted_and_non_tariff_facts_are_ignored(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(id="old"), by=MOD, reason="seed")
    fresh_db.add(rate_fact(id="ca", importer="CA"), by=MOD, reason="seed")
    fresh_db.retract("old", by=MOD, reason="wrong")
    fresh_db.add(rate_fact(id="new"), by=MOD, reason="seed")  # the retracted one is gone
    with pytest.raises(OverlapError, match="overlaps new"):
        fresh_db.undo("old", by=MOD, reason="bring it back")


def test_update_that_widens_dates_or_scope_is_refused_but_a_fix_is_not(
    fresh_db: FactStore,
) -> None:
    fresh_db.add(rate_fact(id="first", valid_to="2025-11-10"), by=MOD, reason="seed")
    fresh_db.add(rate_fact(id="later", valid_from="2025-11-10"), by=MOD, reason="seed")
    fresh_db.add(
        rate_fact(id="next", valid_from="2025-06-01", exporter="CN"), by=MOD, reason="seed"
    )
    with pytest.raises(OverlapError, match="first overlaps next"):
        fresh_db.update("first", {"exporter": "CN"}, base_revision=1, by=MOD, reason="exporter")
    with pytest.raises(OverlapError, match="next overlaps first"):
        fresh_db.update("next", {"exporter": "JP"}, base_revision=1, by=MOD, reason="oops")
    with pytest.raises(OverlapError, match="first overlaps later"):
        fresh_db.update("first", {"valid_to": "2026-01-01"}, base_revision=1, by=MOD, reason="end")
    fixed = fresh_db.update("first", {"rate": 20}, base_revision=1, by=MOD, reason="typo")
    shrunk = fresh_db.update(
        "first", {"valid_to": "2025-10-01"}, base_revision=2, by=MOD, reason="end"
    )
    assert (fixed.rate, shrunk.valid_to) == (20, date(2025, 10, 1))


def test_undo_of_a_change_is_refused_while_its_successor_stands(fresh_db: FactStore) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    _, successor = fresh_db.change(
        "xx-rate", effective=date(2025, 11, 10), rate=15, by=MOD, reason="deal"
    )
    with pytest.raises(OverlapError, match=f"xx-rate overlaps {successor.id}"):
        fresh_db.undo("xx-rate", by=MOD, reason="undo the change")
    fresh_db.retract(successor.id, by=MOD, reason="entered by mistake")
    assert fresh_db.undo("xx-rate", by=MOD, reason="undo the change").valid_to is None


def test_a_change_whose_successor_would_overlap_another_is_refused(fresh_db: FactStore) -> None:
    # An overlap stored before the rule existed: the change may not add another one.
    fresh_db.add(rate_fact(id="m-a", valid_to="2025-06-01"), by=MOD, reason="seed")
    fresh_db.add(rate_fact(id="m-b", valid_from="2025-06-01"), by=MOD, reason="seed")
    fresh_db.db.execute("UPDATE facts SET valid_to = NULL WHERE id = 'm-a'")
    before = fresh_db.db["revisions"].count
    with pytest.raises(OverlapError):
        fresh_db.change("m-a", effective=date(2025, 11, 10), rate=15, by=MOD, reason="deal")
    assert fresh_db.db["revisions"].count == before
    assert fresh_db.require("m-a").valid_to is None


FILE = """
title = "Test"
[[sources]]
id = "src-f"
url = "https://example.org/f"
title = "Example F"
publisher = "Example News"
published = 2025-06-01
{facts}
"""

FACT = """
[[facts]]
id = "{id}"
kind = "tariff_rate"
importer = "US"
exporter = "JP"
rate = {rate}
statement = "The US applies a tariff on Japanese goods."
valid_from = {start}
{end}
citations = [{{ source = "src-f" }}]
"""


def facts_file(tmp_path: Path, *facts: tuple[str, int, str, str | None]) -> Path:
    body = "".join(
        FACT.format(id=i, rate=r, start=s, end=f"valid_to = {e}" if e else "")
        for i, r, s, e in facts
    )
    path = tmp_path / "test.toml"
    path.write_text(FILE.format(facts=body), encoding="utf-8")
    return path


def test_facts_file_load_refuses_an_overlap_and_loads_nothing(
    fresh_db: FactStore, tmp_path: Path
) -> None:
    path = facts_file(tmp_path, ("m-a", 10, "2025-01-01", None), ("m-b", 20, "2025-06-01", None))
    with pytest.raises(FactsFileError) as caught:
        load_facts(fresh_db, [path])
    assert "test.toml, fact m-a: m-a overlaps m-b (1 Jun 2025 – no end)" in str(caught.value)
    assert str(caught.value).count("overlaps") == 1  # a pair is named once
    assert fresh_db.db["facts"].count == 0


def test_facts_file_may_end_a_measure_and_start_its_successor_in_any_order(
    fresh_db: FactStore, tmp_path: Path
) -> None:
    load_facts(fresh_db, [facts_file(tmp_path, ("m-a", 10, "2025-01-01", None))])
    path = facts_file(
        tmp_path, ("m-b", 20, "2025-06-01", None), ("m-a", 10, "2025-01-01", "2025-06-01")
    )
    report = load_facts(fresh_db, [path])
    assert (report.created, report.updated) == (["m-b"], ["m-a"])


def test_the_bundled_facts_hold_no_overlap(bundled_store: FactStore) -> None:
    for fact in bundled_store.facts(kind="tariff_rate"):
        assert bundled_store.overlap_of(fact) is None, fact.id


@pytest.mark.parametrize("status", ["announced", "threatened"])
def test_a_threat_may_sit_beside_the_rate_in_force(fresh_db: FactStore, status: str) -> None:
    fresh_db.add(rate_fact(id="in-force"), by=MOD, reason="seed")
    fresh_db.add(rate_fact(id="threat", rate=25, status=status), by=MOD, reason="seed")
    assert fresh_db.get("threat").status == status
    with pytest.raises(OverlapError, match="paused overlaps in-force"):
        fresh_db.add(rate_fact(id="paused", status="paused"), by=MOD, reason="seed")

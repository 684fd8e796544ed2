"""The fact index keeps one copy of what it holds many times over."""

from __future__ import annotations

from bot.answer.index import FactIndex
from bot.store import Author, FactStore
from tests.conftest import rate_fact


def test_rate_pairs_are_the_pair_keys_themselves(fresh_db: FactStore) -> None:
    for importer, exporter in [("US", "JP"), ("US", "CN"), ("CN", "US")]:
        fresh_db.add(
            rate_fact(id=f"{importer}-{exporter}".lower(), importer=importer, exporter=exporter),
            by=Author("test"),
            reason="test",
        )
    index = FactIndex(fresh_db)
    pairs = index.rate_pairs()
    assert pairs == [("CN", "US"), ("US", "CN"), ("US", "JP")]
    keys = {id(key) for key in index.by_pair}
    assert all(id(pair) in keys for pair in pairs)  # no second tuple per pair

"""Facts and citations are held by the thousands (the answer index keeps every fact for the
whole run): no dict per instance, and everything a fact offers works as before."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, asdict, replace
from datetime import date

import pytest

from bot.store import Citation, Fact


def a_fact(**overrides: object) -> Fact:
    fields: dict[str, object] = {
        "id": "us-jp-25",
        "kind": "tariff_rate",
        "statement": "The US applies a 25% tariff on Japanese cars.",
        "valid_from": date(2025, 4, 3),
        "recorded": date(2025, 6, 1),
        "citations": (Citation("src-a", "a quote"),),
        "importer": "US",
        "exporter": "JP",
        "rate": 25.0,
    }
    fields.update(overrides)
    return Fact(**fields)  # type: ignore[arg-type]


def test_facts_and_citations_have_no_per_instance_dict() -> None:
    fact = a_fact()
    assert not hasattr(fact, "__dict__")
    assert not hasattr(fact.citations[0], "__dict__")


def test_a_slotted_fact_behaves_as_before() -> None:
    fact = a_fact()
    with pytest.raises(FrozenInstanceError):
        fact.rate = 30.0  # type: ignore[misc]
    newer = replace(fact, rate=30.0, revision=2)
    assert (newer.rate, newer.revision, fact.rate) == (30.0, 2, 25.0)
    assert a_fact() == fact and hash(a_fact()) == hash(fact)
    assert a_fact(updated_at="later") == fact  # not part of the comparison
    assert asdict(fact)["citations"] == ({"source_id": "src-a", "quote": "a quote"},)
    assert fact.content()["citations"] == [{"source_id": "src-a", "quote": "a quote"}]
    assert fact.digest() == a_fact(revision=5).digest() != newer.digest()
    assert fact.source_ids == ["src-a"]

"""Every moderator input rule: the error names the field and says what to do."""

from __future__ import annotations

import pytest

from bot.store import FactStore, ValidationError
from tests.conftest import MOD, rate_fact


def errors_for(store: FactStore, **overrides: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        store.add(rate_fact(**overrides), by=MOD, reason="test")
    assert store.facts(include_retracted=True) == []
    return {e.field: e.message for e in err.value.errors}


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"rate": 1001}, "rate", "outside 0–1000"),
        ({"rate": -5}, "rate", "outside 0–1000"),
        ({"rate": "thirty"}, "rate", "not a number"),
        ({"rate": None}, "rate", "required"),
        ({"valid_from": "2025-13-01"}, "valid_from", "'2025-13-01' is not a date YYYY-MM-DD"),
        ({"valid_from": "2025-02-30"}, "valid_from", "not a date"),
        ({"valid_from": "1800-01-01"}, "valid_from", "outside"),
        ({"valid_to": "2025-04-03"}, "valid_to", "must be after valid_from"),
        ({"importer": "XX"}, "importer", "not a known party"),
        ({"exporter": "US"}, "exporter", "must differ from importer"),
        ({"kind": "rumour"}, "kind", "not a known kind"),
        ({"statement": "short"}, "statement", "10–400 characters"),
        ({"statement": "x" * 401}, "statement", "10–400 characters"),
        ({"citations": []}, "citations", "at least one source"),
        ({"citations": [{"source": "nope"}]}, "citations[1].source", "not a known source"),
        ({"id": "Bad Id!"}, "id", "a-z, 0-9"),
        ({"confidence": "sure"}, "confidence", "high, medium, low"),
        ({"valid_form": "2025-01-01"}, "valid_form", "unknown field"),
        ({"rate_candidates": [10, 15], "rate": None}, "disputed", "sources disagree"),
        ({"court": "CIT"}, "court", "only applies to court_ruling"),
    ],
)
def test_invalid_fact_input_names_field(fresh_db: FactStore, overrides, field, fragment) -> None:
    errors = errors_for(fresh_db, **overrides)
    assert field in errors, errors
    assert fragment in errors[field]


def test_all_errors_are_reported_at_once(fresh_db: FactStore) -> None:
    errors = errors_for(fresh_db, rate=2000, valid_from="soon", importer="Narnia")
    assert {"rate", "valid_from", "importer"} <= set(errors)


def test_quote_must_be_literally_in_a_held_document(fresh_db: FactStore) -> None:
    errors = errors_for(fresh_db, citations=[{"source": "doc-b", "quote": "raised to 45%"}])
    assert "word for word" in errors["citations[1].quote"]
    errors = errors_for(fresh_db, citations=[{"source": "doc-b"}])
    assert "is required" in errors["citations[1].quote"]
    fact = fresh_db.add(
        rate_fact(citations=[{"source": "doc-b", "quote": "raised to 40%"}]), by=MOD, reason="fine"
    )
    assert fact.citations[0].quote == "raised to 40%"


def test_party_names_and_lowercase_codes_are_normalised(fresh_db: FactStore) -> None:
    fact = fresh_db.add(rate_fact(importer="us", exporter="Japan"), by=MOD, reason="fine")
    assert (fact.importer, fact.exporter, fact.parties) == ("US", "JP", ("US", "JP"))


def test_non_rate_kinds_need_status_and_parties_and_reject_rates(fresh_db: FactStore) -> None:
    errors = errors_for(fresh_db, kind="negotiation_status", importer=None, exporter=None)
    assert {"status", "parties", "rate"} <= set(errors)


def test_deadline_needs_due_date_and_court_ruling_needs_known_court(fresh_db: FactStore) -> None:
    base = {
        "importer": None,
        "exporter": None,
        "rate": None,
        "parties": ["US"],
        "status": "scheduled",
    }
    assert "due" in errors_for(fresh_db, kind="deadline", **base)
    errors = errors_for(fresh_db, kind="court_ruling", court="Judge Judy", **base)
    assert "not a known court" in errors["court"]


def test_disputed_rates_are_stored_as_candidates(fresh_db: FactStore) -> None:
    fact = fresh_db.add(
        rate_fact(rate=None, rate_candidates=[10, 15], disputed="Sources say 10% or 15%."),
        by=MOD,
        reason="fine",
    )
    assert fact.rate is None and fact.rate_candidates == (10.0, 15.0)


@pytest.mark.parametrize("bad_id", ["ab\n", "xx-rate\n"])
def test_an_id_with_a_trailing_newline_is_refused(fresh_db: FactStore, bad_id: str) -> None:
    # "$" in the id pattern matched just before a final newline (found by the property
    # test in tests/properties/test_moderation_properties.py).
    with pytest.raises(ValidationError) as err:
        fresh_db.add(fresh_db.parse(rate_fact(id=bad_id)), by=MOD, reason="test")
    assert [e.field for e in err.value.errors] == ["id"]
    assert fresh_db.facts() == []

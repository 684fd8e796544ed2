"""Moderator forms (the Discord modals' text) parsed without Discord."""

import pytest

from bot import forms, service
from bot.store import Author, ValidationError


def test_form_becomes_raw_fact_input() -> None:
    raw, source = forms.form_input(
        "tariff_rate",
        forms.FactForm(
            value="25%",
            statement="The US applies 25% to Japanese cars.",
            valid="2025-04-03 to 2025-08-07",
            source="https://example.org/a | Car tariffs | Example News | 2025-04-02",
        ),
    )
    assert raw == {
        "rate": "25%",
        "valid_from": "2025-04-03",
        "valid_to": "2025-08-07",
        "statement": "The US applies 25% to Japanese cars.",
    }
    assert source == service.NewSource(
        "https://example.org/a", "Car tariffs", "Example News", "2025-04-02"
    )


def test_deadline_value_and_open_end() -> None:
    raw, source = forms.form_input(
        "deadline",
        forms.FactForm(value="Scheduled, 2026-11-10", statement="", valid="2025-11-04 to open"),
    )
    assert raw["status"] == "scheduled" and raw["due"] == "2026-11-10"
    assert raw["valid_to"] is None and source is None


def test_every_form_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        forms.form_input(
            "deadline",
            forms.FactForm(
                value="2026-11-10", statement="x", valid="a to b to c", source="just a url"
            ),
        )
    assert {e.field for e in err.value.errors} == {"value", "valid", "source"}


def test_prefill_round_trips_through_the_form(bundled_store) -> None:
    fact = bundled_store.require("us-cn-tariff-30")
    form = forms.prefill(fact)
    assert form.value == "30" and form.valid == "2025-05-14 to 2025-11-10"
    raw, _ = forms.form_input(fact.kind, form)
    with pytest.raises(ValidationError, match="change nothing"):
        bundled_store.update(fact.id, raw, base_revision=1, by=Author("m"), reason="same")


def test_bad_source_and_bad_fact_errors_come_together(bundled_store) -> None:
    with pytest.raises(ValidationError) as err:
        service.add_fact(
            bundled_store,
            {
                "id": "x-1",
                "kind": "tariff_rate",
                "importer": "US",
                "exporter": "JP",
                "rate": "abc",
                "statement": "A statement long enough.",
                "valid_from": "2025-01-01",
            },
            by=Author("m"),
            reason="test",
            new_source=service.NewSource("ftp://x", "T", "P", "2025-13-01"),
        )
    fields = {e.field for e in err.value.errors}
    assert {"rate", "source_url", "source_published"} <= fields
    assert "citations" not in fields
    assert bundled_store.get("x-1", missing_ok=True) is None


def test_change_summary_shows_before_and_after(bundled_store) -> None:
    before = bundled_store.require("us-cn-tariff-30")
    after = bundled_store.update(
        before.id, {"rate": 31, "components": None}, base_revision=1, by=Author("m"), reason="test"
    )
    assert forms.change_summary(before, after, None) == "rate 30% → 31%."

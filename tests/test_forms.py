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
    given = {k: v for k, v in raw.items() if v is not None}
    assert given == {
        "rate": "25%",
        "valid_from": "2025-04-03",
        "statement": "The US applies 25% to Japanese cars.",
        "valid_to": "2025-08-07",
    }
    # Every measure clause not given is None, so an edit that drops a clause clears it.
    assert {k for k, v in raw.items() if v is None} >= {"products", "origins", "authority"}
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


CITED = {"citations": ["src-a"], "recorded": "2025-07-01"}
MEASURE_LINE = (
    "25%; products: steel and aluminium; origins: all-except:GB, Canada; "
    "authority: Section-232; rate kind: additional; instrument: Proclamation 10947; "
    "HTS 9903.81.87\nstatus: in force"
)


def test_the_value_line_takes_measure_clauses() -> None:
    raw = forms.parse_value("tariff_rate", MEASURE_LINE)
    assert raw["rate"] == "25%"
    assert raw["products"] == ["steel", "aluminium"] and raw["products_except"] is None
    assert raw["origins"] == ["all"] and raw["origins_except"] == ["GB", "Canada"]
    assert raw["authority"] == "Section-232" and raw["rate_kind"] == "additional"
    assert raw["instrument"] == "Proclamation 10947; HTS 9903.81.87"
    assert raw["status"] == "in force" and raw["attributes"] is None


def test_event_forms_take_attribute_clauses() -> None:
    raw = forms.parse_value(
        "negotiation_status", "Talks held; place: Geneva; participants: Scott Bessent, He Lifeng"
    )
    assert raw["status"] == "talks held"
    assert raw["attributes"] == {"place": "Geneva", "participants": ["Scott Bessent", "He Lifeng"]}
    raw = forms.parse_value("deadline", "Scheduled, 2026-11-10; instruments: EO 14358")
    assert (raw["status"], raw["due"]) == ("scheduled", "2026-11-10")
    assert raw["attributes"] == {"instruments": ["EO 14358"]}


@pytest.mark.parametrize(
    ("kind", "line", "fragment"),
    [
        ("tariff_rate", "25; colour: red", "'colour:' is not a field of a tariff_rate form"),
        ("tariff_rate", "25; products: steel; products: copper", "given twice"),
        ("negotiation_status", "stalled; products: steel", "it takes: place, participants"),
        ("tariff_rate", "products: steel", "is required: Rate in percent"),
        ("deadline", "2026-11-10", "for a deadline"),
    ],
)
def test_bad_value_lines_are_one_clear_error(kind: str, line: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        forms.parse_value(kind, line)
    assert [e.field for e in err.value.errors] == ["value"]
    assert fragment in str(err.value)


def test_a_measure_goes_through_the_form_and_back(fresh_db) -> None:
    raw, _ = forms.form_input(
        "tariff_rate",
        forms.FactForm(value=MEASURE_LINE, statement="Steel pays 25%.", valid="2025-06-04"),
    )
    raw.update({"id": "us-steel", "kind": "tariff_rate", "importer": "US", **CITED})
    fact = fresh_db.add(raw, by=Author("m"), reason="form")
    assert (fact.exporter, fact.origins_except) == ("WORLD", ("GB", "CA"))
    assert fact.products == ("steel", "aluminum") and fact.authority == "section-232"
    form = forms.prefill(fact)
    assert form.value == (
        "25; products: steel, aluminum; origins: all except GB, CA; authority: section-232; "
        "rate kind: additional; instrument: Proclamation 10947; HTS 9903.81.87; status: in force"
    )
    again, _ = forms.form_input(fact.kind, form)
    with pytest.raises(ValidationError, match="change nothing"):
        fresh_db.update(fact.id, again, base_revision=1, by=Author("m"), reason="same")
    dropped = forms.FactForm(form.value.replace("; status: in force", ""), "", form.valid)
    edited, _ = forms.form_input(fact.kind, dropped)
    after = fresh_db.update(fact.id, edited, base_revision=1, by=Author("m"), reason="clear")
    assert after.status is None and after.products == fact.products


def test_event_attributes_prefill_and_round_trip(fresh_db) -> None:
    value = "Talks held; place: Geneva; participants: Scott Bessent, He Lifeng; round: 2"
    raw, _ = forms.form_input(
        "negotiation_status",
        forms.FactForm(value=value, statement="Officials met in Geneva.", valid="2025-05-10"),
    )
    raw.update(
        {
            "id": "talks",
            "kind": "negotiation_status",
            "parties": ["US", "CN"],
            **CITED,
        }
    )
    fact = fresh_db.add(raw, by=Author("m"), reason="form")
    assert fact.attribute("round") == 2
    form = forms.prefill(fact)
    assert form.value == (
        "talks held; participants: Scott Bessent, He Lifeng; place: Geneva; round: 2"
    )
    assert forms.parse_value(fact.kind, form.value)["attributes"] == {
        "participants": ["Scott Bessent", "He Lifeng"],
        "place": "Geneva",
        "round": "2",
    }
    assert forms.value_label("deadline") == "Status, due date: scheduled, 2026-11-10"

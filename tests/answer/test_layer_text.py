"""The lines of a layered tariff answer, worded by the [phrases] of stacking.toml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answer import stacking_rules
from bot.answer.layer_text import (
    also_line,
    caveat_line,
    layer_line,
    layers_json,
    not_charged_line,
    pending_lines,
    rules_json,
    stack_lines,
)
from bot.answer.layers import select, stack
from bot.datafiles import DATA_DIR_ENV
from bot.vocabulary import load_vocabulary
from tests.answer.test_layers import (
    ALL,
    AUTOS,
    CN_FENTANYL,
    CN_RECIPROCAL,
    STEEL_25,
    STEEL_50,
    UK_STEEL,
    measure,
)

VOCAB = load_vocabulary()
MFN = "on top of the normal (MFN) duty, which I don't track."


def lines_for(origin: str, product: str | None, day: date, facts=ALL) -> list[str]:
    picked = select(facts, importer="US", origin=origin, product=product, day=day, vocab=VOCAB)
    result = stack(picked.in_force, day=day, product=product, origin=origin)
    return stack_lines(
        result, importer="US", pending=picked.not_in_force, also=picked.product_measures
    )


def test_a_layer_line_names_authority_product_rate_instrument_and_start() -> None:
    result = stack([STEEL_50], day=date(2025, 7, 1), product="steel", origin="JP")
    assert layer_line(result.layers[0]) == (
        "Section 232 (steel): 50% — Proclamation 10947, from 4 Jun 2025"
    )


def test_a_steel_answer_before_june_says_why_the_reciprocal_tariff_is_not_charged() -> None:
    lines = lines_for("CN", "steel", date(2025, 5, 20))
    assert lines == [
        "Section 232 (steel): 25%, from 12 Mar 2025",
        "fentanyl/border duty (IEEPA): 20%, from 4 Mar 2025",
        "Not charged: reciprocal tariff (IEEPA) — goods subject to Section 232 duties are "
        "exempt from the reciprocal tariff (from 2 Apr 2025).",
        f"Total additional duty: 45% {MFN}",
    ]


def test_a_steel_answer_after_june_shows_the_share_split() -> None:
    lines = lines_for("CN", "steel", date(2025, 7, 1))
    assert lines[0] == (
        "Section 232 (steel): 50% on the steel content — Proclamation 10947, from 4 Jun 2025"
    )
    assert "reciprocal tariff (IEEPA): 10% on the rest, from 14 May 2025" in lines
    assert lines[-1] == (
        "Total additional duty: 50% on the steel content plus 10% on the rest, plus 20% on "
        f"the full value — {MFN}"
    )


def test_a_floor_is_worded_as_all_in() -> None:
    lines = lines_for("DE", None, date(2025, 9, 1))
    assert lines == [
        "reciprocal tariff (IEEPA): 15% all-in (the higher of the normal duty or 15%), "
        "from 7 Aug 2025",
        "Total duty: the higher of the normal (MFN) duty or 15%, all-in.",
        "Also: steel 50% (Section 232); cars 25% (Section 232).",
    ]


def test_a_product_with_no_product_measure_gets_the_caveat_not_a_product_rate() -> None:
    day = date(2025, 10, 1)
    result = stack([CN_RECIPROCAL, CN_FENTANYL], day=day, product="soybeans", origin="CN")
    assert caveat_line(result, "US") == (
        "Product-specific duties (e.g. Section 232 or Section 301) may also apply to soybeans; "
        "I have no record of one."
    )
    assert caveat_line(result, "CN").startswith("Product-specific retaliatory duties")
    assert caveat_line(result, "JP").startswith("Product-specific duties may also apply")
    # No caveat for a country question or when a product measure is among the layers.
    assert caveat_line(stack([CN_RECIPROCAL], day=day, origin="CN"), "US") is None
    steel = stack([STEEL_50, CN_RECIPROCAL], day=day, product="steel", origin="CN")
    assert caveat_line(steel, "US") is None


def test_the_country_question_also_line_groups_product_measures() -> None:
    aluminum = measure(
        "alu", exporter="WORLD", products=("aluminum",), authority="section-232", rate=50
    )
    assert also_line([STEEL_50, aluminum, AUTOS]) == (
        "Also: steel and aluminum 50% (Section 232); cars 25% (Section 232)."
    )
    copper = measure("cu", exporter="WORLD", products=("copper",), authority="section-232", rate=50)
    assert also_line([STEEL_50, aluminum, copper]) == (
        "Also: steel, aluminum and copper 50% (Section 232)."
    )
    assert also_line([]) is None
    lines = lines_for("CN", None, date(2025, 10, 1))
    assert lines[-1] == (
        "Also: electric vehicles 100% (Section 301); steel 50% (Section 232); "
        "cars 25% (Section 232)."
    )


def test_an_announced_measure_is_said_to_be_not_in_force() -> None:
    pharma = measure(
        "p",
        exporter="WORLD",
        products=("pharmaceuticals",),
        authority="section-232",
        rate=100,
        status="announced",
        valid_from=date(2025, 9, 25),
    )
    assert pending_lines([pharma]) == [
        "Announced, not in force: Section 232 (pharmaceuticals): 100%, from 25 Sep 2025."
    ]
    lines = lines_for("JP", "pharmaceuticals", date(2025, 10, 1), [*ALL, pharma])
    assert lines[0] == "I have no tariff measure on record for these goods on that date."
    assert lines[-1].startswith("Announced, not in force")
    assert not any("I have no record" in line for line in lines)


def test_not_charged_line_uses_the_rule_summary() -> None:
    result = stack([AUTOS, STEEL_50], day=date(2025, 7, 1), product="autos", origin="JP")
    line = not_charged_line(result.not_charged[0])
    assert line.startswith("Not charged: Section 232 (steel) — the Section 232 duty on vehicles")


def test_layers_json_has_the_fields_ask_json_promises() -> None:
    result = stack([STEEL_25, CN_RECIPROCAL], day=date(2025, 5, 1), product="steel", origin="CN")
    out = layers_json(result)
    assert out[0] == {
        "fact": "us-232-steel-25",
        "name": None,
        "authority": "section-232",
        "rate": 25,
        "rate_kind": "additional",
        "products": ["steel"],
        "origins": ["WORLD"],
        "origins_except": [],
        "valid_from": "2025-03-12",
        "valid_to": "2025-06-04",
        "instrument": None,
        "charged": True,
        "share": None,
        "why_not": None,
        "rule": None,
    }
    assert out[1]["origins"] == ["CN", "HK", "MO"]
    assert out[1]["charged"] is False and out[1]["rule"] == "s232-exempt-from-reciprocal"
    cited = rules_json(result)
    assert cited[0]["rule"] == "s232-exempt-from-reciprocal"
    assert cited[0]["url"].startswith("https://") and cited[0]["quote"]


def test_uk_steel_is_not_shown_at_the_world_rate() -> None:
    lines = lines_for("GB", "steel", date(2025, 7, 1), [STEEL_50, UK_STEEL])
    assert lines == [
        "Section 232 (steel): 25%, from 4 Jun 2025",
        f"Total additional duty: 25% {MFN}",
    ]


@pytest.fixture
def reworded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A data folder whose stacking.toml words the total differently."""
    from bot import datafiles

    text = datafiles.read_text("stacking.toml").replace(
        'total = "Total additional duty: {total} on top',
        'total = "All layers together: {total} on top',
    )
    (tmp_path / "stacking.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    stacking_rules.load_stacking_rules.cache_clear()
    yield
    monkeypatch.delenv(DATA_DIR_ENV)
    stacking_rules.load_stacking_rules.cache_clear()


def test_wording_is_data_a_data_folder_can_change_it(reworded) -> None:
    result = stack([STEEL_50], day=date(2025, 7, 1), product="steel", origin="JP")
    assert result.total_text.startswith("All layers together: 50% on top")

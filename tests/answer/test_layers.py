"""Which measures apply to a product from an origin on a day, and how they stack."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.answer.layers import (
    applicable,
    covers_origin,
    lineage,
    not_in_force,
    product_measures,
    select,
    stack,
)
from bot.products import load_products
from bot.store.model import Citation, Component, Fact
from bot.vocabulary import load_vocabulary

VOCAB = load_vocabulary()
PRODUCTS = load_products()


def measure(fact_id: str, **fields: Any) -> Fact:
    """A US tariff measure citing one source; override any field."""
    base: dict[str, Any] = {
        "id": fact_id,
        "kind": "tariff_rate",
        "statement": f"measure {fact_id}",
        "valid_from": date(2025, 1, 1),
        "recorded": date(2025, 1, 1),
        "citations": (Citation("src-a"),),
        "importer": "US",
    }
    base.update(fields)
    return Fact(**base)


STEEL_50 = measure(
    "us-232-steel-50",
    exporter="WORLD",
    origins_except=("GB",),
    products=("steel",),
    authority="section-232",
    rate=50,
    instrument="Proclamation 10947",
    valid_from=date(2025, 6, 4),
)
STEEL_25 = measure(
    "us-232-steel-25",
    exporter="WORLD",
    products=("steel",),
    authority="section-232",
    rate=25,
    valid_from=date(2025, 3, 12),
    valid_to=date(2025, 6, 4),
)
UK_STEEL = measure(
    "us-232-steel-gb",
    exporter="GB",
    products=("steel",),
    authority="section-232",
    rate=25,
    valid_from=date(2025, 6, 4),
)
CN_RECIPROCAL = measure(
    "us-cn-recip",
    exporter="CN",
    origins=("CN", "HK", "MO"),
    authority="ieepa-reciprocal",
    rate=10,
    valid_from=date(2025, 5, 14),
)
CN_FENTANYL = measure(
    "us-cn-fent",
    exporter="CN",
    authority="ieepa-fentanyl",
    rate=20,
    valid_from=date(2025, 3, 4),
)
CN_301 = measure(
    "us-cn-301-ev",
    exporter="CN",
    products=("electric-vehicles",),
    authority="section-301",
    rate=100,
    valid_from=date(2024, 9, 27),
)
EU_FLOOR = measure(
    "us-eu-floor",
    exporter="EU",
    authority="ieepa-reciprocal",
    rate=15,
    rate_kind="floor",
    valid_from=date(2025, 8, 7),
)
AUTOS = measure(
    "us-232-autos",
    exporter="WORLD",
    products=("autos",),
    authority="section-232",
    rate=25,
    valid_from=date(2025, 4, 3),
)
CA_BORDER = measure(
    "us-ca-border",
    exporter="CA",
    authority="ieepa-fentanyl",
    rate=35,
    valid_from=date(2025, 8, 1),
)
ALL = [STEEL_50, STEEL_25, UK_STEEL, CN_RECIPROCAL, CN_FENTANYL, CN_301, EU_FLOOR, AUTOS]


def find(origin: str, product: str | None, day: date, facts: list[Fact] = ALL) -> list[str]:
    found = applicable(facts, importer="US", origin=origin, product=product, day=day, vocab=VOCAB)
    return sorted(f.id for f in found)


def stacked(origin: str, product: str | None, day: date, facts: list[Fact] = ALL):
    found = applicable(facts, importer="US", origin=origin, product=product, day=day, vocab=VOCAB)
    return stack(found, day=day, product=product, origin=origin)


# ----------------------------------------------------------------------------- matching


def test_an_eu_measure_is_found_for_german_and_french_goods() -> None:
    assert "us-eu-floor" in find("DE", None, date(2025, 9, 1))
    assert "us-eu-floor" in find("FR", None, date(2025, 9, 1))
    assert "us-eu-floor" not in find("GB", None, date(2025, 9, 1))
    assert "us-eu-floor" not in find("CH", None, date(2025, 9, 1))


BASELINE = measure(
    "us-world-recip-10",
    exporter="WORLD",
    authority="ieepa-reciprocal",
    rate=10,
    valid_from=date(2025, 4, 5),
)
JP_RECIPROCAL = measure(
    "us-jp-recip-15",
    exporter="JP",
    authority="ieepa-reciprocal",
    rate=15,
    rate_kind="floor",
    valid_from=date(2025, 8, 7),
)


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("JP", ["us-jp-recip-15"]),  # its own rate replaces the baseline
        ("DE", ["us-eu-floor"]),  # the bloc's rate replaces the baseline
        ("VN", ["us-world-recip-10"]),  # no rate of its own: the baseline
    ],
)
def test_the_most_specific_origin_of_an_authority_is_charged(origin, expected) -> None:
    facts = [BASELINE, JP_RECIPROCAL, EU_FLOOR, AUTOS]
    assert find(origin, None, date(2025, 9, 1), facts) == expected


def test_other_authorities_and_product_scopes_still_stack_with_the_specific_rate() -> None:
    facts = [BASELINE, JP_RECIPROCAL, AUTOS, CN_FENTANYL, CN_RECIPROCAL]
    assert find("JP", "autos", date(2025, 9, 1), facts) == ["us-232-autos", "us-jp-recip-15"]
    assert find("CN", None, date(2025, 9, 1), facts) == ["us-cn-fent", "us-cn-recip"]


def test_world_except_gb_leaves_uk_steel_at_its_own_rate() -> None:
    day = date(2025, 7, 1)
    assert find("GB", "steel", day) == ["us-232-steel-gb"]
    assert stacked("GB", "steel", day).total == 25
    assert "us-232-steel-50" in find("JP", "steel", day)
    assert "us-232-steel-gb" not in find("JP", "steel", day)


def test_an_excepted_bloc_excludes_its_members() -> None:
    world_but_eu = measure("m", exporter="WORLD", origins_except=("EU",), rate=10)
    assert not covers_origin(world_but_eu, "DE", VOCAB)
    assert covers_origin(world_but_eu, "JP", VOCAB)


def test_hong_kong_follows_china_only_where_the_measure_says_so() -> None:
    day = date(2025, 6, 1)
    # The reciprocal measure lists CN, HK, MO; the fentanyl one names China alone.
    assert find("HK", None, day) == ["us-cn-recip"]
    assert find("MO", None, day) == ["us-cn-recip"]
    assert find("CN", None, day) == ["us-cn-fent", "us-cn-recip"]


def test_a_product_measure_covers_narrower_products_never_broader_ones() -> None:
    day = date(2025, 10, 1)
    assert lineage("electric-vehicles", PRODUCTS) == ("electric-vehicles", "autos")
    # EVs are autos: the autos measure answers for EVs ...
    assert "us-232-autos" in find("JP", "electric-vehicles", day)
    # ... but the EV measure does not answer for cars in general, nor for steel.
    assert "us-cn-301-ev" in find("CN", "electric-vehicles", day)
    assert "us-cn-301-ev" not in find("CN", "autos", day)
    assert "us-232-autos" not in find("JP", "steel", day)
    # Parts are not cars: the car duty does not answer for auto parts.
    assert lineage("auto-parts", PRODUCTS) == ("auto-parts",)
    assert "us-232-autos" not in find("JP", "auto-parts", day)


def test_a_country_question_gets_all_goods_measures_and_product_ones_apart() -> None:
    day = date(2025, 10, 1)
    assert find("CN", None, day) == ["us-cn-fent", "us-cn-recip"]
    also = product_measures(ALL, importer="US", origin="CN", day=day, vocab=VOCAB)
    assert sorted(f.id for f in also) == ["us-232-autos", "us-232-steel-50", "us-cn-301-ev"]
    picked = select(ALL, importer="US", origin="CN", product=None, day=day, vocab=VOCAB)
    assert sorted(f.id for f in picked.product_measures) == sorted(f.id for f in also)
    # A product question has no "also" list: its product measures are layers.
    picked = select(ALL, importer="US", origin="CN", product="steel", day=day, vocab=VOCAB)
    assert picked.product_measures == ()


def test_products_except_takes_a_product_out_of_an_all_goods_measure() -> None:
    baseline = measure("m", exporter="WORLD", rate=10, products_except=("pharmaceuticals",))
    assert find("JP", "pharmaceuticals", date(2025, 6, 1), [baseline]) == []
    assert find("JP", "steel", date(2025, 6, 1), [baseline]) == ["m"]
    assert find("JP", None, date(2025, 6, 1), [baseline]) == ["m"]


def test_valid_time_importer_kind_and_retraction_filter_measures() -> None:
    assert find("JP", "steel", date(2025, 5, 1)) == ["us-232-steel-25"]
    assert find("JP", "steel", date(2025, 6, 4)) == ["us-232-steel-50"]
    retracted = measure("r", exporter="JP", rate=10, retracted=True)
    other_importer = measure("o", exporter="JP", rate=10, importer="CA")
    ruling = measure("c", exporter="JP", rate=10, kind="court_ruling")
    assert find("JP", None, date(2025, 6, 1), [retracted, other_importer, ruling]) == []


def test_an_announced_measure_is_not_counted_but_reported_apart() -> None:
    day = date(2025, 10, 1)
    pharma = measure(
        "us-232-pharma",
        exporter="WORLD",
        products=("pharmaceuticals",),
        authority="section-232",
        rate=100,
        status="announced",
        valid_from=date(2025, 9, 25),
    )
    facts = [*ALL, pharma]
    assert "us-232-pharma" not in find("JP", "pharmaceuticals", day, facts)
    pending = not_in_force(
        facts, importer="US", origin="JP", product="pharmaceuticals", day=day, vocab=VOCAB
    )
    assert [f.id for f in pending] == ["us-232-pharma"]
    # Nothing in force is "no measure on record", never a 0% rate.
    nothing = stacked("JP", "pharmaceuticals", day, facts)
    assert nothing.total is None and nothing.layers == ()
    assert nothing.total_text.startswith("I have no tariff measure on record")


# ----------------------------------------------------------------------------- stacking


def by_fact(result) -> dict[str, Any]:
    return {(layer.name or layer.fact.id): layer for layer in result.layers}


def test_before_4_june_2025_a_232_steel_good_pays_no_reciprocal_tariff() -> None:
    result = stacked("CN", "steel", date(2025, 5, 20))
    layers = by_fact(result)
    assert not layers["us-cn-recip"].charged
    assert "exempt from the reciprocal tariff" in layers["us-cn-recip"].why_not
    assert layers["us-cn-recip"].rule == "s232-exempt-from-reciprocal"
    assert result.total == 45  # 25% Section 232 + 20% fentanyl
    assert "s232-exempt-from-reciprocal" in [r.id for r in result.rules_used]


def test_from_4_june_2025_steel_splits_into_metal_content_and_the_rest() -> None:
    result = stacked("CN", "steel", date(2025, 7, 1))
    layers = by_fact(result)
    assert layers["us-232-steel-50"].share == "on the steel content"
    assert layers["us-cn-recip"].charged and layers["us-cn-recip"].share == "on the rest"
    assert layers["us-cn-fent"].share is None
    assert result.total is None  # 50% + 10% + 20% = 80% would be wrong
    assert "50% on the steel content plus 10% on the rest" in result.total_text
    assert "plus 20% on the full value" in result.total_text
    assert result.product_specific


def test_fentanyl_and_section_301_add_to_each_other() -> None:
    result = stacked("CN", "electric-vehicles", date(2025, 6, 1), [CN_FENTANYL, CN_301])
    assert all(layer.charged for layer in result.layers)
    assert result.total == 120
    cited = {r.id for r in result.rules_used}
    assert {"china-ieepa-stacks", "section-301-and-ad-cvd-add"} <= cited


def test_the_auto_duty_excludes_the_reciprocal_tariff_and_other_232_duties() -> None:
    parts = measure(
        "us-232-parts",
        exporter="WORLD",
        products=("auto-parts",),
        authority="section-232",
        rate=25,
        valid_from=date(2025, 5, 3),
    )
    day = date(2025, 7, 1)
    found = [AUTOS, CN_RECIPROCAL, CN_FENTANYL]
    layers = by_fact(stack(found, day=day, product="autos", origin="CN"))
    assert layers["us-232-autos"].charged
    assert not layers["us-cn-recip"].charged
    assert layers["us-cn-fent"].charged  # China's fentanyl duty still stacks
    # Precedence within Section 232: autos before auto parts.
    result = stack([AUTOS, parts], day=day, product="auto-parts", origin="JP")
    assert [layer.charged for layer in result.layers] == [True, False]
    assert result.layers[1].rule == "s232-transport-precedence"
    assert result.total == 25
    # ... and before the metals duties, which are not charged on the same goods.
    result = stack([STEEL_50, AUTOS], day=day, product="autos", origin="JP")
    assert [layer.charged for layer in result.layers] == [False, True]
    assert "vehicles and parts takes precedence" in result.layers[0].why_not


def test_the_vehicle_duty_replaces_the_canada_mexico_border_duty() -> None:
    day = date(2025, 9, 1)
    result = stack([AUTOS, CA_BORDER], day=day, product="autos", origin="CA")
    layers = by_fact(result)
    assert not layers["us-ca-border"].charged
    assert layers["us-ca-border"].rule == "vehicles-exclude-border-duty"
    assert result.total == 25
    # The same pair for Japanese goods: the rule is limited to Canada and Mexico.
    japan_border = measure("jp-x", exporter="JP", authority="ieepa-fentanyl", rate=5)
    result = stack([AUTOS, japan_border], day=day, product="autos", origin="JP")
    assert result.total == 30


def test_same_tier_232_duties_stack_with_each_other() -> None:
    aluminum = measure(
        "alu", exporter="WORLD", products=("aluminum",), authority="section-232", rate=50
    )
    steel = measure("st", exporter="WORLD", products=("steel",), authority="section-232", rate=50)
    result = stack([steel, aluminum], day=date(2025, 5, 1), product="steel", origin="JP")
    assert all(layer.charged for layer in result.layers)
    assert result.total == 100


def test_a_floor_makes_the_total_the_higher_of_the_normal_duty_or_n() -> None:
    result = stacked("DE", None, date(2025, 9, 1))
    assert result.floor == 15
    assert result.total is None
    assert "the higher of the normal (MFN) duty or 15%" in result.total_text
    assert "deal-floor" in [r.id for r in result.rules_used]


def test_a_suspended_measure_charges_nothing() -> None:
    paused = measure("s", exporter="JP", rate=24, rate_kind="suspended", authority="other")
    base = measure("b", exporter="JP", rate=10, authority="ieepa-reciprocal")
    result = stack([base, paused], day=date(2025, 6, 1), origin="JP")
    assert [layer.charged for layer in result.layers] == [True, False]
    assert "suspended" in result.layers[1].why_not
    assert result.total == 10


def test_a_component_total_fact_expands_into_one_layer_per_component() -> None:
    total = measure(
        "us-cn-30",
        exporter="CN",
        rate=30,
        valid_from=date(2025, 5, 14),
        components=(
            Component("reciprocal tariff (IEEPA)", 10, "EO 14298; HTS 9903.01.25"),
            Component("fentanyl-related duty (IEEPA)", 20, "EO 14195"),
        ),
    )
    result = stack([total], day=date(2025, 6, 1), origin="CN")
    assert [(layer.authority, layer.rate) for layer in result.layers] == [
        ("ieepa-reciprocal", 10),
        ("ieepa-fentanyl", 20),
    ]
    assert all(layer.fact is total for layer in result.layers)
    assert result.layers[0].instrument == "EO 14298; HTS 9903.01.25"
    assert result.total == 30
    # A component's own authority wins over the name lookup.
    tagged = measure(
        "t", exporter="CN", rate=5, components=(Component("x", 5, authority="section-122"),)
    )
    assert stack([tagged], day=date(2026, 3, 1)).layers[0].authority == "section-122"


def test_a_missing_rate_makes_the_total_unknown_not_zero() -> None:
    vague = measure("v", exporter="JP", authority="retaliation", rate=None)
    result = stack([vague], day=date(2025, 6, 1), origin="JP")
    assert result.total is None
    assert "not recorded" in result.total_text


def test_a_product_asked_with_no_product_measure_is_not_product_specific() -> None:
    result = stacked("CN", "soybeans", date(2025, 10, 1))
    assert not result.product_specific
    assert result.total == 30


@pytest.mark.parametrize(
    ("day", "charged"),
    [(date(2025, 5, 1), {"us-ca-border"}), (date(2025, 7, 1), {"steel"})],
)
def test_canada_mexico_priority_between_border_duty_and_metals_reversed_on_4_june(
    day: date, charged: set[str]
) -> None:
    border = measure("us-ca-border", exporter="CA", authority="ieepa-fentanyl", rate=25)
    steel = measure(
        "steel", exporter="WORLD", products=("steel",), authority="section-232", rate=50
    )
    result = stack([border, steel], day=day, product="steel", origin="CA")
    assert {layer.fact.id for layer in result.charged} == charged

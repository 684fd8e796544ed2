"""Product exemptions, measures that leave a product out, layers that ended recently,
and the origin-specific measure that replaces the world one for a product."""

from __future__ import annotations

from datetime import date

from bot.answer.layer_text import stack_lines
from bot.answer.layers import select, stack
from tests.answer.test_layers import PRODUCTS, VOCAB, measure

WORLD_10 = measure(
    "us-world-10", exporter="WORLD", authority="ieepa-reciprocal", rate=10,
    valid_from=date(2025, 4, 5),
)  # fmt: skip
BR_40 = measure(
    "us-br-40", exporter="BR", authority="other", rate=40, valid_from=date(2025, 11, 13),
    products_except=("coffee", "beef"),
)  # fmt: skip
IN_25 = measure(
    "us-in-25", exporter="IN", authority="other", rate=25, valid_from=date(2025, 8, 27),
    valid_to=date(2026, 2, 7),
)  # fmt: skip
AUTOS_25 = measure(
    "us-autos-25", exporter="WORLD", products=("autos",), authority="section-232", rate=25,
    valid_from=date(2025, 4, 3),
)  # fmt: skip
KR_AUTOS_15 = measure(
    "us-kr-autos-15", exporter="KR", products=("autos", "auto-parts"),
    authority="section-232", rate=15, rate_kind="floor", valid_from=date(2025, 11, 1),
)  # fmt: skip
ALL = [WORLD_10, BR_40, IN_25, AUTOS_25, KR_AUTOS_15]


def picked(origin: str, product: str | None, day: date):
    return select(
        ALL, importer="US", origin=origin, product=product, day=day, vocab=VOCAB,
        products=PRODUCTS,
    )  # fmt: skip


def test_farm_goods_leave_the_reciprocal_tariff_from_13_nov_2025() -> None:
    before = stack([WORLD_10], day=date(2025, 11, 12), product="coffee", origin="CO")
    assert before.total == 10
    after = stack([WORLD_10], day=date(2025, 11, 13), product="coffee", origin="CO")
    (layer,) = after.layers
    assert not layer.charged and "farm goods" in (layer.why_not or "")
    assert after.total == 0
    assert [r.id for r in after.rules_used] == ["farm-goods-out-of-reciprocal"]
    steel = stack([WORLD_10], day=date(2025, 11, 13), product="steel", origin="CO")
    assert steel.total == 10  # only the listed goods


def test_a_measure_that_leaves_the_product_out_is_named_not_charged() -> None:
    day = date(2025, 12, 1)
    coffee = picked("BR", "coffee", day)
    assert coffee.excepted == (BR_40,) and BR_40 not in coffee.in_force
    lines = stack_lines(
        stack(list(coffee.in_force), day=day, product="coffee", origin="BR"),
        importer="US",
        excepted=coffee.excepted,
    )
    assert (
        "Not charged: other duty 40% — coffee is left out of this measure (from 13 Nov 2025)."
        in lines
    )
    assert BR_40 in picked("BR", "steel", day).in_force  # other goods still pay it


def test_a_layer_ended_recently_with_nothing_in_its_place_is_named() -> None:
    assert picked("IN", None, date(2026, 2, 12)).ended == (IN_25,)
    assert picked("IN", None, date(2026, 6, 12)).ended == ()  # 90 days on: no longer news
    assert picked("IN", None, date(2026, 1, 12)).ended == ()  # still in force
    lines = stack_lines(
        stack([WORLD_10], day=date(2026, 2, 12), origin="IN"), importer="US", ended=[IN_25]
    )
    assert "No longer charged: other duty 25% — ended on 7 Feb 2026." in lines


def test_for_a_product_the_origins_own_measure_replaces_the_world_one() -> None:
    cars = picked("KR", "autos", date(2025, 12, 10))
    assert KR_AUTOS_15 in cars.in_force and AUTOS_25 not in cars.in_force
    assert AUTOS_25 in picked("JP", "autos", date(2025, 12, 10)).in_force
    assert AUTOS_25 in picked("KR", "autos", date(2025, 10, 10)).in_force  # before 1 Nov

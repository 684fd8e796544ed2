"""A pair's all-goods rate over time from the measures that cover the origin."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.answer.combined import chargeable, layer_ids, step_series
from bot.store.model import Citation, Fact


def measure(fact_id: str, **fields: Any) -> Fact:
    base: dict[str, Any] = {
        "id": fact_id,
        "kind": "tariff_rate",
        "statement": f"measure {fact_id}",
        "valid_from": date(2025, 4, 5),
        "recorded": date(2025, 4, 5),
        "citations": (Citation(f"src-{fact_id}"),),
        "importer": "US",
        "exporter": "WORLD",
        "authority": "ieepa-reciprocal",
        "rate": 10,
        "valid_to": date(2026, 2, 24),
    }
    base.update(fields)
    return Fact(**base)


BASELINE = measure("baseline")
BR_EXTRA = measure("br-40", exporter="BR", authority="other", rate=40, valid_from=date(2025, 8, 6))
JP_OWN = measure("jp-15", exporter="JP", rate=15, valid_from=date(2025, 8, 7))


def steps(facts: list[Fact], origin: str) -> list[tuple[str, float | None, date, date | None]]:
    return [
        (f.id, f.rate, f.valid_from, f.valid_to)
        for f in step_series(facts, origin, lambda a: a or "tariff")
    ]


def test_a_second_authority_adds_and_the_total_is_one_step_citing_both() -> None:
    assert steps([BASELINE, BR_EXTRA], "BR") == [
        ("baseline", 10, date(2025, 4, 5), date(2025, 8, 6)),
        ("baseline+br-40", 50, date(2025, 8, 6), date(2026, 2, 24)),
    ]
    combined = step_series([BASELINE, BR_EXTRA], "BR", lambda a: a or "tariff")[-1]
    assert combined.exporter == "BR" and layer_ids(combined) == ("baseline", "br-40")
    assert [(c.name, c.rate) for c in combined.components] == [
        ("ieepa-reciprocal", 10),
        ("other", 40),
    ]
    assert {c.source_id for c in combined.citations} == {"src-baseline", "src-br-40"}


def test_a_countrys_own_rate_replaces_the_baseline_under_the_same_authority() -> None:
    assert steps([BASELINE, JP_OWN], "JP") == [
        ("baseline", 10, date(2025, 4, 5), date(2025, 8, 7)),
        ("jp-15", 15, date(2025, 8, 7), date(2026, 2, 24)),
    ]
    # (the caller passes only the measures covering the origin: not Japan's for VN)
    assert steps([BASELINE], "VN") == [("baseline", 10, date(2025, 4, 5), date(2026, 2, 24))]


def test_a_floor_is_never_summed_with_another_layer() -> None:
    floor = measure("eu-floor", exporter="EU", authority="other", rate=15, rate_kind="floor")
    found = steps([BASELINE, floor], "EU")
    assert [s[0] for s in found] == ["baseline", "eu-floor"]  # side by side, no sum


def test_only_charged_all_goods_measures_make_steps() -> None:
    assert chargeable(BASELINE)
    assert not chargeable(measure("threat", status="threatened"))
    assert not chargeable(measure("paused", rate_kind="suspended"))
    assert not chargeable(measure("steel", products=("steel",)))
    assert layer_ids(BASELINE) == ("baseline",)

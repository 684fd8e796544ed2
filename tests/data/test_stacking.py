"""Validation of the stacking rules data file (bot/data/stacking.toml)."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from importlib import resources
from typing import Any

import pytest

from bot.answer.stacking_rules import (
    EFFECTS,
    StackingError,
    load_stacking_rules,
    parse_stacking,
)
from bot.products import load_products
from bot.store.model import AUTHORITIES
from bot.vocabulary import load_vocabulary


def bundled() -> dict[str, Any]:
    return tomllib.loads(resources.files("bot.data").joinpath("stacking.toml").read_text())


def test_the_bundled_rules_load_and_cover_every_effect() -> None:
    rules = load_stacking_rules()
    assert {r.effect for r in rules.rules} == set(EFFECTS)
    assert set(rules.authority_labels) == set(AUTHORITIES)
    assert set(rules.component_authorities.values()) <= set(AUTHORITIES)


def test_every_rule_is_sourced_with_a_quote_and_a_confidence() -> None:
    for rule in load_stacking_rules().rules:
        assert rule.source.url.startswith("https://"), rule.id
        assert len(rule.source.quote) > 40, rule.id
        assert rule.source.confidence in ("high", "medium"), rule.id
        assert rule.source.published >= date(2018, 1, 1), rule.id
        assert rule.summary.endswith("."), rule.id


def test_rule_origins_are_known_parties_and_products_known_groups() -> None:
    vocab, products = load_vocabulary(), load_products()
    for rule in load_stacking_rules().rules:
        assert set(rule.origins) <= set(vocab.parties), rule.id
        named = set(rule.products) | set(rule.excluded_products)
        named |= {p for tier in rule.order for p in tier}
        assert named <= set(products.groups), rule.id


def test_the_key_dated_rules_of_model_md_are_present() -> None:
    rules = load_stacking_rules()
    exempt = rules.rule("s232-exempt-from-reciprocal")
    assert exempt.valid_from == date(2025, 4, 2) and exempt.excluded == ("ieepa-reciprocal",)
    split = rules.rule("metals-share-reciprocal")
    assert split.valid_from == date(2025, 6, 4) and "steel" in split.products
    s122 = rules.rule("metals-share-s122")
    assert s122.valid_from == date(2026, 2, 24) and s122.other == ("section-122",)
    order = rules.rule("s232-transport-precedence").order
    assert order[:3] == (("autos",), ("trucks",), ("auto-parts",))
    adds = {a for r in rules.rules if r.effect == "adds" for a in r.authorities}
    assert {"ieepa-fentanyl", "section-301", "ad-cvd"} <= adds


def test_only_active_rules_are_returned_for_a_day() -> None:
    rules = load_stacking_rules()
    before = {r.id for r in rules.active(date(2025, 5, 1), "share")}
    after = {r.id for r in rules.active(date(2025, 7, 1), "share")}
    assert "metals-share-reciprocal" not in before
    assert "metals-share-reciprocal" in after


def broken(change) -> dict[str, Any]:
    data = copy.deepcopy(bundled())
    change(data)
    return data


def first_excludes(data: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["effect"] == "excludes")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: first_excludes(d).update(authority="section-999"), "unknown authority"),
        (lambda d: first_excludes(d).update(excluded=["tariff"]), "unknown authority 'tariff'"),
        (lambda d: d["rules"][0].update(effect="stacks"), "unknown effect 'stacks'"),
        (lambda d: d["rules"][0].update(valid_from="2025-01-01"), "must be a date"),
        (
            lambda d: d["rules"][0].update(valid_from=date(2025, 5, 1), valid_to=date(2025, 4, 1)),
            "must be after valid_from",
        ),
        (lambda d: first_excludes(d).update(products=["widgets"]), "unknown product group"),
        (lambda d: d["rules"][0].pop("summary"), "`summary` is required"),
        (lambda d: d["rules"][0]["source"].pop("quote"), "`quote` is required"),
        (lambda d: d["rules"][0]["source"].update(confidence="sure"), "confidence 'sure'"),
        (lambda d: d["rules"][0].update(order=[["autos"]]), "is not used by effect"),
        (lambda d: first_excludes(d).pop("excluded"), "needs `excluded`"),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "is defined twice"),
        (lambda d: d["phrases"].pop("total"), "`total` is required"),
        (lambda d: d["authorities"].pop("section-232"), "label every authority"),
        (lambda d: d["components"].update(x="ieepa"), "unknown authority 'ieepa'"),
    ],
)
def test_a_mistake_in_the_file_is_one_clear_error(change, message: str) -> None:
    with pytest.raises(StackingError, match=message) as caught:
        parse_stacking(broken(change))
    assert str(caught.value).startswith("stacking.toml: ")
    assert "\n" not in str(caught.value)


def test_two_rules_excluding_each_other_at_the_same_time_are_refused() -> None:
    def cycle(data: dict[str, Any]) -> None:
        rule = next(r for r in data["rules"] if r["id"] == "border-duty-excludes-metals")
        rule.pop("valid_to")  # now overlaps metals-exclude-border-duty from 4 Jun 2025

    with pytest.raises(StackingError, match="exclude each other"):
        parse_stacking(broken(cycle))

"""The bundled kind registry (bot/data/kinds.toml) is complete and agrees with the code."""

from __future__ import annotations

import dataclasses

from bot import kinds
from bot.store.model import MEASURE_STATUSES, Fact
from bot.store.validate_kind import HELP, RULES


def test_the_bundled_kinds_load_in_their_order() -> None:
    assert kinds.load_kinds().names == (
        "tariff_rate",
        "court_ruling",
        "negotiation_status",
        "deal_status",
        "deadline",
        "leader_contact",
        "trade_rule",  # de minimis and other customs rules (issue 13), a data-only kind
    )


def test_every_kind_has_names_for_answers_alerts_and_forms() -> None:
    for spec in kinds.load_kinds().kinds.values():
        assert spec.label and spec.topic and spec.words, spec.name
        assert spec.form_value and len(spec.form_hint) <= 45, spec.name


def test_tariff_measures_take_the_measure_statuses_and_fields() -> None:
    tariff = kinds.kind("tariff_rate")
    assert tariff.statuses == MEASURE_STATUSES
    measure = {"origins", "origins_except", "products", "products_except", "authority"}
    assert measure | {"instrument", "rate_kind"} <= tariff.fields
    for name in kinds.load_kinds().names[1:]:
        assert not measure & kinds.kind(name).fields, name


def test_every_event_kind_takes_the_issue_attributes() -> None:
    """Events have a home for place, participants, instruments, vote, case, decision, why."""
    wanted = {"place", "participants", "instruments", "vote", "case", "decided", "why"}
    offered = set()
    for name in kinds.load_kinds().names[1:]:
        spec = kinds.kind(name)
        offered |= set(spec.attributes)
        assert {"decided", "why", "why_quote"} <= set(spec.attributes), name
    assert wanted <= offered
    assert kinds.load_kinds().attributes["why_quote"].supports == "why"


def test_the_code_knows_every_field_and_check_the_data_may_name() -> None:
    fact_fields = {f.name for f in dataclasses.fields(Fact)}
    assert set(kinds.KIND_FIELDS) <= fact_fields
    assert kinds.COMMON_FIELDS - {"citations", "retracted"} <= fact_fields | {"citations"}
    assert set(RULES) == set(kinds.CHECKS)
    assert set(HELP) <= set(kinds.KIND_FIELDS)


def test_the_answer_topic_words_come_from_the_registry() -> None:
    assert kinds.topic_word("negotiation_status") == "trade talks"
    assert kinds.topic_word("court_ruling") == "court rulings on the tariffs"
    assert kinds.label("leader_contact") == "contact between leaders"
    assert kinds.topic_word("no_such_kind") == "no such kind"

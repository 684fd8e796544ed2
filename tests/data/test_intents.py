"""Validation of the intent rules and answer templates data files."""

import string

import pytest

from bot.answer.compose import load_templates
from bot.understand.rules import INTENT_NAMES, RulesError, expand, load_rules, parse_rules


def test_rules_file_loads_with_every_intent() -> None:
    rules = load_rules()
    assert set(rules.intents) == set(INTENT_NAMES)
    for intent in rules.intents.values():
        assert intent.examples and intent.suggestion and intent.description


def test_anchor_phrases_name_bundled_facts(bundled_store) -> None:
    for phrase, fact_id in load_rules().anchors.items():
        assert bundled_store.get(fact_id, missing_ok=True) is not None, phrase


def test_expand_alternations_and_optional_parts() -> None:
    assert sorted(expand("(a|b) c [d]")) == ["a c", "a c d", "b c", "b c d"]
    assert expand("plain") == ["plain"]


def minimal(**override):
    intents = [
        {"name": n, "description": "d", "suggestion": "s", "examples": ["x y"]}
        for n in INTENT_NAMES
    ]
    intents[0].update(override)
    return {"intents": intents}


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"name": "weather"}, "name must be one of"),
        ({"examples": ["what is {planet}"]}, "unknown slot {planet}"),
        ({"examples": ["(a|b c"]}, "unbalanced"),
        ({"examples": []}, "needs at least one example"),
        ({"requires": ["tariff"]}, "list of word groups"),
        ({"suggestion": ""}, "suggestion is required"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_invalid_rules_are_rejected_with_the_intent_named(override, message) -> None:
    with pytest.raises(RulesError, match=message):
        parse_rules(minimal(**override))


def test_templates_use_only_known_placeholders() -> None:
    allowed = {
        "subject",
        "value",
        "since",
        "replaced",
        "components",
        "until",
        "disputed",
        "exporter",
        "before",
        "after",
        "day",
        "when",
        "pairs",
        "topic",
        "status",
        "statement",
        "items",
        "court",
        "due",
        "relative",
        "subject_lower",
        "basis",
        "title",
        "publisher",
        "published",
        "url",
        "quote",
        "titles",
        "recorded",
        "confidence",
        "topics",
        "newest",
        "count",
        "article",
        "publishers",
        "today",
        "quoted",
        "then",
        "now",
        "label",
        "owner",
        "product",
        "origin",
        "first",
        "second",
        "which",
        "cutoff",
        "line",
    }
    for section, entries in load_templates().items():
        for key, text in entries.items():
            names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert names <= allowed, (section, key, names - allowed)


def test_party_keywords_name_known_parties() -> None:
    import re as _re
    from importlib import resources

    from bot.vocabulary import load_vocabulary

    text = resources.files("bot.data").joinpath("intents.toml").read_text(encoding="utf-8")
    codes = set(_re.findall(r"\{country:(\w+)\}", text))
    assert codes and codes <= set(load_vocabulary().parties)

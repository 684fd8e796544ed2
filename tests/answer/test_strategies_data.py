"""Intents map to strategies in data: a new intent added only in a data folder is
understood and answered (generic `status` strategy); the answer side never reads words."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from bot import datafiles
from bot.kinds import load_kinds
from bot.service import Assistant
from bot.understand.query_flags import load_query_words
from bot.understand.rules import RulesError, load_rules
from tests.conftest import MOD

ANSWER = Path(__file__).resolve().parents[2] / "bot" / "answer"
DAY = date(2025, 9, 1)
NEW_KIND = """

[[kinds]]
name = "quota_status"
label = "tariff-rate quota"
topic = "tariff-rate quotas"
words = ["quotas", "quota"]
required = ["status", "parties"]
"""
NEW_INTENT = """

[[intents]]
name = "quota_status"
strategy = "status"
kind = "quota_status"
description = "where a tariff-rate quota stands"
suggestion = "Where does the EU steel quota stand?"
examples = ["where does the {country} (steel|aluminum) quota stand",
  "what is the status of the {country} quota", "is the {country} quota (agreed|settled)"]
requires = [[["quota", "quotas"]]]
boost = ["quota", "quotas", "steel"]
"""


def packaged(name: str) -> str:
    return (Path(datafiles.__file__).parent / "data" / name).read_text("utf-8")


@pytest.fixture
def overlay(tmp_path, monkeypatch):
    """A data folder with the packaged intents.toml plus an intent, and the packaged
    kinds.toml plus `NEW_KIND`: the only change for a new kind of question."""

    def write(extra_intent: str) -> Path:
        (tmp_path / "intents.toml").write_text(packaged("intents.toml") + extra_intent, "utf-8")
        (tmp_path / "kinds.toml").write_text(packaged("kinds.toml") + NEW_KIND, "utf-8")
        monkeypatch.setenv(datafiles.DATA_DIR_ENV, str(tmp_path))
        load_query_words.cache_clear()
        load_kinds.cache_clear()
        return tmp_path

    yield write
    monkeypatch.delenv(datafiles.DATA_DIR_ENV, raising=False)
    load_query_words.cache_clear()
    load_kinds.cache_clear()


def test_a_kind_and_intent_added_only_in_data_are_answered_by_the_generic_strategy(
    fresh_db, overlay
) -> None:
    overlay(NEW_INTENT)
    fresh_db.add(
        {
            "id": "eu-steel-quota",
            "kind": "quota_status",
            "subject": "EU steel quota",
            "parties": ["US", "EU"],
            "status": "pending",
            "statement": "The EU and the US are negotiating a tariff-rate quota for steel.",
            "valid_from": "2025-08-01",
            "recorded": "2025-08-20",
            "citations": [{"source": "src-a", "quote": "a quota for steel is being discussed"}],
        },
        by=MOD,
        reason="seed",
    )
    assistant = Assistant(fresh_db)
    a = assistant.ask("What is the status of the EU steel quota?", DAY)
    assert a.intent == "quota_status" and a.outcome == "answer"
    assert "negotiating a tariff-rate quota for steel" in a.text and "pending" in a.text
    assert "Example News" in a.text and "a quota for steel is being discussed" in a.text
    assert a.facts == ["eu-steel-quota"]
    before = assistant.ask("What is the status of the EU steel quota?", date(2025, 7, 1))
    assert before.outcome == "no_record" and "tariff-rate quotas involving EU" in before.text


def test_an_intent_naming_no_strategy_or_an_unknown_one_fails_at_load(fresh_db, overlay) -> None:
    overlay(NEW_INTENT.replace('strategy = "status"\n', ""))
    with pytest.raises(RulesError, match="must name the strategy"):
        load_rules()
    overlay(NEW_INTENT.replace('strategy = "status"', 'strategy = "statsu"'))
    with pytest.raises(ValueError, match="intent 'quota_status' names strategy 'statsu'"):
        Assistant(fresh_db)


FORBIDDEN_MODULES = ("bot.understand",)
FORBIDDEN_ATTRIBUTES = {"words", "tokens", "matchable", "mentions", "normalised", "direction"}


def answer_modules() -> list[Path]:
    return sorted(ANSWER.rglob("*.py"))


@pytest.mark.parametrize("path", answer_modules(), ids=lambda p: str(p.relative_to(ANSWER)))
def test_the_answer_side_never_imports_understanding_or_reads_words(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith(FORBIDDEN_MODULES), (path, node.module)
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith(FORBIDDEN_MODULES), (path, alias.name)
        if isinstance(node, ast.Attribute):
            assert node.attr not in FORBIDDEN_ATTRIBUTES, (path, node.attr, node.lineno)


def test_the_guard_catches_what_it_forbids(tmp_path) -> None:
    bad = "from bot.understand.engine import Understanding\nu.words\n"
    tree = ast.parse(bad)
    imports = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    reads = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)]
    assert imports[0].startswith(FORBIDDEN_MODULES) and reads[0] in FORBIDDEN_ATTRIBUTES


@pytest.mark.parametrize(
    "path",
    [ANSWER / n for n in ("compose.py", "kit.py", "answer.py", "names.py", "views.py")]
    + sorted((ANSWER / "strategies").glob("*.py")),
    ids=lambda p: p.name,
)
def test_strategy_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path

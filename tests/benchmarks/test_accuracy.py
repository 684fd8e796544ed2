"""benchmarks/accuracy.py runs from a clone: the scorers path on a tiny set, and the
vendored CLINC150 splits it reads."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from bot.evaluation import load_items
from bot.service import open_store
from bot.understand.engine import SCORERS
from tests.conftest import REPO


@pytest.fixture(scope="module")
def accuracy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("accuracy", REPO / "benchmarks" / "accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_sets(accuracy) -> dict[str, list[dict]]:
    items = load_items(accuracy.EVAL / "dev.jsonl")[:4]
    return {"dev": items, "heldout_all": []}  # an empty set must not divide by zero


@pytest.mark.parametrize("clinc_sets", [{}, {"val": ["what is my bank balance", "play jazz"]}])
def test_scorers_report_on_a_tiny_set(accuracy, tiny_sets, clinc_sets) -> None:
    store = open_store(":memory:")
    try:
        report = accuracy.scorer_report(store, tiny_sets, clinc_sets)
    finally:
        store.close()
    assert set(report) == set(SCORERS)
    for scores in report.values():
        assert 0 <= scores["dev"] <= 1 and "heldout_all" not in scores
        assert ("clinc_val" in scores) == bool(clinc_sets)


def test_clinc_splits_are_vendored_with_their_licence(accuracy) -> None:
    splits = accuracy.clinc()
    assert {name: len(questions) for name, questions in splits.items()} == {
        "val": 3000,
        "oos_val": 100,
    }
    folder = accuracy.CLINC.parent
    assert folder.is_relative_to(REPO)
    assert "Attribution 3.0" in (folder / "LICENSE").read_text()
    readme = (folder / "README.md").read_text()
    assert "Larson" in readme and "https://github.com/clinc/oos-eval" in readme

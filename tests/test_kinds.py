"""The kind registry: lookups, load-time checks of kinds.toml, and a kind added in data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from bot import kinds
from bot.datafiles import DATA_DIR_ENV
from bot.store import FactStore, Source, ValidationError
from bot.store import model as store_model
from tests.conftest import MOD

BUNDLED = resources.files("bot.data").joinpath("kinds.toml").read_text(encoding="utf-8")

QUOTA_KIND = """
[[kinds]]
name = "quota_status"
label = "tariff-rate quota"
topic = "tariff-rate quotas"
words = ["quotas"]
required = ["status", "parties"]
attributes = ["place"]
form_hint = "Status; place: …"
"""


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder whose kinds.toml replaces the bundled one; caches cleared around."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    kinds.load_kinds.cache_clear()
    yield tmp_path
    monkeypatch.delenv(DATA_DIR_ENV)
    kinds.load_kinds.cache_clear()


def test_lookups() -> None:
    registry = kinds.load_kinds()
    assert registry.by_word("Court Rulings") == "court_ruling"
    assert registry.by_word("deadline") == "deadline"
    assert registry.by_word("weather") is None
    assert registry.kinds_with("court") == ("court_ruling",)
    assert registry.clauses("tariff_rate")[:3] == ("products", "products_except", "origins")
    assert kinds.kind("deadline").form_value == ("status", "due")
    with pytest.raises(KeyError, match="not a known kind; use one of: tariff_rate"):
        kinds.kind("rumour")


def test_model_kinds_is_read_from_the_registry() -> None:
    from bot.store.model import KINDS

    assert KINDS == kinds.kind_names() == store_model.KINDS
    with pytest.raises(AttributeError):
        store_model.NO_SUCH_NAME  # noqa: B018


def test_a_kind_added_in_an_overlay_is_accepted_by_the_store(overlay: Path) -> None:
    (overlay / "kinds.toml").write_text(BUNDLED + QUOTA_KIND, encoding="utf-8")
    assert store_model.KINDS[-1] == "quota_status"
    store = FactStore.open(":memory:")
    try:
        store.put_source(Source("src-a", "https://example.org/a", "A", "News", date(2025, 6, 1)))
        raw = {
            "id": "eu-quota",
            "kind": "quota_status",
            "parties": ["EU", "US"],
            "status": "quota filled",
            "statement": "The EU steel quota for US goods is filled.",
            "valid_from": "2025-07-01",
            "recorded": "2025-07-02",
            "citations": [{"source": "src-a"}],
            "attributes": {"place": "Brussels"},
        }
        fact = store.add(raw, by=MOD, reason="a new kind in data")
        assert (fact.kind, fact.attribute("place")) == ("quota_status", "Brussels")
        with pytest.raises(ValidationError, match="only applies to tariff_rate facts"):
            store.add({**raw, "id": "eu-quota-2", "rate": 5}, by=MOD, reason="no rate")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (QUOTA_KIND.replace('"place"', '"weather"'), "unknown attribute 'weather'"),
        (QUOTA_KIND.replace('"status", "parties"', '"status", "colour"'), "unknown field"),
        (QUOTA_KIND.replace("quota_status", "deadline"), "'deadline' is defined twice"),
        (QUOTA_KIND + 'checks = ["be_nice"]\n', "unknown check 'be_nice'"),
        (QUOTA_KIND + 'colour = "red"\n', "unknown key `colour`"),
        (QUOTA_KIND.replace('words = ["quotas"]', 'words = ["talks"]'), "names both"),
        (QUOTA_KIND.replace('label = "tariff-rate quota"', ""), "`label` is required"),
        ('\n[attributes.mood]\ntype = "feeling"\nhelp = "x"\n', "type 'feeling'"),
        ('\n[attributes.status]\ntype = "text"\nhelp = "x"\n', "share a fact field's name"),
        ("\n[[kinds]\n", "not valid TOML"),
    ],
)
def test_a_broken_kinds_file_is_one_clear_error_at_load(
    overlay: Path, text: str, fragment: str
) -> None:
    (overlay / "kinds.toml").write_text(BUNDLED + text, encoding="utf-8")
    with pytest.raises(kinds.KindsError, match=r"kinds\.toml") as err:
        kinds.load_kinds()
    assert fragment in str(err.value)

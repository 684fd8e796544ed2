"""Facts files: errors with file/fact/field, all-or-nothing loads, idempotency, export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.store import FactStore
from bot.store.facts_files import (
    FactsFileError,
    bundled_facts_dir,
    export_facts,
    load_facts,
)
from tests.conftest import MOD

GOOD = """\
title = "Test topic"

[[sources]]
id = "src-x"
url = "https://example.org/x"
title = "Example X"
publisher = "Example News"
published = 2025-06-01

[[facts]]
id = "us-jp-rate"
kind = "tariff_rate"
importer = "US"
exporter = "JP"
rate = 25
statement = "The US applies a 25% tariff on Japanese cars."
valid_from = 2025-04-03
citations = [{ source = "src-x" }]
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads_and_records_the_file_as_author(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    path = write(tmp_path, "us-japan.toml", GOOD)
    report = load_facts(store, [path])
    assert report.created == ["us-jp-rate"]
    fact = store.require("us-jp-rate")
    assert fact.topic == "us-japan"
    assert str(fact.recorded) == "2025-06-01"  # defaults to the newest cited source's date
    [rev] = store.history("us-jp-rate")
    assert rev.author.startswith("file:") and rev.author.endswith("us-japan.toml")


def test_bad_date_is_reported_with_file_fact_and_field(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    path = write(tmp_path, "us-japan.toml", GOOD.replace("2025-04-03", '"2025-13-01"'))
    with pytest.raises(FactsFileError) as err:
        load_facts(store, [path])
    assert any(
        p.endswith(
            "us-japan.toml, fact us-jp-rate: valid_from: '2025-13-01' is not a date YYYY-MM-DD"
        )
        for p in err.value.problems
    ), err.value.problems
    assert store.facts(include_retracted=True) == [] and store.sources() == {}


def test_one_invalid_file_loads_nothing_at_all(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    good = write(tmp_path, "a.toml", GOOD)
    bad = write(
        tmp_path, "b.toml", GOOD.replace("us-jp-rate", "other").replace("rate = 25", "rate = 2500")
    )
    with pytest.raises(FactsFileError) as err:
        load_facts(store, [good, bad])
    assert any("b.toml, fact other: rate" in p for p in err.value.problems)
    assert store.facts(include_retracted=True) == []


def test_toml_syntax_error_and_unknown_keys_are_reported(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    broken = write(tmp_path, "broken.toml", 'title = "x"\n[[facts]\n')
    typo = write(tmp_path, "typo.toml", GOOD.replace("valid_from", "valid_form"))
    with pytest.raises(FactsFileError) as err:
        load_facts(store, [broken, typo])
    text = "\n".join(err.value.problems)
    assert "broken.toml: not valid TOML" in text
    assert "typo.toml, fact us-jp-rate: valid_form: unknown field" in text
    assert "typo.toml, fact us-jp-rate: valid_from: is required" in text


def test_same_fact_id_in_two_files_is_rejected(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", GOOD)
    with pytest.raises(FactsFileError, match="also used in"):
        load_facts(store, [a, b])


def test_loading_twice_is_idempotent(bundled_store: FactStore) -> None:
    before = len(bundled_store.revisions_since(0, limit=10_000))
    report = load_facts(bundled_store, [bundled_facts_dir()])
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == len(bundled_store.facts(include_retracted=True))
    assert len(bundled_store.revisions_since(0, limit=10_000)) == before


def test_changed_file_makes_a_revision_attributed_to_the_file(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    path = write(tmp_path, "us-japan.toml", GOOD)
    load_facts(store, [path])
    path.write_text(GOOD.replace("rate = 25", "rate = 15").replace("25%", "15%"))
    report = load_facts(store, [path])
    assert report.updated == ["us-jp-rate"]
    fact = store.require("us-jp-rate")
    assert (fact.rate, fact.revision) == (15, 2)
    last = store.history("us-jp-rate")[-1]
    assert last.author.startswith("file:") and "changed" in last.reason
    assert len(store.facts(include_retracted=True)) == 1  # no duplicate


def test_moderator_edit_survives_reloading_an_unchanged_file(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    path = write(tmp_path, "us-japan.toml", GOOD)
    load_facts(store, [path])
    store.update(
        "us-jp-rate",
        {"rate": 27.5, "statement": "The US applies 27.5% on cars."},
        base_revision=1,
        by=MOD,
        reason="new order",
    )
    load_facts(store, [path])
    assert store.require("us-jp-rate").rate == 27.5


def test_fact_removed_from_file_is_kept_with_a_warning(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    path = write(tmp_path, "us-japan.toml", GOOD)
    load_facts(store, [path])
    path.write_text(GOOD.split("[[facts]]")[0])
    report = load_facts(store, [path])
    assert store.require("us-jp-rate") is not None
    assert any("no longer in the file" in w for w in report.warnings)


def test_retracted_field_in_file_retracts_once(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    path = write(
        tmp_path,
        "t.toml",
        GOOD.replace("valid_from = 2025-04-03", 'valid_from = 2025-04-03\nretracted = "wrong"'),
    )
    report = load_facts(store, [path])
    assert report.retracted == ["us-jp-rate"] and store.require("us-jp-rate").retracted
    assert load_facts(store, [path]).retracted == []


def test_export_round_trip_is_lossless(bundled_store: FactStore, tmp_path: Path) -> None:
    bundled_store.retract("us-cn-talks-geneva", by=MOD, reason="test retraction")
    first = tmp_path / "first"
    export_facts(bundled_store, first)
    assert (first / "documents" / "britishwire-2025-05-30.txt").is_file()

    copy = FactStore.open(":memory:")
    load_facts(copy, [first])
    original = {
        f.id: (f.content(), f.retracted) for f in bundled_store.facts(include_retracted=True)
    }
    loaded = {f.id: (f.content(), f.retracted) for f in copy.facts(include_retracted=True)}
    assert loaded == original
    assert {s.id: s.content() for s in copy.sources().values()} == {
        s.id: s.content() for s in bundled_store.sources().values()
    }

    second = tmp_path / "second"
    export_facts(copy, second)
    for path in first.rglob("*"):
        if path.is_file():
            assert (second / path.relative_to(first)).read_bytes() == path.read_bytes(), path


def test_bundled_files_reload_unchanged_from_an_exported_copy(tmp_path: Path) -> None:
    """Exported files loaded over the store they came from change nothing."""
    store = FactStore.open(":memory:")
    shutil.copytree(bundled_facts_dir(), tmp_path / "facts")
    load_facts(store, [tmp_path / "facts"])
    export_facts(store, tmp_path / "out")
    report = load_facts(store, [tmp_path / "out"])
    assert report.updated == [] and report.created == []

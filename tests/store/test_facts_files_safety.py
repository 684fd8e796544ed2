"""Facts files read only inside their folder, export writes only inside its target, and a
file never changes or replaces a stored source."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import FactStore, StoreError
from bot.store.facts_files import FactsFileError, export_facts, load_facts
from tests.conftest import MOD, rate_fact
from tests.store.test_facts_files import GOOD, write

WITH_DOCUMENT = GOOD.replace(
    "published = 2025-06-01\n", 'published = 2025-06-01\ndocument = "{document}"\n', 1
).replace(
    'citations = [{ source = "src-x" }]', 'citations = [{ source = "src-x", quote = "secret" }]'
)


def load_with_document(folder: Path, document: str) -> FactStore:
    store = FactStore.open(":memory:")
    path = write(folder, "us-japan.toml", WITH_DOCUMENT.replace("{document}", document))
    load_facts(store, [path])
    return store


@pytest.mark.parametrize("document", ["../secret.txt", "{abs}", "documents/../../secret.txt"])
def test_a_document_outside_the_facts_folder_is_refused(tmp_path: Path, document: str) -> None:
    secret = write(tmp_path, "secret.txt", "secret text")
    document = document.replace("{abs}", str(secret))
    with pytest.raises(FactsFileError, match="is outside the facts folder") as err:
        load_with_document(tmp_path / "facts", document)
    assert len(err.value.problems) == 1 and "secret text" not in str(err.value)


def test_a_symlink_pointing_out_of_the_folder_counts_as_outside(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "secret text")
    folder = tmp_path / "facts"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "link.txt").symlink_to(secret)
    with pytest.raises(FactsFileError, match=r"'documents/link\.txt' is outside the facts folder"):
        load_with_document(folder, "documents/link.txt")


def test_a_document_inside_the_folder_still_loads(tmp_path: Path) -> None:
    folder = tmp_path / "facts"
    write(folder / "documents", "x.txt", "The secret rate.")
    store = load_with_document(folder, "documents/x.txt")
    assert store.require_source("src-x").document == "The secret rate."


def test_export_refuses_topics_that_would_leave_the_folder(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    load_facts(store, [write(tmp_path / "in", "us-japan.toml", GOOD)])
    store.db.execute("UPDATE facts SET topic = '../../escaped'")  # data from an old store
    target = tmp_path / "a" / "b" / "out"
    with pytest.raises(StoreError, match=r"topic '\.\./\.\./escaped' cannot be a file name"):
        export_facts(store, target)
    assert not list(tmp_path.rglob("escaped*"))


def test_export_refuses_document_paths_that_would_leave_the_folder(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    folder = tmp_path / "in"
    write(folder / "documents", "x.txt", "The secret rate.")
    load_facts(
        store,
        [write(folder, "us-japan.toml", WITH_DOCUMENT.replace("{document}", "documents/x.txt"))],
    )
    store.db.execute("UPDATE sources SET document_file = '../../outside.txt'")
    target = tmp_path / "a" / "out"
    with pytest.raises(StoreError, match=r"outside .*nothing was written"):
        export_facts(store, target)
    assert not (tmp_path / "outside.txt").exists() and not list(target.iterdir())


def test_export_into_a_symlinked_subfolder_pointing_out_is_refused(
    fresh_db: FactStore, tmp_path: Path
) -> None:
    fresh_db.add(
        rate_fact(citations=[{"source": "doc-b", "quote": "raised to 40%"}]), by=MOD, reason="seed"
    )
    target, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    target.mkdir()
    elsewhere.mkdir()
    (target / "documents").symlink_to(elsewhere)
    with pytest.raises(StoreError, match=r"documents/doc-b\.txt would be written outside"):
        export_facts(fresh_db, target)
    assert not list(elsewhere.iterdir())


def test_a_file_cannot_retitle_or_take_the_id_of_a_stored_source(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    load_facts(store, [write(tmp_path / "a", "us-japan.toml", GOOD)])
    retitled = GOOD.replace('title = "Example X"', 'title = "Example X, new"')
    with pytest.raises(
        FactsFileError, match="already cited as 'Example X' \\(you gave 'Example X, new'\\)"
    ):
        load_facts(store, [write(tmp_path / "b", "us-japan.toml", retitled)])
    moved = GOOD.replace("https://example.org/x", "https://example.org/elsewhere")
    with pytest.raises(
        FactsFileError, match=r"'src-x' is already the source https://example\.org/x"
    ):
        load_facts(store, [write(tmp_path / "c", "us-japan.toml", moved)])
    assert store.require_source("src-x").title == "Example X"
    assert store.require_source("src-x").url == "https://example.org/x"


def test_the_bundled_facts_correct_a_source_title_as_a_recorded_revision(
    tmp_path: Path,
) -> None:
    store = FactStore.open(":memory:")
    load_facts(store, [write(tmp_path / "a", "us-japan.toml", GOOD)])
    retitled = GOOD.replace('title = "Example X"', 'title = "Example X, as the page says"')
    report = load_facts(
        store, [write(tmp_path / "b", "us-japan.toml", retitled)], correct_sources=True
    )
    assert report.sources_corrected == ["src-x"]
    assert store.require_source("src-x").title == "Example X, as the page says"
    (revision,) = store.source_history("src-x")
    assert "corrected in" in revision.reason
    again = load_facts(
        store, [write(tmp_path / "c", "us-japan.toml", retitled)], correct_sources=True
    )
    assert again.sources_corrected == []  # idempotent
    store.edit_source("src-x", {"title": "Example X (moderator)"}, by=MOD, reason="typo")
    with pytest.raises(FactsFileError, match="already cited as 'Example X \\(moderator\\)'"):
        load_facts(store, [write(tmp_path / "e", "us-japan.toml", GOOD)], correct_sources=True)
    moved = retitled.replace("https://example.org/x", "https://example.org/elsewhere")
    with pytest.raises(FactsFileError, match="already the source"):  # a URL is never moved
        load_facts(store, [write(tmp_path / "d", "us-japan.toml", moved)], correct_sources=True)


def test_a_file_citing_a_stored_source_unchanged_loads(tmp_path: Path) -> None:
    store = FactStore.open(":memory:")
    load_facts(store, [write(tmp_path / "a", "us-japan.toml", GOOD)])
    again = GOOD.replace('id = "us-jp-rate"', 'id = "us-jp-rate-2"')
    again = again.replace('exporter = "JP"', 'exporter = "KR"')  # no overlap with the first
    report = load_facts(store, [write(tmp_path / "b", "other.toml", again)])
    assert report.created == ["us-jp-rate-2"]

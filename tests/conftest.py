"""Shared fixtures: a fresh empty store, a store with the bundled facts, a file database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.store import Author, FactStore, Source
from bot.store.facts_files import bundled_facts_dir, load_facts

REPO = Path(__file__).resolve().parents[1]
MOD = Author("Test Moderator", "1234")


@pytest.fixture
def fresh_db() -> Iterator[FactStore]:
    """An empty in-memory store with one plain source (`src-a`) and one held document."""
    store = FactStore.open(":memory:")
    store.put_source(
        Source("src-a", "https://example.org/a", "Example A", "Example News", date(2025, 6, 1))
    )
    store.put_source(
        Source(
            "doc-b",
            "https://example.org/b",
            "Held document B",
            "Example",
            date(2025, 6, 2),
            document="The tariff was raised to 40% today.",
        )
    )
    yield store
    store.close()


@pytest.fixture
def bundled_store() -> Iterator[FactStore]:
    store = FactStore.open(":memory:")
    load_facts(store, [bundled_facts_dir()])
    yield store
    store.close()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "tradebot.db"


def rate_fact(**overrides: object) -> dict[str, object]:
    """A valid raw tariff_rate fact citing `src-a`; override any field."""
    raw: dict[str, object] = {
        "id": "xx-rate",
        "kind": "tariff_rate",
        "importer": "US",
        "exporter": "JP",
        "rate": 25,
        "statement": "The US applies a 25% tariff on Japanese cars.",
        "valid_from": "2025-04-03",
        "recorded": "2025-06-01",
        "citations": [{"source": "src-a"}],
    }
    raw.update(overrides)
    return raw


@pytest.fixture(scope="session")
def assistant_factory():
    """Build an Assistant over a fresh in-memory store with the bundled facts."""
    from bot.service import Assistant, open_store

    def build(**kwargs: object) -> Assistant:
        return Assistant(open_store(":memory:"), **kwargs)  # type: ignore[arg-type]

    return build


@pytest.fixture(scope="session")
def assistant(assistant_factory):
    """A shared read-only assistant (tests that write build their own)."""
    return assistant_factory()

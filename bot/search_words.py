"""The word lists of full-text retrieval, read once from `bot/data/retrieval.toml`:
function words left out of a question's terms, words too common in the facts to count
as a match, the trade words that put a question inside the topic gate, and the words
that put it outside (definitions, prices, statistics)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from bot import datafiles

KEYS = ("stop_words", "generic_words", "domain_words", "off_topic_words")


class SearchWordsError(ValueError):
    pass


@dataclass(frozen=True)
class RetrievalWords:
    stop: frozenset[str]
    generic: frozenset[str]
    domain: frozenset[str]
    off_topic: frozenset[str] = frozenset()


def parse_retrieval_words(data: dict) -> RetrievalWords:
    try:
        found = datafiles.word_lists(data, KEYS, "retrieval.toml")
    except ValueError as exc:
        raise SearchWordsError(str(exc)) from None
    extra = set(data) - set(KEYS)
    if extra:
        raise SearchWordsError(f"retrieval.toml: unknown key(s) {', '.join(sorted(extra))}")
    lists = {key: frozenset(words) for key, words in found.items()}
    return RetrievalWords(
        lists["stop_words"],
        lists["generic_words"],
        lists["domain_words"],
        lists["off_topic_words"],
    )


@lru_cache(maxsize=1)
def load_retrieval_words() -> RetrievalWords:
    return parse_retrieval_words(tomllib.loads(datafiles.read_text("retrieval.toml")))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words (bot/data/common_words.txt): never "corrected" into names,
    and never enough on their own to tell which fact a question means."""
    text = datafiles.read_text("common_words.txt")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))

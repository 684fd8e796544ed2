"""Validation of the retrieval word lists (bot/data/retrieval.toml)."""

from __future__ import annotations

import tomllib

import pytest

from bot import datafiles
from bot.search_words import SearchWordsError, load_retrieval_words, parse_retrieval_words


def test_the_bundled_lists_load_and_do_not_contradict_each_other() -> None:
    words = load_retrieval_words()
    assert {"the", "what", "when"} <= words.stop
    assert {"ieepa", "cbp", "usmca"} <= words.domain
    assert not words.stop & words.domain  # a trade word is never thrown away
    assert not words.off_topic & words.domain


def test_a_malformed_list_is_refused_with_its_name() -> None:
    data = tomllib.loads(datafiles.read_text("retrieval.toml"))
    with pytest.raises(SearchWordsError, match="stop_words"):
        parse_retrieval_words({**data, "stop_words": "the"})
    with pytest.raises(SearchWordsError, match="domain_words"):
        parse_retrieval_words({**data, "domain_words": ["IEEPA"]})
    with pytest.raises(SearchWordsError, match="unknown list"):
        parse_retrieval_words({**data, "stopwords": ["the"]})

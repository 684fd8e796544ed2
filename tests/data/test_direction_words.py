"""Validation of the direction rules' word lists (bot/data/direction.toml)."""

from __future__ import annotations

import tomllib

import pytest

from bot import datafiles
from bot.understand.direction import (
    WORD_LISTS,
    DirectionWordsError,
    load_direction_words,
    parse_direction_words,
)


def test_every_list_is_there_and_the_roles_do_not_overlap() -> None:
    words = load_direction_words()
    assert set(words) == set(WORD_LISTS)
    # A word cannot both send the party after it to the goods' side and to the levier's.
    assert not words["exporter_before"] & words["importer_before"]
    assert "slashesactually" not in words["levy_leads"]


def test_a_malformed_list_is_refused_naming_it() -> None:
    data = tomllib.loads(datafiles.read_text("direction.toml"))
    with pytest.raises(DirectionWordsError, match="levy"):
        parse_direction_words({**data, "levy": ["Tariff"]})
    with pytest.raises(DirectionWordsError, match="single words"):
        parse_direction_words({**data, "goods": ["car parts"]})
    with pytest.raises(DirectionWordsError, match="unknown list"):
        parse_direction_words({**data, "levies": ["tax"]})

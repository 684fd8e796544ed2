"""Validation of the entity synonyms data file (bot/data/entities.toml)."""

from __future__ import annotations

import re

from bot.vocabulary import load_vocabulary

# Short aliases are matched exactly; only well-known abbreviations may be this short.
# ISO codes people type in keyword queries ("US CN tariff") where they are no English word.
ALLOWED_SHORT = {"US", "USA", "UK", "EU", "NZ", "UAE", "KSA", "PRC", "ROK", "DRC", "CIT", "XI"}
ALLOWED_SHORT |= {"CN", "JP", "KR", "VN", "MX", "EUA"}  # EUA: the US in Portuguese
# Ordinary words that must never name a party (they would turn questions into countries).
ORDINARY = {
    "had",
    "too",
    "per",
    "can",
    "man",
    "in",
    "it",
    "at",
    "be",
    "no",
    "me",
    "to",
    "am",
    "us",
    "is",
    "so",
    "or",
    "an",
    "as",
    "by",
    "do",
    "go",
    "he",
    "hi",
    "if",
    "my",
    "of",
    "on",
    "up",
    "we",
    "deal",
    "trade",
    "court",
    "rate",
    "global",
    "kiwi",
    "georgia",
}


def all_names():
    vocab = load_vocabulary()
    for table in (vocab.parties, vocab.courts, vocab.officials):
        for entity in table.values():
            for name in (entity.name, *entity.aliases, *entity.demonyms, *entity.capitals):
                yield entity, name


def test_codes_are_unique_and_well_formed() -> None:
    vocab = load_vocabulary()
    for code, entity in vocab.parties.items():
        assert re.fullmatch(r"[A-Z]{2,5}", code), code
        assert entity.aliases, code
    assert {"US", "CN", "JP", "EU", "WORLD"} <= set(vocab.parties)
    assert {"CIT", "CAFC", "SCOTUS", "DDC"} <= set(vocab.courts)


def test_no_alias_names_two_entities() -> None:
    owner: dict[str, str] = {}
    for entity, name in all_names():
        key = name.casefold()
        if key == entity.name.casefold() and key in owner and owner[key] == entity.code:
            continue
        assert owner.setdefault(key, entity.code) == entity.code, (name, owner[key], entity.code)


def test_short_aliases_are_known_abbreviations_only() -> None:
    for _, name in all_names():
        if len(name) <= 3:
            assert name.upper() in ALLOWED_SHORT, name


def test_no_ordinary_english_word_is_an_alias() -> None:
    for entity, name in all_names():
        if entity.code == "US" and name == "US":
            continue  # matched case-sensitively by the matcher
        assert name.casefold() not in ORDINARY, (entity.code, name)


def test_officials_speak_for_known_parties() -> None:
    vocab = load_vocabulary()
    for official in vocab.officials.values():
        assert official.party in vocab.parties, official.code


def test_a_code_defined_twice_is_refused() -> None:
    # Read as a dict, the second entry would silently replace the first.
    import tomllib
    from importlib import resources

    import pytest

    from bot.vocabulary import parse_vocabulary

    data = tomllib.loads(resources.files("bot.data").joinpath("entities.toml").read_text())
    data["officials"].append(dict(data["officials"][0]))
    with pytest.raises(ValueError, match="defined twice"):
        parse_vocabulary(data)


def test_blocs_list_their_members_and_every_member_is_a_country() -> None:
    vocab = load_vocabulary()
    eu = vocab.members("EU")
    assert len(eu) == 27
    assert {"DE", "FR", "IT", "ES", "NL", "PL", "IE", "HR"} <= eu
    assert "GB" not in eu
    assert vocab.members("USMCA") == {"US", "CA", "MX"}
    assert vocab.members("ASEAN") == {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}
    for bloc in ("EU", "USMCA", "ASEAN"):
        for member in vocab.members(bloc):
            assert vocab.parties[member].kind == "country", (bloc, member)
    assert vocab.members("DE") == frozenset()


def test_groups_of_finds_the_blocs_a_party_belongs_to() -> None:
    vocab = load_vocabulary()
    assert vocab.groups_of("DE") == {"EU"}
    assert vocab.groups_of("MX") == {"USMCA"}
    assert vocab.groups_of("VN") == {"ASEAN"}
    assert vocab.groups_of("CN") == frozenset()
    assert vocab.groups_of("GB") == frozenset()


def _bundled_data() -> dict:
    import tomllib
    from importlib import resources

    return tomllib.loads(resources.files("bot.data").joinpath("entities.toml").read_text())


def _party(data: dict, code: str) -> dict:
    return next(p for p in data["parties"] if p["code"] == code)


def test_members_must_be_known_countries_of_a_bloc() -> None:
    import pytest

    from bot.vocabulary import parse_vocabulary

    data = _bundled_data()
    _party(data, "EU")["members"].append("XX")
    with pytest.raises(ValueError, match="member 'XX' is not a party"):
        parse_vocabulary(data)
    data = _bundled_data()
    _party(data, "DE")["members"] = ["FR"]
    with pytest.raises(ValueError, match="only a bloc may list `members`"):
        parse_vocabulary(data)
    data = _bundled_data()
    _party(data, "ASEAN")["members"].append("EU")
    with pytest.raises(ValueError, match="member 'EU' is a bloc"):
        parse_vocabulary(data)

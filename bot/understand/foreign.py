"""Common non-English words in trade questions, read as English first.

Discord servers about trade are multilingual, and people mix languages ("el tariff de
USA para productos chinos ahora mismo?"). A small word table (data, not a translator)
makes those questions readable by the English rules; a question in another language
that uses none of these words is out of scope, as before.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field

from bot import datafiles

# Spanish puts the adjective after the noun: "productos chinos" -> "chinese products".
_NOUN_THEN_ORIGIN = re.compile(
    r"\b(products|goods|imports|exports)\s+(chinese|american|japanese|european|mexican|"
    r"canadian|korean|indian|vietnamese|german|french|brazilian)\b"
)

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# "5 de mayo de 2025", "maio de 2025": "de" joins a date's parts in Spanish and Portuguese.
_DATE_DE = re.compile(rf"\b(\d{{1,2}}|{_MONTHS}) de (\d{{4}}|{_MONTHS})\b")
# "en mayo", "em maio": "in May" (not "en" alone: "en banc" is English law Latin).
_IN_MONTH = re.compile(rf"\b(?:en|em) ({_MONTHS})\b")

_OF = re.compile(r"\bde\b(?!\s+minimis)")

# Hindi/Urdu "ka/ki/ke" follow the owner ("US ka tariff" = "the US's tariff").
POSSESSIVE_PARTICLES = frozenset({"ka", "ki", "ke"})


class ForeignWordsError(ValueError):
    pass


@dataclass(frozen=True)
class ForeignWords:
    words: dict[str, str]
    phrases: dict[str, str]
    scripts: dict[str, str]
    postpositions: dict[str, str] = field(default_factory=dict)
    # Built once from the tables: the phrases as one regex, the scripts' words longest first.
    _phrase_rx: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _scripts: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        phrases = "|".join(re.escape(p) for p in sorted(self.phrases, key=len, reverse=True))
        rx = re.compile(rf"\b(?:{phrases})\b") if phrases else None
        object.__setattr__(self, "_phrase_rx", rx)
        longest_first = tuple(sorted(self.scripts.items(), key=lambda kv: -len(kv[0])))
        object.__setattr__(self, "_scripts", longest_first)

    def translate(self, lowered: str) -> str:
        """`lowered` is the lower-cased question; returns it with known words in English."""
        if not lowered.isascii():
            lowered = self._prepose(lowered)
            for word, english in self._scripts:
                if word in lowered:
                    lowered = lowered.replace(word, english)
            lowered = lowered.replace(" 's", "'s")  # a possessive particle joins its owner
            lowered = "".join(
                c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
            )
        if self._phrase_rx is not None:
            lowered = self._phrase_rx.sub(lambda m: self.phrases[m.group(0)], lowered)
        words = lowered.split(" ")
        changed = False
        for i, word in enumerate(words):
            core = word.strip('.,!?;:()¿¡"')
            parts = core.split("-")  # "us-zolle": each part of a hyphenated word
            english_parts = [self.words.get(p, p) for p in parts]
            if english_parts != parts:
                words[i] = word.replace(core, " ".join(english_parts))
                changed = True
            elif core in POSSESSIVE_PARTICLES and i > 0:  # "US ka China": the US's ... China
                words[i - 1] += "'s"
                words[i] = ""
                changed = True
        if not changed:
            return lowered
        text = _NOUN_THEN_ORIGIN.sub(r"\2 \1", " ".join(words))
        if " de " in text:
            text = _DATE_DE.sub(r"\1 \2", _DATE_DE.sub(r"\1 \2", text))
        text = _IN_MONTH.sub(r"in \1", text)
        # "el arancel de China": in a sentence already read as Spanish or Portuguese, "de"
        # is "of" (in English text it is left alone: "de minimis").
        text = _OF.sub("of", text)
        return text

    def _prepose(self, lowered: str) -> str:
        """Japanese particles follow their noun ("日本から" is "from Japan"): put the
        English preposition before the name, where the direction rules look for it."""
        for particle, english in self.postpositions.items():
            if particle not in lowered:
                continue
            for word, _ in self._scripts:
                if word + particle in lowered:
                    lowered = lowered.replace(word + particle, f" {english} {word} ")
        return lowered


def parse_foreign_words(data: dict) -> ForeignWords:
    tables = {}
    for key in ("words", "phrases", "scripts", "postpositions"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() for k, v in table.items()
        ):
            raise ForeignWordsError(f"foreign.toml: [{key}] maps words to English words")
        tables[key] = {k.lower(): v for k, v in table.items()}
    for word in tables["words"]:
        if " " in word or not word.isascii():
            raise ForeignWordsError(
                f"foreign.toml: [words] {word!r}: one word without accents "
                "(put phrases in [phrases], other scripts in [scripts])"
            )
    return ForeignWords(**tables)


def load_foreign_words() -> ForeignWords:
    text = datafiles.read_text("foreign.toml")
    return parse_foreign_words(tomllib.loads(text))
